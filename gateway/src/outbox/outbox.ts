// The decision outbox: admits submissions (idempotent against the outbox and the index), replays at start, reports status.
import { randomUUID } from 'node:crypto';
import { sha256Hex, type DecisionInput } from '@aiaudit/chaincode/domain';
import type { FabricSigner } from '../fabric/ledger.js';
import { ProblemError } from '../http/problem.js';
import { Batcher, type BatcherOptions, type DecisionReceipt, type Outcome, type QueuedSubmission } from './batcher.js';
import { contentOf, contentShaOfRecord, type DecisionContent } from './content.js';
import type { OutboxStore, PendingSubmission } from './outbox-store.js';
import { storedProblem, type StoredProblem } from './problems.js';

/** A decision the ledger already holds, as the index knows it. */
export interface CommittedDecision {
  recordJson: string;
  ownerMsp: string;
  receipt: DecisionReceipt;
}

export interface OutboxOptions extends Omit<BatcherOptions, 'store'> {
  store: OutboxStore;
  /** The first appearance on the ledger of each of these decision ids the block-derived index holds. */
  findCommitted: (decisionIds: readonly string[]) => Promise<ReadonlyMap<string, CommittedDecision>>;
  /**
   * Resolves true once the index has caught up with the ledger as it stood at start, false after
   * `timeoutMs`: until then a decision committed earlier could look new (e.g. after the index was
   * deleted), so submissions wait for it.
   */
  indexCaughtUp: (timeoutMs: number) => Promise<boolean>;
  /** The last block the index holds (undefined before its first): the decisions committed up to it are forgotten. */
  indexedThrough: () => number | undefined;
  /**
   * Most decisions held uncommitted (they are kept in memory too). A submission whose new decisions
   * would pass it is refused whole with 503 and Retry-After, unless the outbox is empty: a backlog
   * that only grows is refused at the door rather than committed ever later. Default: no limit.
   */
  maxPending?: number;
  /** Failed rows stay this long for their status URL, then are pruned. Default 24 h. */
  keepFailedMs?: number;
  /** How often the outbox forgets indexed rows and prunes old failed ones. Default 1 s. */
  sweepMs?: number;
}

/** Rows deleted per statement while sweeping; between two, other work runs (measured: 2,000 rows take about 25 ms). */
const SWEEP_CHUNK = 2_000;
/** How long a submission waits for the index to catch up before it is refused with 503. */
const CATCH_UP_WAIT_MS = 10_000;

/** How each decision of a submission was admitted. */
export type Admission =
  | { decisionId: string; kind: 'accepted' }
  | { decisionId: string; kind: 'pending' }
  | { decisionId: string; kind: 'committed'; receipt: DecisionReceipt };

export interface SubmissionHandle {
  admissions: Admission[];
  /** Each decision's outcome, in the submission's order (already known ones resolve at once). */
  outcomes: Promise<Outcome[]>;
}

export interface DecisionStatus {
  decisionId: string;
  ownerMsp: string;
  state: 'pending' | 'committed' | 'failed';
  acceptedAt: string | undefined;
  batchId: string | undefined;
  position: number | undefined;
  txId: string | undefined;
  blockNumber: string | undefined;
  problem: (StoredProblem & { type: string }) | undefined;
}

export class DecisionOutbox {
  readonly #o: OutboxOptions;
  readonly #batcher: Batcher;
  #accepting = false;
  #sweepTimer: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;

  constructor(options: OutboxOptions) {
    this.#o = options;
    this.#batcher = new Batcher(options);
  }

