// Groups accepted submissions into RecordDecisions batches (size or linger), keeps several in flight, settles each caller.
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { DecisionBatch, MAX_DECISIONS_PER_BATCH, TRANSIENT_BATCH_KEY } from '@aiaudit/chaincode/domain';
import type { FabricSigner, Ledger } from '../fabric/ledger.js';
import { problemFromChaincode, ProblemError } from '../http/problem.js';
import type { BatchMetrics, BatchOutcome } from './metrics.js';
import type { OutboxStore } from './outbox-store.js';
import { callerProblem, problemToJson, shuttingDown } from './problems.js';
import { RecentlyCommitted, type RecentDecision } from './recently-committed.js';
import type { BatchLimits, Outcome, QueuedSubmission } from './types.js';

export type { BatchLimits, DecisionReceipt, Outcome, QueuedSubmission } from './types.js';

export interface BatcherOptions {
  store: OutboxStore;
  ledger: Ledger;
  limits: BatchLimits;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  metrics?: BatchMetrics | undefined;
  /** The block number of a committed batch (from the index, waiting a while for it); undefined if not found yet. */
  locateBatch: (batchId: string) => Promise<string | undefined>;
  newBatchId?: () => string;
  /** Backoff between attempts of a batch that failed for a transient reason; `maxFailures` caps non-transient server errors. */
  retry?: { baseMs: number; maxMs: number; maxFailures: number };
}

interface Batch {
  batchId: string;
  signer: FabricSigner;
  submissions: QueuedSubmission[];
}

