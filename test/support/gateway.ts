// The REST gateway in-process for HTTP end-to-end tests: real Fabric ledger, temporary API keys, a port of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../gateway/src/config.js';
import { createLogger } from '../../gateway/src/logger.js';
import { createGateway, type Gateway, type GatewayModuleFactory } from '../../gateway/src/server.js';
import { profilePath } from './network.js';
import { repoRoot } from './script.js';

/** The principals of the default identity map, by a short name. */
export const PRINCIPALS = {
  opRecorder: { org: 'OperatorOrgMSP', role: 'recorder' },
  opOfficer: { org: 'OperatorOrgMSP', role: 'officer' },
  opAdmin: { org: 'OperatorOrgMSP', role: 'admin' },
  regulator: { org: 'RegulatorOrgMSP', role: 'regulator' },
  regAdmin: { org: 'RegulatorOrgMSP', role: 'admin' },
} as const;
export type PrincipalName = keyof typeof PRINCIPALS;
export const PRINCIPAL_NAMES = Object.keys(PRINCIPALS) as PrincipalName[];

export type HttpAnswer = request.Response;

export interface RequestOptions {
  /** A raw body sent as is (bad JSON, oversize bodies); `body` is JSON-encoded otherwise. */
  raw?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A gateway listening on 127.0.0.1:<free port>, with its API keys and a supertest caller. */
export interface TestGateway {
  gateway: Gateway;
  baseUrl: string;
  /** Calls /api/v1`path` as `who` (undefined: without Authorization). */
  call(who: PrincipalName | undefined, method: string, path: string, options?: RequestOptions): Promise<HttpAnswer>;
  keyOf(who: PrincipalName): string;
  /** Stops listening and closes the gateway (its modules, its Fabric connections). */
  close(): Promise<void>;
}

/**
 * The part every in-process test gateway shares: config from `env` over the test defaults
 * (connection profile, port 0, no rate limit), createGateway with `modules`, listen, keys, caller.
 */
export async function listenTestGateway(env: Record<string, string>, modules?: GatewayModuleFactory[]): Promise<TestGateway> {
  const config = loadConfig(
    { AIAUDIT_CONNECTION_PROFILE: profilePath(), AIAUDIT_GATEWAY_PORT: '0', AIAUDIT_RATE_LIMIT_PER_MINUTE: '0', ...env },
    { repoRoot },
  );
  const logger = createLogger(process.env['AIAUDIT_TEST_LOG_LEVEL'] === 'debug' ? 'debug' : 'silent');
  const gateway = await createGateway(config, modules === undefined ? { logger } : { logger, modules });
  const server: Server = gateway.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const keyOf = (who: PrincipalName): string => {
    const { org, role } = PRINCIPALS[who];
    const key = gateway.issuedKeys.find((k) => k.org === org && k.role === role)?.key;
    if (key === undefined) throw new Error(`no API key issued for ${org} ${role}`);
    return key;
  };

  const agent = request(baseUrl);
  const call = async (who: PrincipalName | undefined, method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer> => {
    const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    let req = agent[verb](`/api/v1${path}`);
    if (who !== undefined) req = req.set('Authorization', `Bearer ${keyOf(who)}`);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    if (options.raw !== undefined) req = req.set('Content-Type', options.headers?.['content-type'] ?? 'application/json').send(options.raw);
    else if (options.body !== undefined) req = req.send(options.body as object);
    return req;
  };

  return {
    gateway,
    baseUrl,
    call,
    keyOf,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    },
  };
}

/** Starts createGateway on 127.0.0.1:0 with API keys in a temporary file; `env` overrides AIAUDIT_* variables. */
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'aiaudit-e2e-'));
  const listening = await listenTestGateway({ AIAUDIT_API_KEYS_FILE: join(dir, 'api-keys.json'), AIAUDIT_DATA_DIR: join(dir, 'data'), ...env });
  return {
    ...listening,
    close: async () => {
      await listening.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A path segment, URL-encoded. */
export const seg = (value: string): string => encodeURIComponent(value);
