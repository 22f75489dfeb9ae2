// The decision pipeline as main sees it: index + follower, outbox + batcher, routes, events; one factory, start/stop/readiness.
import { join } from 'node:path';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config.js';
import type { Ledger } from '../fabric/ledger.js';
import type { ReadinessCheck } from '../http/app.js';
import type { Metrics } from '../http/metrics.js';
import type { ApiRegistry } from '../http/openapi.js';
import type { BlockSource } from '../index/block-source.js';
import { BlockFollower } from '../index/follower.js';
import { openIndexStore } from '../index/open-store.js';
import type { IndexStore } from '../index/store.js';
import { createBatchMetrics } from '../outbox/metrics.js';
import { DecisionOutbox } from '../outbox/outbox.js';
import { OutboxStore, type OutboxStoreOptions } from '../outbox/outbox-store.js';
import { eventsRouter, type BlockNotifier } from '../events/sse.js';
import { DecisionReader, type FoundDecision } from './lookup.js';
import { registerDecisionRoutes } from './routes.js';

export interface DecisionPipelineOptions {
  config: Pick<GatewayConfig, 'dataDir' | 'batch' | 'indexDatabase' | 'outboxMaxPending'>;
  ledger: Ledger;
  logger: Logger;
  metrics: Metrics;
  /** The chaincode name: its writes and events are what the index follows (profile.chaincode). */
  chaincode: string;
  /** Committed blocks of the channel, e.g. networkBlockSource(fabricLedger.network(reader)). */
  blocks: BlockSource;
  /** Defaults to <dataDir>/gateway/outbox.sqlite. */
  outboxPath?: string;
  outboxDurability?: OutboxStoreOptions['durability'];
  /** Defaults to the store the config's INDEX_DATABASE_URL names. */
  index?: IndexStore;
  /** How long POST /decisions waits for a commit before answering 503 with status URLs (default 60 s). */
  commitWaitMs?: number;
  /** How long stop() waits for in-flight batches (default 30 s). */
  drainMs?: number;
}

export interface DecisionPipeline {
  /** Registers POST/GET /decisions, GET /decisions/{id}, GET /decisions/{id}/status. */
  registerRoutes(api: ApiRegistry): void;
  /** GET /events (server-sent events); mount under /api/v1 behind authentication. stop() ends open streams. */
  readonly eventsRouter: Router;
  /** A decision from the index with its anchor (batchId included), for oversight and purge routes. */
  findDecision(decisionId: string): Promise<FoundDecision | undefined>;
  /** Opens the follower (from the index checkpoint) and replays the outbox. */
  start(): Promise<void>;
  /** Stops accepting, drains in-flight batches, stops following, closes the stores. */
  stop(): Promise<void>;
  /** Checks for /readyz: the block follower and the outbox. */
  readiness(): Promise<Record<string, ReadinessCheck>>;
}

export function createDecisionPipeline(options: DecisionPipelineOptions): DecisionPipeline {
  const logger = options.logger.child({ component: 'decisions' });
  const index = options.index ?? openIndexStore(options.config.indexDatabase);
  const listeners = new Set<() => void>();
  const follower = new BlockFollower({
    source: options.blocks,
    store: index,
    namespace: options.chaincode,
    logger: logger.child({ part: 'index' }),
    onBlock: () => {
      for (const listener of listeners) listener();
    },
  });
  const notifier: BlockNotifier = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lastBlock: () => follower.lastBlock,
  };
  const store = new OutboxStore(options.outboxPath ?? join(options.config.dataDir, 'gateway', 'outbox.sqlite'), { durability: options.outboxDurability });
  // The outbox needs the reader (idempotency, replays) and the reader the outbox (read-your-writes): tie them late.
  let reader: DecisionReader | undefined;
  const requireReader = (): DecisionReader => {
    if (reader === undefined) throw new Error('decision reader not ready');
    return reader;
  };
  const outbox = new DecisionOutbox({
    store,
    ledger: options.ledger,
    limits: options.config.batch,
    maxPending: options.config.outboxMaxPending,
    logger: logger.child({ part: 'outbox' }),
    metrics: createBatchMetrics(options.metrics.registry, () => store.pendingCount()),
    findCommitted: (decisionIds) => requireReader().committed(decisionIds),
    indexCaughtUp: (timeoutMs) => follower.waitCaughtUp(timeoutMs),
    indexedThrough: () => follower.lastBlock,
    locateBatch: (batchId) => requireReader().locateBatch(batchId, 30_000),
  });
  reader = new DecisionReader({ index, follower, outbox });
  const router = eventsRouter({ index, notifier, logger: logger.child({ part: 'events' }) });
  let started = false;
  let stopped = false;

  return {
    registerRoutes(api) {
      registerDecisionRoutes(api, { outbox, reader: requireReader(), index, commitWaitMs: options.commitWaitMs ?? 60_000 });
    },
    eventsRouter: router,
    findDecision: (decisionId) => requireReader().find(decisionId),
    async start() {
      if (started) return;
      started = true;
      await follower.start();
      const replay = outbox.start();
      logger.info({ indexedThrough: follower.lastBlock, ...replay, batch: options.config.batch }, 'decision pipeline started');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      router.closeAll();
      await outbox.stop(options.drainMs ?? 30_000);
      await follower.stop();
      store.close();
      await index.close();
      options.blocks.close();
      logger.info('decision pipeline stopped');
    },
    async readiness() {
      const status = follower.status();
      return {
        index: !status.connected
          ? { ok: false, detail: status.lastError === undefined ? 'not following blocks yet' : `block stream down: ${status.lastError}` }
          : status.caughtUp || status.startHeight === undefined
            ? { ok: true, detail: `indexed through block ${status.lastBlock ?? '-'}` }
            : { ok: false, detail: `catching up: block ${status.lastBlock ?? '-'} of ${status.startHeight - 1}` },
        outbox: started && !stopped ? { ok: true, detail: `${outbox.depth()} pending` } : { ok: false, detail: stopped ? 'stopped' : 'not started' },
      };
    },
  };
}
