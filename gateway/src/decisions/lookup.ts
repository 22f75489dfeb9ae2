// Reading decisions from the block-derived index: by id (with read-your-writes via the outbox), searches, anchors.
import type { z } from 'zod';
import { DecisionRecord } from '@aiaudit/chaincode/domain';
import type { BlockFollower } from '../index/follower.js';
import type { IndexedDecision, IndexStore } from '../index/store.js';
import type { CommittedDecision } from '../outbox/outbox.js';
import type { DecisionOutbox } from '../outbox/outbox.js';
import type { LedgerAnchor } from './schemas.js';

export type Anchor = z.output<typeof LedgerAnchor>;

/** A decision as the index holds it: the record, where it is on the ledger, and any further appearance of its id. */
export interface FoundDecision {
  decisionId: string;
  batchId: string;
  ownerMsp: string;
  decision: DecisionRecord;
  anchor: Anchor;
  duplicateAnchors: Anchor[];
}

export const anchorOf = (d: IndexedDecision): Anchor => ({
  txId: d.anchor.txId,
  blockNumber: String(d.anchor.blockNumber),
  txIndex: d.anchor.txIndex,
  batchId: d.anchor.batchId,
  position: d.anchor.position,
});

export function recordOf(d: IndexedDecision): DecisionRecord {
  return DecisionRecord.parse(JSON.parse(d.recordJson));
}

export interface DecisionReaderDeps {
  index: IndexStore;
  follower: BlockFollower;
  outbox: DecisionOutbox;
  /** How long a read waits for the index to reach the block of a decision the outbox saw commit. */
  readYourWritesMs?: number;
}

export class DecisionReader {
  readonly #deps: DecisionReaderDeps;

  constructor(deps: DecisionReaderDeps) {
    this.#deps = deps;
  }

  /** The first appearance of the id on the ledger; waits briefly when this gateway committed it but has not indexed it yet. */
  async find(decisionId: string): Promise<FoundDecision | undefined> {
    let rows = await this.#deps.index.findDecision(decisionId);
    if (rows.length === 0) {
      const status = this.#deps.outbox.status(decisionId);
      if (status?.state !== 'committed' || status.blockNumber === undefined) return undefined;
      if (!(await this.#deps.follower.waitForBlock(Number(status.blockNumber), this.#deps.readYourWritesMs ?? 5_000))) return undefined;
      rows = await this.#deps.index.findDecision(decisionId);
    }
    const [first, ...others] = rows;
    if (first === undefined) return undefined;
    return { decisionId, batchId: first.anchor.batchId, ownerMsp: first.ownerMsp, decision: recordOf(first), anchor: anchorOf(first), duplicateAnchors: others.map(anchorOf) };
  }

  /** The idempotency view of the index: the first appearance of each id it holds, with its receipt (one query). */
  async committed(decisionIds: readonly string[]): Promise<Map<string, CommittedDecision>> {
    const found = new Map<string, CommittedDecision>();
    for (const [decisionId, first] of await this.#deps.index.firstAppearances(decisionIds)) {
      const a = first.anchor;
      found.set(decisionId, {
        recordJson: first.recordJson,
        ownerMsp: first.ownerMsp,
        receipt: { decisionId, batchId: a.batchId, position: a.position, txId: a.txId, blockNumber: String(a.blockNumber) },
      });
    }
    return found;
  }

  /** The block of a committed batch, waiting up to `timeoutMs` for the index to see it. */
  async locateBatch(batchId: string, timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const batch = await this.#deps.index.findBatch(batchId);
      if (batch !== undefined) return String(batch.blockNumber);
      const last = this.#deps.follower.lastBlock;
      if (Date.now() >= deadline) return undefined;
      await this.#deps.follower.waitForBlock(last === undefined ? 0 : last + 1, Math.max(1, Math.min(1_000, deadline - Date.now())));
    }
  }
}

/** Bookmarks are opaque to callers: the ledger order of the last row served. */
export const encodeBookmark = (afterSeq: number | undefined): string => (afterSeq === undefined ? '' : Buffer.from(`v1:${afterSeq}`, 'utf8').toString('base64url'));

export function decodeBookmark(bookmark: string | undefined): number | undefined | 'invalid' {
  if (bookmark === undefined || bookmark === '') return undefined;
  const match = /^v1:(\d{1,15})$/.exec(Buffer.from(bookmark, 'base64url').toString('utf8'));
  return match === null ? 'invalid' : Number(match[1]);
}
