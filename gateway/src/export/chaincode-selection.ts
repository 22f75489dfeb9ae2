// Record selection without the index: the chaincode's batch queries (by model version, or day by day), placed in blocks via qscc.
import { filterMismatch } from '@aiaudit/verifier';
import { z } from 'zod';
import { decodeBlock } from '../blocks/index.js';
import type { FabricSigner, Ledger } from '../fabric/ledger.js';
import type { LedgerBlocks } from './ledger-blocks.js';
import type { BlockSelection, SelectedRecord, SelectionScope } from './selection.js';

/** The export cannot be served this way (answered as the job's error). */
export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

const Page = z.object({
  batches: z.array(
    z.object({
      batchId: z.string(),
      txId: z.string(),
      decisions: z.array(z.object({ position: z.number().int().min(0), decision: z.looseObject({ decisionId: z.string() }) })),
    }),
  ),
  bookmark: z.string(),
});

const DAY_MS = 86_400_000;
const MAX_DAYS = 3_660;

async function* pages(ledger: Ledger, signer: FabricSigner, scope: SelectionScope): AsyncGenerator<z.infer<typeof Page>> {
  const { filter } = scope;
  const queries: { transaction: string; query: Record<string, unknown> }[] = [];
  if (filter.modelId !== undefined && filter.modelVersion !== undefined) {
    queries.push({ transaction: 'QueryDecisionsByModel', query: { modelId: filter.modelId, modelVersion: filter.modelVersion, from: filter.from, to: filter.to } });
  } else if (filter.from !== undefined) {
    const last = Date.parse(filter.to ?? new Date(Date.now() + DAY_MS).toISOString());
    for (let day = Date.parse(filter.from.slice(0, 10)); day <= last; day += DAY_MS) {
      if (queries.length >= MAX_DAYS) throw new SelectionError(`without the index an export spans at most ${MAX_DAYS} days`);
      queries.push({ transaction: 'QueryDecisionsByDay', query: { day: new Date(day).toISOString().slice(0, 10) } });
    }
  } else {
    throw new SelectionError('without the decision index an export needs modelId and modelVersion, or from');
  }
  for (const { transaction, query } of queries) {
    let bookmark = '';
    do {
      const answer: unknown = await ledger.evaluate(signer, 'decisions', transaction, [JSON.stringify({ ...query, pageSize: 20, bookmark })]);
      const page = Page.parse(answer);
      yield page;
      bookmark = page.bookmark;
    } while (bookmark !== '');
  }
}

/** Selections in ledger order; the batches' blocks are found by transaction id, so this reads each such block once more. */
export async function* chaincodeSelection(ledger: Ledger, signer: FabricSigner, blocks: LedgerBlocks, scope: SelectionScope): AsyncGenerator<BlockSelection> {
  const byTx = new Map<string, { batchId: string; records: { decisionId: string; position: number }[] }>();
  for await (const page of pages(ledger, signer, scope)) {
    for (const batch of page.batches) {
      const records = batch.decisions
        .filter(({ decision }) => filterMismatch(decision, scope.filter, scope.ownerMsp) === undefined)
        .map(({ decision, position }) => ({ decisionId: decision.decisionId, position }));
      if (records.length > 0) byTx.set(batch.txId, { batchId: batch.batchId, records });
    }
  }
  const placed: { blockNumber: number; txIndex: number; txId: string; batchId: string; records: { decisionId: string; position: number }[] }[] = [];
  for (const [txId, batch] of byTx) {
    const block = decodeBlock(await blocks.blockByTxId(txId));
    const tx = block.transactions.find((t) => t.txId === txId);
    if (tx === undefined) throw new SelectionError(`block ${block.number} does not hold transaction ${txId}`);
    if (block.number <= scope.throughBlock) placed.push({ blockNumber: block.number, txIndex: tx.index, txId, ...batch });
  }
  placed.sort((a, b) => a.blockNumber - b.blockNumber || a.txIndex - b.txIndex);
  let current: BlockSelection | undefined;
  for (const batch of placed) {
    if (current !== undefined && current.blockNumber !== batch.blockNumber) {
      yield current;
      current = undefined;
    }
    current ??= { blockNumber: batch.blockNumber, records: [] };
    const records: SelectedRecord[] = [...batch.records]
      .sort((a, b) => a.position - b.position)
      .map((r) => ({ decisionId: r.decisionId, txId: batch.txId, txIndex: batch.txIndex, batchId: batch.batchId, position: r.position }));
    current.records.push(...records);
  }
  if (current !== undefined) yield current;
}
