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

/** One caller's request: its decisions travel together in one batch (all or nothing). */
export interface QueuedSubmission {
  submissionId: string;
  signer: FabricSigner;
  decisionIds: string[];
  /** Canonical JSON of each validated input, as stored in the outbox. */
  recordJsons: string[];
  /** The caller sent `{decisions:[…]}`: problem fields keep the `decisions[k].` prefix. */
  listForm: boolean;
}

export type Outcome = { receipt: DecisionReceipt } | { problem: ProblemError };

export interface BatchLimits {
  maxSize: number;
  lingerMs: number;
  maxInFlight: number;
}
