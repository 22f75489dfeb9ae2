// Assembles the gateway from its configuration: ledger, role bootstrap, API keys, routes, modules and the app; and its orderly close.
import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config.js';
import { FabricLedger } from './fabric/ledger-client.js';
import { loadConnectionProfile } from './fabric/profile.js';
import { fabricReadiness } from './fabric/readiness.js';
import { bootstrapRoles, type RoleBootstrapEntry } from './fabric/role-bootstrap.js';
import { loadOrCreateApiKeys, type IssuedApiKey } from './http/credential-store.js';
import { createApp, type ReadinessCheck } from './http/app.js';
import { createAuthenticator, createJwtVerifier } from './http/auth.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { ApiRegistry } from './http/openapi.js';
import { defaultIdentityMap, type IdentityMap } from './http/principal.js';
import { registerLedgerRoutes, type DecisionLocator } from './routes/index.js';

/** What a module built on the ledger (the decision pipeline: outbox, batcher, index, events) is given. */
export interface GatewayModuleContext {
  config: GatewayConfig;
  logger: Logger;
  metrics: Metrics;
  ledger: FabricLedger;
  identities: IdentityMap;
  api: ApiRegistry;
}

/** A part of the gateway with its own routes, background work and shutdown. */
export interface GatewayModule {
  name: string;
  /** Undocumented routers under /api/v1 behind authentication (e.g. the SSE stream). */
  routers?: readonly Router[];
  /** Lets /decisions/{id}/oversight and /purge find a decision's batch when the caller omits batchId. */
  findDecision?: DecisionLocator;
  /** Extra /readyz checks (e.g. the outbox database). */
  readiness?: () => Promise<Record<string, ReadinessCheck>>;
  /** Stops taking work and drains what is in flight; called after the HTTP server stops accepting. */
  close?: () => Promise<void>;
}

/** Builds a module; it registers its documented routes on `context.api`. */
export type GatewayModuleFactory = (context: GatewayModuleContext) => GatewayModule | Promise<GatewayModule>;

export interface CreateGatewayOptions {
  logger: Logger;
  identities?: IdentityMap;
  modules?: readonly GatewayModuleFactory[];
  /** Defaults to a new registry with the process metrics. */
  metrics?: Metrics;
}

export interface Gateway {
  app: Express;
  ledger: FabricLedger;
  api: ApiRegistry;
  metrics: Metrics;
  /** API keys created by this start: print them once, never log them. */
  issuedKeys: IssuedApiKey[];
  roles: RoleBootstrapEntry[];
  /** Drains the modules, then closes the Fabric connections. Call after the HTTP server stopped accepting. */
  close(): Promise<void>;
}

export async function createGateway(config: GatewayConfig, options: CreateGatewayOptions): Promise<Gateway> {
  const { logger } = options;
  const identities = options.identities ?? defaultIdentityMap;
  const metrics = options.metrics ?? createMetrics();
  const profile = loadConnectionProfile(config.connectionProfile);
  const ledger = new FabricLedger({
    profile,
    logger,
    metrics: metrics.registry,
    retry: { maxAttempts: config.fabricSubmitAttempts, baseDelayMs: 50, maxDelayMs: 2_000 },
  });
  const modules: GatewayModule[] = [];
  try {
    const roles = config.bootstrapRoles ? await bootstrapRoles(ledger, identities, ledger.orgMspIds, logger) : [];
    const keys = loadOrCreateApiKeys(config.apiKeysFile, identities);
    const api = new ApiRegistry();
    for (const factory of options.modules ?? []) modules.push(await factory({ config, logger, metrics, ledger, identities, api }));
    const findDecision = modules.find((m) => m.findDecision !== undefined)?.findDecision;
    registerLedgerRoutes(api, { ledger, ...(findDecision === undefined ? {} : { findDecision }) });

    const fabricChecks = fabricReadiness(ledger, identities);
    const app = createApp({
      config,
      logger,
      metrics,
      verifyToken: createAuthenticator({ apiKeys: keys.store, jwt: config.oidc === undefined ? undefined : createJwtVerifier(config.oidc, identities) }),
      readiness: async () => {
        const parts = await Promise.all([fabricChecks(), ...modules.map((m) => m.readiness?.() ?? Promise.resolve({}))]);
        const checks: Record<string, ReadinessCheck> = Object.assign({}, ...parts);
        return { ready: Object.values(checks).every((check) => check.ok), checks };
      },
      api,
      routers: modules.flatMap((m) => m.routers ?? []),
      consoleDir: config.consoleDir,
      openApiInfo: {
        title: 'aiaudit gateway API',
        version: '1',
        description: 'AI decision audit ledger on Hyperledger Fabric. Writes answer {result, receipt: {txId, blockNumber}}; errors are RFC 9457 problems.',
      },
    });
    return { app, ledger, api, metrics, issuedKeys: keys.issued, roles, close: () => closeAll(modules, ledger, logger) };
  } catch (err) {
    await closeAll(modules, ledger, logger);
    throw err;
  }
}

async function closeAll(modules: readonly GatewayModule[], ledger: FabricLedger, logger: Logger): Promise<void> {
  for (const module of [...modules].reverse()) {
    try {
      await module.close?.();
    } catch (err) {
      logger.error({ err, module: module.name }, 'module did not close cleanly');
    }
  }
  ledger.close();
}
