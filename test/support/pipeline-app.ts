// An Express app with the decision pipeline over a fake ledger and its synthetic blocks: HTTP tests without Fabric.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createDecisionPipeline, type DecisionPipeline } from '../../gateway/src/decisions/pipeline.js';
import { createLogger } from '../../gateway/src/logger.js';
import { loadOrCreateApiKeys } from '../../gateway/src/http/credential-store.js';
import { createApp } from '../../gateway/src/http/app.js';
import { createAuthenticator } from '../../gateway/src/http/auth.js';
import { createMetrics } from '../../gateway/src/http/metrics.js';
import { ApiRegistry } from '../../gateway/src/http/openapi.js';
import { defaultIdentityMap } from '../../gateway/src/http/principal.js';
import { openSqliteIndex } from '../../gateway/src/index/sqlite-store.js';
import { FakeDecisionLedger, fakeBlockSource } from './fake-ledger.js';

export interface PipelineApp {
  app: Express;
  pipeline: DecisionPipeline;
  ledger: FakeDecisionLedger;
  dir: string;
  /** `Bearer …` for a role of an org (operator by default). */
  auth: (role: string, org?: 'OperatorOrgMSP' | 'RegulatorOrgMSP') => string;
  close: () => Promise<void>;
}

export interface PipelineAppOptions {
  ledger?: FakeDecisionLedger;
  /** Reuse a data folder (a restart); a new temporary one otherwise. */
  dir?: string;
  batch?: { maxSize?: number; lingerMs?: number; maxInFlight?: number };
  commitWaitMs?: number;
  /** AIAUDIT_OUTBOX_MAX_PENDING; the gateway's default (50,000) otherwise. */
  outboxMaxPending?: number;
}

export async function startPipelineApp(options: PipelineAppOptions = {}): Promise<PipelineApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'aiaudit-pipeline-'));
  const ledger = options.ledger ?? new FakeDecisionLedger();
  const logger = createLogger('silent');
  const metrics = createMetrics({ defaultMetrics: false });
  // Fresh keys at every start (a restart reuses the data folder, not the keys file).
  const keysFile = join(dir, `api-keys-${randomUUID()}.json`);
  const { store: apiKeys, issued } = loadOrCreateApiKeys(keysFile, defaultIdentityMap);
  const pipeline = createDecisionPipeline({
    config: { dataDir: dir, batch: { maxSize: 500, lingerMs: 5, maxInFlight: 4, ...options.batch }, indexDatabase: { kind: 'sqlite', path: join(dir, 'index.sqlite') },
      outboxMaxPending: options.outboxMaxPending ?? 50_000,
    },
    ledger,
    logger,
    metrics,
    chaincode: 'aiaudit',
    blocks: fakeBlockSource(ledger),
    index: openSqliteIndex(join(dir, 'index.sqlite')),
    commitWaitMs: options.commitWaitMs ?? 5_000,
    drainMs: 1_000,
  });
  const api = new ApiRegistry();
  pipeline.registerRoutes(api);
  const app = createApp({
    config: { bodyLimitBytes: 1024 * 1024, rateLimitPerMinute: 0 },
    logger,
    metrics,
    verifyToken: createAuthenticator({ apiKeys }),
    readiness: async () => ({ ready: true, checks: await pipeline.readiness() }),
    api,
    routers: [pipeline.eventsRouter],
  });
  await pipeline.start();
  const auth = (role: string, org: 'OperatorOrgMSP' | 'RegulatorOrgMSP' = 'OperatorOrgMSP'): string => {
    const key = issued.find((k) => k.role === role && k.org === org)?.key;
    if (key === undefined) throw new Error(`no API key for ${role} of ${org}`);
    return `Bearer ${key}`;
  };
  return {
    app,
    pipeline,
    ledger,
    dir,
    auth,
    close: async () => {
      await pipeline.stop();
      rmSync(keysFile, { force: true });
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
