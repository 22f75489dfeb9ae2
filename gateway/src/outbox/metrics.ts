// Outbox and batcher metrics: decisions per batch, batch latency by outcome, outbox depth (pending decisions), refused submissions.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type BatchOutcome = 'committed' | 'replayed' | 'split' | 'failed' | 'retried';

export interface BatchMetrics {
  readonly batchSize: Histogram;
  readonly batchLatency: Histogram<'outcome'>;
  readonly batches: Counter<'outcome'>;
  /** Decisions refused at the door because the outbox held AIAUDIT_OUTBOX_MAX_PENDING. */
  readonly overloaded: Counter;
}

/** Registers the metrics; `depth` is read at each scrape. */
export function createBatchMetrics(registry: Registry, depth: () => number): BatchMetrics {
  new Gauge({
    name: 'aiaudit_outbox_depth',
    help: 'Decisions accepted into the outbox and not yet committed or failed',
    registers: [registry],
    collect() {
      this.set(depth());
    },
  });
  return {
    batchSize: new Histogram({
      name: 'aiaudit_batch_size',
      help: 'Decisions per RecordDecisions batch submitted',
      buckets: [1, 2, 5, 10, 25, 50, 100, 200, 300, 400, 500],
      registers: [registry],
    }),
    batchLatency: new Histogram({
      name: 'aiaudit_batch_latency_seconds',
      help: 'From submitting a batch to its outcome (commit, split, failure)',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60],
      registers: [registry],
    }),
    batches: new Counter({
      name: 'aiaudit_batches_total',
      help: 'RecordDecisions batch attempts by outcome (replayed = the batch id was already committed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    overloaded: new Counter({
      name: 'aiaudit_outbox_overloaded_decisions_total',
      help: 'Decisions of POST /decisions requests refused with 503 overloaded (the outbox held AIAUDIT_OUTBOX_MAX_PENDING)',
      registers: [registry],
    }),
  };
}
