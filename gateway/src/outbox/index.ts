// The durable outbox and batcher: admission (idempotent), batching into RecordDecisions, crash replay, status.
export { DecisionOutbox, type Admission, type CommittedDecision, type DecisionStatus, type OutboxOptions, type SubmissionHandle } from './outbox.js';
export { OutboxStore, type OutboxStoreOptions } from './outbox-store.js';
export type { BatchLimits, DecisionReceipt, Outcome, QueuedSubmission } from './types.js';
