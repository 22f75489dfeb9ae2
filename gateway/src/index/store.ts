// The index store contract: what the follower writes (a block's rows with the checkpoint, atomically) and what readers ask.
import type { BatchRow, BlockRows, DecisionRow, LedgerAnchor } from './rows.js';

export type { BatchRow, BlockRows, DecisionRow, EventRow, LedgerAnchor, ModelOwnerRow } from './rows.js';

/** A decision as the index returns it: the row, its ledger order and whether its id also appears elsewhere on the ledger. */
export interface IndexedDecision extends DecisionRow {
  /** Ledger order of the row (1, 2, …); also the search cursor. */
  seq: number;
  /** 1 for the first appearance of the id on the ledger, 2 for the second, … */
  occurrence: number;
}

export interface DecisionSearch {
  /** Only this org's decisions; undefined = every org (regulator). */
  ownerMsp?: string | undefined;
  modelId?: string | undefined;
  modelVersion?: string | undefined;
  /** Ledger time (recordedAt) window, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  subjectRef?: string | undefined;
  /** Decisions recorded while this drift alert was open on their model version. */
  alertId?: string | undefined;
  /** Rows after this ledger order (the previous page's last seq). */
  afterSeq?: number | undefined;
  limit: number;
}

export interface DecisionSearchPage {
  decisions: IndexedDecision[];
  /** The seq to continue after, or undefined on the last page. */
  nextAfterSeq: number | undefined;
}

/** A chaincode event kept for server-sent events; `id` is `${blockNumber}:${txIndex}`. */
export interface IndexedEvent {
  id: string;
  blockNumber: number;
  txIndex: number;
  txId: string;
  name: string;
  payload: unknown;
  modelId: string | undefined;
  ownerMsp: string | undefined;
  at: string | undefined;
}

export interface EventCursor {
  blockNumber: number;
  txIndex: number;
}

export interface DuplicateDecisionId {
  decisionId: string;
  anchors: LedgerAnchor[];
}

export interface IndexStats {
  lastBlock: number | undefined;
  batches: number;
  decisions: number;
  events: number;
}

/**
 * The block-derived index, implemented on SQLite (sqlite-store.ts) and PostgreSQL (postgres-store.ts).
 * `applyBlock` must write the rows and move the checkpoint in one database transaction, accept only
 * the next block, and ignore a block it already holds.
 */
export interface IndexStore {
  /** The last fully indexed block, or undefined when nothing is indexed yet. */
  lastBlock(): Promise<number | undefined>;
  /** Rows of block `rows.blockNumber`, which must be lastBlock + 1 (or 0); a block at or below lastBlock is ignored. */
  applyBlock(rows: BlockRows): Promise<void>;
  /**
   * The chain the index was built from: `rows.chainId` of block 0 as applied (see chain-id.ts);
   * undefined before block 0 is indexed or when block 0 carried none.
   */
  chainId(): Promise<string | undefined>;
  /** Every appearance of the id on the ledger, in ledger order. */
  findDecision(decisionId: string): Promise<IndexedDecision[]>;
  /** The first appearance on the ledger of each of `decisionIds` the index holds (one query, for a submission's idempotency check). */
  firstAppearances(decisionIds: readonly string[]): Promise<Map<string, IndexedDecision>>;
  findBatch(batchId: string): Promise<BatchRow | undefined>;
  searchDecisions(query: DecisionSearch): Promise<DecisionSearchPage>;
  /** Events after `cursor` (all from the start when undefined), in ledger order. */
  eventsAfter(cursor: EventCursor | undefined, limit: number): Promise<IndexedEvent[]>;
  /** Every decision row in ledger order (block, transaction, position), for the consistency check. */
  scanDecisions(): AsyncIterable<IndexedDecision>;
  duplicateDecisionIds(): Promise<DuplicateDecisionId[]>;
  stats(): Promise<IndexStats>;
  /** Drops every row, the checkpoint and the chain id (reindex). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Decodes an event id `block:txIndex`; undefined for anything else. */
export function parseEventId(id: string | undefined): EventCursor | undefined {
  const match = /^(\d{1,15}):(\d{1,9})$/.exec(id?.trim() ?? '');
  if (match === null) return undefined;
  return { blockNumber: Number(match[1]), txIndex: Number(match[2]) };
}

export const eventIdOf = (cursor: EventCursor): string => `${cursor.blockNumber}:${cursor.txIndex}`;
