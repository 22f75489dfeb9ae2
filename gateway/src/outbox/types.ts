// What flows through the outbox: a caller's queued submission, batch limits, and each decision's receipt or problem.
import type { FabricSigner } from '../fabric/ledger.js';
import type { ProblemError } from '../http/problem.js';

/** What each caller gets back: where its decision committed. */
export interface DecisionReceipt {
  decisionId: string;
  batchId: string;
  position: number;
  txId: string;
  blockNumber: string;
}

/** One caller's accepted request, as the outbox holds it: its decisions travel together in one batch (all or nothing). */
export interface QueuedSubmission {
  submissionId: string;
  signer: FabricSigner;
  decisionIds: string[];
  /** Canonical JSON of each validated input. */
  recordJsons: string[];
  /** SHA-256 of each of recordJsons (what idempotency compares). */
  contentSha256s: string[];
  /** When the outbox accepted it (ms). */
  acceptedAt: number;
  /** The caller sent `{decisions:[…]}`: problem fields keep the `decisions[k].` prefix. */
  listForm: boolean;
}

export type Outcome = { receipt: DecisionReceipt } | { problem: ProblemError };

export interface BatchLimits {
  maxSize: number;
  lingerMs: number;
  maxInFlight: number;
}
