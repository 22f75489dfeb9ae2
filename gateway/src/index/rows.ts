// From a decoded block to index rows: every decision of each VALID batch write, chaincode events, model owners. Pure.
import { canonicalJson, EventName, sha256Hex } from '@aiaudit/chaincode/domain';
import { z } from 'zod';
import { KeyType, splitKey } from '@aiaudit/chaincode/keys';
import { valueText, type DecodedBlock, type DecodedTransaction } from '../blocks/index.js';
import { batchRecordSpans } from '@aiaudit/verifier';
import { chainIdOf } from './chain-id.js';

/** Where a decision sits on the ledger: enough to fetch and check it (block, transaction, batch key, position). */
export interface LedgerAnchor {
  txId: string;
  blockNumber: number;
  txIndex: number;
  batchId: string;
  position: number;
}

export interface DecisionRow {
  decisionId: string;
  anchor: LedgerAnchor;
  modelId: string;
  modelVersion: string;
  recordedAt: string;
  decidedAt: string;
  subjectRef: string | undefined;
  outcomeLabel: string | undefined;
  ownerMsp: string;
  openDriftAlertIds: string[];
  /** SHA-256 of recordJson. */
  recordSha256: string;
  /** The record's JSON exactly as in the ledger's batch value (canonical: the chaincode writes canonical JSON). */
  recordJson: string;
}

export interface BatchRow {
  batchId: string;
  txId: string;
  blockNumber: number;
  txIndex: number;
  ownerMsp: string;
  recordedAt: string;
  count: number;
}

export interface EventRow {
  blockNumber: number;
  txIndex: number;
  txId: string;
  name: string;
  payloadJson: string;
  /** The model the event concerns, when it names one. */
  modelId: string | undefined;
  /** The org the event belongs to when the payload says so (else resolved from model owners by the store). */
  ownerMsp: string | undefined;
  /** The transaction time. */
  at: string | undefined;
}

export interface ModelOwnerRow {
  modelId: string;
  ownerMsp: string;
}

/** Everything one block adds to the index; applied atomically with the checkpoint. */
export interface BlockRows {
  blockNumber: number;
  /** Block 0 only: the chain's identity, stored with the block (chainIdOf). */
  chainId: string | undefined;
  batches: BatchRow[];
  decisions: DecisionRow[];
  events: EventRow[];
  modelOwners: ModelOwnerRow[];
  /** Writes that could not be indexed (a malformed batch value); logged, never silently dropped. */
  problems: string[];
}

/**
 * The parts of a DecisionBatch value the index reads. Looser than the chaincode's schema on
 * purpose: the chaincode validated every record when it wrote them, and a full re-validation
 * of 500 records per batch would halve the indexing rate. Unknown fields are kept.
 */
const IndexedRecord = z.looseObject({
  decisionId: z.string().min(1),
  modelId: z.string().min(1),
  modelVersion: z.string().min(1),
  recordedAt: z.string().min(1),
  decidedAt: z.string().min(1),
  subjectRef: z.string().optional(),
  output: z.looseObject({ label: z.string().optional() }),
  ownerMsp: z.string().min(1),
  openDriftAlertIds: z.array(z.string()),
});
const IndexedBatch = z.looseObject({
  batchId: z.string().min(1),
  ownerMsp: z.string().min(1),
  recordedAt: z.string().min(1),
  decisions: z.array(IndexedRecord),
});
type IndexedBatch = z.output<typeof IndexedBatch>;

/** Index rows of `block` for the chaincode `namespace` (e.g. aiaudit); invalid transactions contribute nothing. */
export function rowsOfBlock(block: DecodedBlock, namespace: string): BlockRows {
  const rows: BlockRows = { blockNumber: block.number, chainId: chainIdOf(block), batches: [], decisions: [], events: [], modelOwners: [], problems: [] };
  for (const tx of block.transactions) {
    if (!tx.valid) continue;
    addBatches(rows, block.number, tx, namespace);
    addEvents(rows, block.number, tx, namespace);
  }
  return rows;
}

