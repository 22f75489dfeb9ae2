// Decisions this gateway saw commit whose block the index does not hold yet: the outbox's answer for them in that window.
import type { DecisionReceipt } from './types.js';

/** A committed decision as the outbox remembers it until the index holds its block. */
export interface RecentDecision {
  receipt: DecisionReceipt;
  mspId: string;
  /** The canonical JSON of the input (its SHA-256 is the content hash idempotency compares). */
  recordJson: string;
}

/**
 * The outbox deletes a batch's rows as soon as it commits (one write per decision instead of an
 * update now and a delete later). Between that commit and the index holding its block, this keeps
 * what the rows said, so a resubmission is still recognised and the status URL still answers.
 */
export class RecentlyCommitted {
  readonly #byId = new Map<string, RecentDecision>();
  /** Commit order: the block and ids of each committed batch. */
  readonly #batches: { block: number; ids: string[] }[] = [];

  add(decisions: readonly RecentDecision[]): void {
    const first = decisions[0];
    if (first === undefined) return;
    for (const decision of decisions) this.#byId.set(decision.receipt.decisionId, decision);
    this.#batches.push({ block: Number(first.receipt.blockNumber), ids: decisions.map((d) => d.receipt.decisionId) });
  }

  get(decisionId: string): RecentDecision | undefined {
    return this.#byId.get(decisionId);
  }

  /** Forgets the batches whose block is `block` or earlier (the index answers for them). */
  forgetThrough(block: number): void {
    let kept = 0;
    for (const batch of this.#batches) {
      if (batch.block <= block) for (const id of batch.ids) this.#byId.delete(id);
      else this.#batches[kept++] = batch;
    }
    this.#batches.length = kept;
  }

  get size(): number {
    return this.#byId.size;
  }
}