interface Queue {
  signer: FabricSigner;
  items: QueuedSubmission[];
  size: number;
  due: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** Problems after which the same batch is tried again (nothing was written, or we cannot know yet). */
const TRANSIENT = new Set(['fabric-unavailable', 'fabric-timeout', 'commit-status-unknown', 'ledger-conflict']);
const POSITION = /^decisions\[(\d+)\]/;

export const newBatchId = (): string => `gw-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;

export class Batcher {
  readonly #o: BatcherOptions;
  readonly #cap: number;
  readonly #queues = new Map<string, Queue>();
  readonly #ready: Batch[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #waiters = new Map<string, ((outcome: Outcome) => void)[]>();
  readonly #recent = new RecentlyCommitted();
  #stopping = false;

  constructor(options: BatcherOptions) {
    this.#o = options;
    this.#cap = Math.min(options.limits.maxSize, MAX_DECISIONS_PER_BATCH);
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** A decision this gateway saw commit whose block the index may not hold yet (its outbox row is gone). */
  recentlyCommitted(decisionId: string): RecentDecision | undefined {
    return this.#recent.get(decisionId);
  }

  /** The index holds blocks up to `block`: it answers for the decisions committed in them from now on. */
  indexedThrough(block: number): void {
    this.#recent.forgetThrough(block);
  }

  /** Settles the waiters of decisions that will not be batched (their admission was not written). */
  abandon(decisionIds: readonly string[], problem: ProblemError): void {
    for (const id of decisionIds) this.#settle(id, { problem });
  }

  /** Resolves with the decision's receipt or problem once its batch settles (register before the batch can settle). */
  wait(decisionId: string): Promise<Outcome> {
    return new Promise((resolve) => {
      const list = this.#waiters.get(decisionId) ?? [];
      list.push(resolve);
      this.#waiters.set(decisionId, list);
    });
  }

  /** Queues a submission pending in the outbox without a batch. */
  enqueue(submission: QueuedSubmission): void {
    this.#add(submission, false);
    this.#pump();
  }

  /** Puts submissions back at the head of their queues, in order, due at once (after a split). */
  #requeue(submissions: readonly QueuedSubmission[]): void {
    for (const submission of [...submissions].reverse()) this.#add(submission, true);
    this.#pump();
  }

  #add(submission: QueuedSubmission, front: boolean): void {
    const key = `${submission.signer.mspId}/${submission.signer.fabricUser}`;
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = { signer: submission.signer, items: [], size: 0, due: this.#stopping, timer: undefined };
      this.#queues.set(key, queue);
    }
    if (front) {
      queue.items.unshift(submission);
      queue.due = true;
      clearTimeout(queue.timer);
      queue.timer = undefined;
    } else queue.items.push(submission);
    queue.size += submission.decisionIds.length;
    this.#arm(queue);
  }

  /** Resubmits a batch whose id was persisted before a crash: same id, same positions. */
  resume(batchId: string, signer: FabricSigner, submissions: QueuedSubmission[]): void {
    // Renumber positions: a crash in the middle of a split can leave gaps (the batch id was refused, so never committed).
    this.#o.store.assignBatch(batchId, submissions.map((s) => s.submissionId));
    this.#ready.push({ batchId, signer, submissions });
    this.#pump();
  }

  /** Stops batching: flushes what is queued, waits up to `timeoutMs` for in-flight batches; what remains stays pending in the outbox. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    for (const queue of this.#queues.values()) {
      clearTimeout(queue.timer);
      queue.due = true;
    }
    this.#pump();
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.#inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
      clearTimeout(timer);
    }
    for (const [decisionId] of this.#waiters) this.#settle(decisionId, { problem: shuttingDown() });
  }

  #arm(queue: Queue): void {
    if (queue.due || queue.timer !== undefined || queue.size === 0) return;
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      queue.due = true;
      this.#pump();
    }, this.#o.limits.lingerMs);
  }

  #pump(): void {
    while (this.#inFlight.size < this.#o.limits.maxInFlight) {
      const batch = this.#ready.shift() ?? this.#formBatch();
      if (batch === undefined) return;
      const run: Promise<void> = this.#run(batch)
        .catch((err: unknown) => this.#o.logger.error({ err, batchId: batch.batchId }, 'batch runner failed'))
        .finally(() => {
          this.#inFlight.delete(run);
          this.#pump();
        });
      this.#inFlight.add(run);
    }
  }

  #formBatch(): Batch | undefined {
    for (const [key, queue] of this.#queues) {
      if (!queue.due && queue.size < this.#cap) continue;
      let count = 0;
      let size = 0;
      for (const next of queue.items) {
        if (size > 0 && size + next.decisionIds.length > this.#cap) break;
        count += 1;
        size += next.decisionIds.length;
      }
      const submissions = queue.items.splice(0, count);
      queue.size -= size;
      this.#queues.delete(key);
      if (queue.items.length > 0) {
        this.#queues.set(key, queue); // to the back: signers take turns
        this.#arm(queue);
      } else clearTimeout(queue.timer);
      const batchId = (this.#o.newBatchId ?? newBatchId)();
      try {
        this.#o.store.assignBatch(batchId, submissions.map((s) => s.submissionId));
      } catch (err) {
        this.#o.logger.error({ err, batchId }, 'cannot persist the batch assignment; failing its submissions');
        this.#fail(submissions, new ProblemError({ status: 500, slug: 'internal', cause: err }), false);
        continue;
      }
      return { batchId, signer: queue.signer, submissions };
    }
    return undefined;
  }

  async #run(batch: Batch): Promise<void> {
    const { ledger, metrics, logger } = this.#o;
    const retry = this.#o.retry ?? { baseMs: 250, maxMs: 15_000, maxFailures: 5 };
    const ids = batch.submissions.flatMap((s) => s.decisionIds);
    // In the transient map, not the argument: the records reach the ledger as the batch write, and the
    // ordered transaction does not carry them a second time (TRANSIENT_BATCH_KEY in the chaincode).
    const transient = { [TRANSIENT_BATCH_KEY]: Buffer.from(`{"batchId":${JSON.stringify(batch.batchId)},"decisions":[${batch.submissions.flatMap((s) => s.recordJsons).join(',')}]}`) };
    metrics?.batchSize.observe(ids.length);
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const done = (outcome: BatchOutcome): void => {
        metrics?.batchLatency.observe({ outcome }, (performance.now() - started) / 1000);
        metrics?.batches.inc({ outcome });
      };
      let problem: ProblemError;
      try {
        const receipt = await ledger.submit(batch.signer, 'decisions', 'RecordDecisions', [''], { transient });
        this.#commit(batch, ids, receipt.txId, receipt.blockNumber);
        done('committed');
        return;
      } catch (err) {
        problem = problemFromChaincode(err);
      }
      const field = problem.errors?.[0]?.field;
      try {
        if (problem.status === 409 && field === 'batchId') {
          if (await this.#resolveCommitted(batch, ids)) {
            done('replayed');
            return;
          }
          problem = new ProblemError({ status: 503, slug: 'fabric-unavailable', detail: `batch ${batch.batchId} is committed but not indexed yet` });
        } else if (problem.status < 500) {
          const position = POSITION.exec(field ?? '')?.[1];
          if (position !== undefined && batch.submissions.length > 1) this.#split(batch, Number(position), problem);
          else this.#fail(batch.submissions, problem, position !== undefined);
          done(position !== undefined && batch.submissions.length > 1 ? 'split' : 'failed');
          return;
        }
      } catch (err) {
        problem = problemFromChaincode(err);
      }
      if (!TRANSIENT.has(problem.slug) && ++failures >= retry.maxFailures) {
        logger.error({ batchId: batch.batchId, attempts: attempt, err: problem.cause ?? problem }, 'batch failed');
        this.#fail(batch.submissions, problem, false);
        done('failed');
        return;
      }
      done('retried');
      if (this.#stopping) {
        logger.warn({ batchId: batch.batchId, decisions: ids.length }, 'batch left in the outbox at shutdown; it is replayed with the same id at the next start');
        for (const id of ids) this.#settle(id, { problem: shuttingDown() });
        return;
      }
      const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(attempt - 1, 16));
      logger.warn({ batchId: batch.batchId, attempt, problem: problem.slug, txId: problem.txId, retryInMs: delay }, 'batch not committed; retrying with the same batch id');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** The chaincode says the batch id is committed: read it back; true when it holds our decisions (then they are committed). */
  async #resolveCommitted(batch: Batch, ids: string[]): Promise<boolean> {
    const stored = DecisionBatch.parse(await this.#o.ledger.evaluate(batch.signer, 'decisions', 'GetDecisionBatch', [batch.batchId]));
    const storedIds = stored.decisions.map((d) => d.decisionId);
    if (storedIds.length !== ids.length || storedIds.some((id, i) => id !== ids[i])) {
      this.#o.logger.error({ batchId: batch.batchId }, 'a committed batch with this id holds other decisions; requeueing ours under a new batch id');
      this.#o.store.unassign(batch.submissions.map((s) => s.submissionId));
      this.#requeue(batch.submissions);
      return true;
    }
    const blockNumber = await this.#o.locateBatch(batch.batchId);
    if (blockNumber === undefined) return false;
    this.#o.logger.info({ batchId: batch.batchId, txId: stored.txId, blockNumber }, 'batch was already committed (replay); marking its decisions committed');
    this.#commit(batch, ids, stored.txId, blockNumber);
    return true;
  }

  #commit(batch: Batch, ids: string[], txId: string, blockNumber: string): void {
    const recordJsons = batch.submissions.flatMap((s) => s.recordJsons);
    const decisions = ids.map((decisionId, position): RecentDecision => ({
      receipt: { decisionId, batchId: batch.batchId, position, txId, blockNumber },
      mspId: batch.signer.mspId,
      recordJson: recordJsons[position] ?? '',
    }));
    // Remembered before the submissions go (nothing runs in between): a resubmission is never taken for new.
    this.#recent.add(decisions);
    this.#o.store.forgetBatch(batch.batchId, batch.submissions.map((s) => s.submissionId));
    for (const { receipt } of decisions) this.#settle(receipt.decisionId, { receipt });
  }

  /** The chaincode refused the batch for the record at `position`: fail its submission, resubmit the others in a new batch. */
  #split(batch: Batch, position: number, problem: ProblemError): void {
    let offset = 0;
    const others: QueuedSubmission[] = [];
    for (const submission of batch.submissions) {
      const end = offset + submission.decisionIds.length;
      if (position >= offset && position < end) this.#failOne(submission, callerProblem(problem, offset, submission.listForm));
      else others.push(submission);
      offset = end;
    }
    this.#o.logger.info({ batchId: batch.batchId, position, field: problem.errors?.[0]?.field, resubmitted: others.length }, 'batch refused for one record; resubmitting the others');
    this.#o.store.unassign(others.map((s) => s.submissionId));
    this.#requeue(others);
  }

  #fail(submissions: readonly QueuedSubmission[], problem: ProblemError, positional: boolean): void {
    for (const submission of submissions) this.#failOne(submission, positional ? callerProblem(problem, 0, submission.listForm) : problem);
  }

  #failOne(submission: QueuedSubmission, problem: ProblemError): void {
    this.#o.store.markFailed(submission.submissionId, problemToJson(problem));
    for (const id of submission.decisionIds) this.#settle(id, { problem });
  }

  #settle(decisionId: string, outcome: Outcome): void {
    const list = this.#waiters.get(decisionId);
    if (list === undefined) return;
    this.#waiters.delete(decisionId);
    for (const resolve of list) resolve(outcome);
  }
}