  /** Replays every pending submission: batches with a persisted id keep it (a committed one is then recognised), the rest are queued. */
  start(): { resumedBatches: number; queuedDecisions: number } {
    const { store, logger } = this.#o;
    if (store.migratedLegacyRows > 0) logger.info({ rows: store.migratedLegacyRows }, 'outbox: moved the rows of an older gateway into submissions');
    const byBatch = new Map<string, PendingSubmission[]>();
    let queuedDecisions = 0;
    let pendingDecisions = 0;
    for (const pending of store.pending()) {
      pendingDecisions += pending.submission.decisionIds.length;
      if (pending.batch !== undefined) groupInto(byBatch, pending.batch.batchId, pending);
      else {
        this.#batcher.enqueue(pending.submission);
        queuedDecisions += pending.submission.decisionIds.length;
      }
    }
    for (const [batchId, group] of byBatch) {
      group.sort((a, b) => (a.batch?.firstPosition ?? 0) - (b.batch?.firstPosition ?? 0));
      const first = group[0];
      if (first !== undefined) this.#batcher.resume(batchId, first.submission.signer, group.map((p) => p.submission));
    }
    if (pendingDecisions > 0) logger.info({ batches: byBatch.size, decisions: pendingDecisions }, 'outbox: replaying decisions accepted before the last stop');
    this.#sweepTimer = setInterval(() => void this.sweep(), this.#o.sweepMs ?? 1_000);
    this.#sweepTimer.unref();
    this.#accepting = true;
    return { resumedBatches: byBatch.size, queuedDecisions };
  }

