// Test-only: the fixture's blocks served as a peer would (height, block by number or tx id) and its records as the decision index would.
import { parseBlock } from '../fabric/block.js';
import { decodeTransaction } from '../fabric/transaction.js';
import { blockNumbers, file, fixtureFiles, recordLines } from './fixture.js';

/** Blocks of the fixture: its data blocks and config block 0; the channel height is one past the last data block. */
export function fixtureBlocks(options: { failAt?: number } = {}) {
  const files = fixtureFiles();
  const numbers = blockNumbers(files);
  const bytesOf = (n: number): Buffer => {
    if (n === options.failAt) throw new Error(`peer unavailable for block ${n}`);
    if (n === 0) return file(files, 'config/0.block');
    if (numbers.includes(n)) return file(files, `blocks/${n}.block`);
    throw new Error(`the fixture has no block ${n}`);
  };
  const fetched: number[] = [];
  return {
    fetched,
    height: async () => (numbers[numbers.length - 1] ?? 0) + 1,
    block: async (n: number) => {
      fetched.push(n);
      return bytesOf(n);
    },
    blockByTxId: async (txId: string) => {
      for (const n of numbers) {
        const block = parseBlock(bytesOf(n));
        if (block.envelopes.some((e, i) => decodeTransaction(e, i).txId === txId)) return bytesOf(n);
      }
      throw new Error(`no transaction ${txId}`);
    },
    chaincodeDefinition: async () => ({ version: '1', sequence: 1, endorsementPolicy: '/Channel/Application/Endorsement' }),
  };
}

interface FixtureRow {
  seq: number;
  occurrence: number;
  decisionId: string;
  anchor: { txId: string; blockNumber: number; txIndex: number; batchId: string; position: number };
  modelId: string;
  modelVersion: string;
  recordedAt: string;
  decidedAt: string;
  subjectRef: string | undefined;
  outcomeLabel: string | undefined;
  ownerMsp: string;
  openDriftAlertIds: string[];
  recordSha256: string;
  recordJson: string;
}

interface Search {
  ownerMsp?: string | undefined;
  modelId?: string | undefined;
  afterSeq?: number | undefined;
  limit: number;
}

/** The fixture's exported records as index rows (ledger order), searchable by owner and model, paged like the SQLite index. */
export function fixtureIndex(lastBlock?: number) {
  const rows: FixtureRow[] = recordLines(fixtureFiles()).map((line, i) => {
    const { record, ...anchor } = JSON.parse(line);
    return {
      seq: i + 1,
      occurrence: 1,
      decisionId: anchor.decisionId,
      anchor: { txId: anchor.txId, blockNumber: anchor.blockNumber, txIndex: anchor.txIndex, batchId: anchor.batchId, position: anchor.position },
      modelId: record.modelId,
      modelVersion: record.modelVersion,
      recordedAt: record.recordedAt,
      decidedAt: record.decidedAt,
      subjectRef: record.subjectRef,
      outcomeLabel: record.output?.label,
      ownerMsp: record.ownerMsp,
      openDriftAlertIds: record.openDriftAlertIds,
      recordSha256: '',
      recordJson: JSON.stringify(record),
    };
  });
  const modelId = rows[0]?.modelId ?? '';
  return {
    modelId,
    rows,
    lastBlock: async () => lastBlock ?? Math.max(...rows.map((r) => r.anchor.blockNumber)),
    searchDecisions: async (query: Search) => {
      const matching = rows.filter(
        (r) => (query.ownerMsp === undefined || r.ownerMsp === query.ownerMsp) && (query.modelId === undefined || r.modelId === query.modelId) && r.seq > (query.afterSeq ?? 0),
      );
      const page = matching.slice(0, query.limit);
      return { decisions: page, nextAfterSeq: matching.length > query.limit ? page[page.length - 1]?.seq : undefined };
    },
  };
}
