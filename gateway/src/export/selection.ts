// Which records an export holds, block by block in ledger order: from the block-derived index (paged), never all in memory.
import type { ExportFilter } from '@aiaudit/verifier';
import type { IndexStore } from '../index/store.js';

/** A record to export: its place in a block (the bytes are read from the block itself). */
export interface SelectedRecord {
  decisionId: string;
  txId: string;
  txIndex: number;
  batchId: string;
  position: number;
}

/** The records of one block, in ledger order. */
export interface BlockSelection {
  blockNumber: number;
  records: SelectedRecord[];
}

export interface SelectionScope {
  filter: ExportFilter;
  /** Only this org's decisions (officer); undefined: every org (regulator). */
  ownerMsp: string | undefined;
  /** The last block to take records from (the channel height − 1 when the export started). */
  throughBlock: number;
}

/** The index as an export reads it. */
export type IndexReader = Pick<IndexStore, 'searchDecisions' | 'lastBlock'>;

/** Rows per index query; a page (record JSON included) stays a few MB next to the 512 MB budget. */
const PAGE = 2_000;

/** Pages through the index in ledger order and yields one selection per block. */
export async function* indexSelection(index: IndexReader, scope: SelectionScope): AsyncGenerator<BlockSelection> {
  const { filter } = scope;
  let afterSeq: number | undefined;
  let current: BlockSelection | undefined;
  for (;;) {
    const page = await index.searchDecisions({
      ownerMsp: scope.ownerMsp,
      modelId: filter.modelId,
      modelVersion: filter.modelVersion,
      from: filter.from,
      to: filter.to,
      subjectRef: filter.subjectRef,
      alertId: filter.alertId,
      afterSeq,
      limit: PAGE,
    });
    for (const row of page.decisions) {
      const { anchor } = row;
      if (anchor.blockNumber > scope.throughBlock) {
        if (current !== undefined) yield current;
        return;
      }
      if (current !== undefined && current.blockNumber !== anchor.blockNumber) {
        yield current;
        current = undefined;
      }
      current ??= { blockNumber: anchor.blockNumber, records: [] };
      current.records.push({ decisionId: row.decisionId, txId: anchor.txId, txIndex: anchor.txIndex, batchId: anchor.batchId, position: anchor.position });
    }
    if (page.nextAfterSeq === undefined) break;
    afterSeq = page.nextAfterSeq;
  }
  if (current !== undefined) yield current;
}

/**
 * Waits (polling) until the index has caught up with `throughBlock`, so that an export includes
 * what was committed before it was asked for; false when it did not within `timeoutMs`.
 */
export async function waitForIndex(index: IndexReader, throughBlock: number, timeoutMs: number, pollMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await index.lastBlock();
    if (last !== undefined && last >= throughBlock) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