  /**
   * Admits validated decisions: each is new (written to the outbox before this returns), already
   * pending, or already committed. Refuses the whole submission with 409 when any id is known with
   * different content (or another org), writing nothing.
   */
  async submit(signer: FabricSigner, inputs: readonly DecisionInput[], listForm: boolean): Promise<SubmissionHandle> {
    if (!this.#accepting) throw new ProblemError({ status: 503, slug: 'not-ready', detail: 'The decision outbox is not accepting submissions.', headers: { 'Retry-After': '5' } });
    if (!(await this.#o.indexCaughtUp(CATCH_UP_WAIT_MS))) {
      throw new ProblemError({
        status: 503,
        slug: 'not-ready',
        detail: 'The decision index is still catching up with the ledger; until it has, a committed decision could not be told from a new one.',
        headers: { 'Retry-After': '5' },
      });
    }
    const contents = inputs.map(contentOf);
    const committed = await this.#o.findCommitted(contents.map((c) => c.decisionId));
    const field = (i: number): string => (listForm ? `decisions[${i}].decisionId` : 'decisionId');
    // From here to the admission's hold nothing awaits: no other submission can slip in between.
    const accepted: DecisionContent[] = [];
    const admissions = contents.map((content, i): Admission => {
      const { decisionId } = content;
      const pending = this.#o.store.pendingDecision(decisionId);
      if (pending !== undefined) {
        const { submission } = pending.pending;
        if (submission.contentSha256s[pending.index] !== content.sha256 || submission.signer.mspId !== signer.mspId) throw conflict(field(i), decisionId);
        return { decisionId, kind: 'pending' };
      }
      const recent = this.#batcher.recentlyCommitted(decisionId);
      if (recent !== undefined) {
        if (recent.mspId !== signer.mspId || sha256Hex(recent.recordJson) !== content.sha256) throw conflict(field(i), decisionId);
        return { decisionId, kind: 'committed', receipt: recent.receipt };
      }
      const onLedger = committed.get(decisionId);
      if (onLedger !== undefined) {
        if (onLedger.ownerMsp !== signer.mspId || contentShaOfRecord(onLedger.recordJson) !== content.sha256) throw conflict(field(i), decisionId);
        return { decisionId, kind: 'committed', receipt: onLedger.receipt };
      }
      accepted.push(content);
      return { decisionId, kind: 'accepted' };
    });
    const held = this.#o.store.pendingCount();
    const { maxPending } = this.#o;
    // An empty outbox admits any submission, so a limit below one call's size still lets work through;
    // a submission with nothing new (resubmissions only) adds nothing and is never refused.
    if (maxPending !== undefined && accepted.length > 0 && held > 0 && held + accepted.length > maxPending) {
      this.#o.metrics?.overloaded.inc(accepted.length);
      throw overloaded(held, accepted.length, maxPending);
    }
    const submission: QueuedSubmission | undefined =
      accepted.length === 0
        ? undefined
        : {
            submissionId: randomUUID(),
            signer,
            decisionIds: accepted.map((c) => c.decisionId),
            recordJsons: accepted.map((c) => c.json),
            contentSha256s: accepted.map((c) => c.sha256),
            acceptedAt: Date.now(),
            listForm,
          };
    const written = this.#o.store.admit(submission);
    // Waiters first (a joined pending decision's batch may settle while this one is written), then the write.
    const outcomes = admissions.map((a): Promise<Outcome> => (a.kind === 'committed' ? Promise.resolve({ receipt: a.receipt }) : this.#batcher.wait(a.decisionId)));
    try {
      await written;
    } catch (err) {
      const problem = new ProblemError({ status: 503, slug: 'not-ready', detail: 'The decision outbox could not write the submission.', headers: { 'Retry-After': '5' }, cause: err });
      this.#batcher.abandon(admissions.filter((a) => a.kind !== 'committed').map((a) => a.decisionId), problem);
      throw problem;
    }
    if (submission !== undefined) this.#batcher.enqueue(submission);
    return { admissions, outcomes: Promise.all(outcomes) };
  }

  /** The outbox's view of a decision; undefined when the outbox does not know it (pruned or never submitted here). */
  status(decisionId: string): DecisionStatus | undefined {
    const pending = this.#o.store.pendingDecision(decisionId);
    if (pending !== undefined) {
      const { submission, batch } = pending.pending;
      const place = batch === undefined ? { batchId: undefined, position: undefined } : { batchId: batch.batchId, position: batch.firstPosition + pending.index };
      return { decisionId, ownerMsp: submission.signer.mspId, state: 'pending', acceptedAt: new Date(submission.acceptedAt).toISOString(), ...place, txId: undefined, blockNumber: undefined, problem: undefined };
    }
    const recent = this.#batcher.recentlyCommitted(decisionId);
    if (recent !== undefined) {
      const { batchId, position, txId, blockNumber } = recent.receipt;
      return { decisionId, ownerMsp: recent.mspId, state: 'committed', acceptedAt: undefined, batchId, position, txId, blockNumber, problem: undefined };
    }
    const failed = this.#o.store.failedDecision(decisionId);
    if (failed === undefined) return undefined;
    return {
      decisionId,
      ownerMsp: failed.mspId,
      state: 'failed',
      acceptedAt: new Date(failed.acceptedAt).toISOString(),
      batchId: undefined,
      position: undefined,
      txId: undefined,
      blockNumber: undefined,
      problem: storedProblem(failed.problemJson),
    };
  }

  /**
   * Forgets the committed decisions whose block the index holds (it answers for them from then on) and
   * deletes failed decisions older than keepFailedMs, a bounded chunk at a time with a turn of the
   * event loop between chunks, so requests keep being served while a large backlog goes. Resolves
   * with the failed decisions deleted.
   */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweepChunks().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #sweepChunks(): Promise<number> {
    const through = this.#o.indexedThrough();
    if (through !== undefined) this.#batcher.indexedThrough(through);
    const failedBefore = Date.now() - (this.#o.keepFailedMs ?? 24 * 3600_000);
    let deleted = 0;
    for (;;) {
      let n: number;
      try {
        n = this.#o.store.pruneFailed(failedBefore, SWEEP_CHUNK);
      } catch (err) {
        // A closed store (stop) or a busy database: the next sweep tries again.
        this.#o.logger.debug({ err }, 'outbox sweep stopped');
        return deleted;
      }
      deleted += n;
      if (n < SWEEP_CHUNK) return deleted;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  depth(): number {
    return this.#o.store.pendingCount();
  }

  /** Stops accepting, drains in-flight batches (up to `timeoutMs`); the rest stays in the outbox for the next start. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#sweepTimer);
    await this.#batcher.stop(timeoutMs);
    await this.#sweeping;
  }
}

function groupInto<T>(groups: Map<string, T[]>, key: string, item: T): void {
  const group = groups.get(key);
  if (group === undefined) groups.set(key, [item]);
  else group.push(item);
}

function overloaded(held: number, decisions: number, maxPending: number): ProblemError {
  return new ProblemError({
    status: 503,
    slug: 'overloaded',
    detail: `The outbox holds ${held} decisions waiting for the ledger, at most ${maxPending}; the ${decisions} new ones of this request would pass that. Nothing of it was accepted: send it again later.`,
    headers: { 'Retry-After': '2' },
    extensions: { maxPending },
  });
}

function conflict(field: string, decisionId: string): ProblemError {
  const message = `decision ${decisionId} was already submitted with different content; a decision id is never reused`;
  return new ProblemError({ status: 409, slug: 'conflict', detail: `${field}: ${message}`, errors: [{ field, message, in: 'body' }] });
}