const utf8 = new TextDecoder();

/** Each record's text as it stands in the batch value (the verifier's span finder), or why it cannot be cut. */
function exactRecords(value: Uint8Array): string[] | string {
  try {
    return batchRecordSpans(value).map((span) => utf8.decode(value.subarray(span.start, span.end)));
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function addBatches(rows: BlockRows, blockNumber: number, tx: DecodedTransaction, namespace: string): void {
  const where = `block ${blockNumber} tx ${tx.index} (${tx.txId})`;
  for (const write of tx.namespaces.find((ns) => ns.namespace === namespace)?.writes ?? []) {
    const key = splitKey(write.key);
    if (key?.type !== KeyType.batch) continue;
    if (write.isDelete) {
      rows.problems.push(`${where}: deletes batch key ${JSON.stringify(key.attributes)}`);
      continue;
    }
    let text: string;
    let batch: IndexedBatch;
    try {
      text = valueText(write);
      batch = IndexedBatch.parse(JSON.parse(text));
    } catch (err) {
      rows.problems.push(`${where}: batch value is not a DecisionBatch: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`);
      continue;
    }
    const batchId = key.attributes[0] ?? batch.batchId;
    rows.batches.push({ batchId, txId: tx.txId, blockNumber, txIndex: tx.index, ownerMsp: batch.ownerMsp, recordedAt: batch.recordedAt, count: batch.decisions.length });
    // Each record's exact bytes in the ledger value (the schema's output would reorder keys).
    const spans = exactRecords(write.value);
    const exact = typeof spans !== 'string' && spans.length === batch.decisions.length ? spans : undefined;
    if (exact === undefined) {
      // Indexed all the same (from the parsed value), but an export of these records will not verify.
      const why = typeof spans === 'string' ? spans : `${spans.length} record spans for ${batch.decisions.length} records`;
      rows.problems.push(`${where}: the records of batch ${batchId} cannot be cut from the value byte for byte (${why}); indexed from the parsed value`);
    }
    batch.decisions.forEach((record, position) => {
      const recordJson = exact?.[position] ?? canonicalJson(record);
      rows.decisions.push({
        decisionId: record.decisionId,
        anchor: { txId: tx.txId, blockNumber, txIndex: tx.index, batchId, position },
        modelId: record.modelId,
        modelVersion: record.modelVersion,
        recordedAt: record.recordedAt,
        decidedAt: record.decidedAt,
        subjectRef: record.subjectRef,
        outcomeLabel: record.output.label,
        ownerMsp: record.ownerMsp,
        openDriftAlertIds: record.openDriftAlertIds,
        recordSha256: sha256Hex(recordJson),
        recordJson,
      });
    });
  }
}

function addEvents(rows: BlockRows, blockNumber: number, tx: DecodedTransaction, namespace: string): void {
  for (const event of tx.events) {
    if (event.chaincodeId !== namespace) continue;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(event.payload).toString('utf8'));
    } catch {
      rows.problems.push(`block ${blockNumber} tx ${tx.index}: event ${event.eventName} payload is not JSON`);
      continue;
    }
    const modelId = stringField(payload, 'modelId');
    const ownerMsp = stringField(payload, 'ownerMsp');
    if (event.eventName === EventName.ModelVersionRegistered && modelId !== undefined && ownerMsp !== undefined) rows.modelOwners.push({ modelId, ownerMsp });
    rows.events.push({ blockNumber, txIndex: tx.index, txId: tx.txId, name: event.eventName, payloadJson: JSON.stringify(payload), modelId, ownerMsp, at: tx.timestamp });
  }
}

function stringField(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(name in value)) return undefined;
  const field: unknown = Reflect.get(value, name);
  return typeof field === 'string' ? field : undefined;
}
