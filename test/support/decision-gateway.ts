// The gateway with the decision pipeline, in-process, over the real network: a data folder that survives a restart.
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../gateway/src/config.js';
import { decisionPipelineModule } from '../../gateway/src/decisions/index.js';
import { createLogger } from '../../gateway/src/logger.js';
import { createGateway, type Gateway } from '../../gateway/src/server.js';
import { PRINCIPALS, type PrincipalName, type RequestOptions } from './gateway.js';
import { profilePath } from './network.js';
import { repoRoot } from './script.js';

export interface DecisionGateway {
  gateway: Gateway;
  baseUrl: string;
  dataDir: string;
  call(who: PrincipalName | undefined, method: 'GET' | 'POST', path: string, options?: RequestOptions): Promise<request.Response>;
  keyOf(who: PrincipalName): string;
  /** Stops listening, drains the pipeline, closes Fabric connections; the data folder stays. */
  close(): Promise<void>;
}

/** A new data folder for a gateway (index, outbox, API keys); reuse it to restart "the same" gateway. */
export const newDataDir = (): string => mkdtempSync(join(tmpdir(), 'aiaudit-decisions-'));

/**
 * Starts createGateway with the decision pipeline on 127.0.0.1:0. The API keys file is new for each
 * start (keys are printed only when created), so a restart gets new keys over the same data.
 */
export async function startDecisionGateway(dataDir: string, env: Record<string, string> = {}): Promise<DecisionGateway> {
  const config = loadConfig(
    {
      AIAUDIT_CONNECTION_PROFILE: profilePath(),
      AIAUDIT_API_KEYS_FILE: join(mkdtempSync(join(tmpdir(), 'aiaudit-keys-')), 'api-keys.json'),
      AIAUDIT_DATA_DIR: dataDir,
      AIAUDIT_GATEWAY_PORT: '0',
      AIAUDIT_RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    { repoRoot },
  );
  const logger = createLogger(process.env['AIAUDIT_TEST_LOG_LEVEL'] === 'debug' ? 'debug' : 'silent');
  const gateway = await createGateway(config, { logger, modules: [decisionPipelineModule()] });
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
  // Ready once the index has caught up with the chain as it was at start (a fresh index replays from block 0).
  await eventually(async () => ((await agent.get('/readyz')).status === 200 ? true : undefined), 180_000, 250);
  return {
    gateway,
    baseUrl,
    dataDir,
    keyOf,
    call: async (who, method, path, options = {}) => {
      let req = method === 'GET' ? agent.get(`/api/v1${path}`) : agent.post(`/api/v1${path}`);
      if (who !== undefined) req = req.set('Authorization', `Bearer ${keyOf(who)}`);
      for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
      if (options.body !== undefined) req = req.send(options.body as object);
      return req;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    },
  };
}

/** Polls `probe` until it returns a value, or throws after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
