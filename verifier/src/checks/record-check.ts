// Check (4): each records.ndjson line is byte-for-byte the record at its position in a batch write of a VALID, verified transaction.
import type { Manifest, RecordAnchor } from '../bundle/layout.js';
import { filterMismatch } from '../bundle/filter.js';
import { objectMembers, JsonSpanError } from '../json-span.js';
import { shortTx, type Findings, type RecordResult } from '../report.js';
import type { LedgerView } from './ledger-view.js';

/** A batch write's place: block, transaction and batch id. */
export const writeKey = (a: Pick<RecordAnchor, 'blockNumber' | 'txIndex' | 'batchId'>): string => `${a.blockNumber}:${a.txIndex}:${a.batchId}`;

/** writeKey → position → decisionId of every record line. */
export type ExportedRecords = ReadonlyMap<string, ReadonlyMap<number, string>>;

export interface RecordCheckResult {
  readonly records: RecordResult[];
  readonly exported: ExportedRecords;
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function anchorOf(line: unknown): RecordAnchor | undefined {
  if (typeof line !== 'object' || line === null) return undefined;
  const get = (name: string): unknown => Reflect.get(line, name);
  const decisionId = get('decisionId');
  const txId = get('txId');
  const batchId = get('batchId');
  const blockNumber = get('blockNumber');
  const txIndex = get('txIndex');
  const position = get('position');
  if (typeof decisionId !== 'string' || typeof txId !== 'string' || typeof batchId !== 'string') return undefined;
  if (!isIndex(blockNumber) || !isIndex(txIndex) || !isIndex(position)) return undefined;
  return { decisionId, txId, batchId, blockNumber, txIndex, position };
}

function compareAnchors(a: RecordAnchor, b: RecordAnchor): number {
  return a.blockNumber - b.blockNumber || a.txIndex - b.txIndex || (a.batchId < b.batchId ? -1 : a.batchId > b.batchId ? 1 : 0) || a.position - b.position;
}

/** Checks every record line against the ledger evidence; own problems go to `findings`, inherited ones only to the record. */
export function checkRecords(ndjson: Buffer, manifest: Manifest, view: LedgerView, findings: Findings): RecordCheckResult {
  const records: RecordResult[] = [];
  const exported = new Map<string, Map<number, string>>();
  let previous: RecordAnchor | undefined;
  let line = 0;
  for (let start = 0; start < ndjson.length; ) {
    const newline = ndjson.indexOf(0x0a, start);
    const end = newline === -1 ? ndjson.length : newline;
    const bytes = ndjson.subarray(start, end);
    start = end + 1;
    line++;
    const own: string[] = [];
    const fail = (message: string): void => {
      own.push(message);
      findings.fail('record', message);
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      fail(`records.ndjson line ${line}: not valid JSON`);
      records.push({ line, decisionId: undefined, blockNumber: undefined, txId: undefined, ok: false, problems: own });
      continue;
    }
    const anchor = anchorOf(parsed);
    const record: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'record') : undefined;
    if (anchor === undefined || typeof record !== 'object' || record === null) {
      fail(`records.ndjson line ${line}: lacks decisionId, txId, blockNumber, txIndex, batchId, position or record`);
      records.push({ line, decisionId: undefined, blockNumber: undefined, txId: undefined, ok: false, problems: own });
      continue;
    }
    const name = `record ${anchor.decisionId}`;
    const positions = exported.get(writeKey(anchor)) ?? new Map<number, string>();
    if (positions.has(anchor.position)) fail(`${name} (line ${line}): repeats an earlier line's ledger position`);
    positions.set(anchor.position, anchor.decisionId);
    exported.set(writeKey(anchor), positions);
    if (previous !== undefined && compareAnchors(previous, anchor) > 0) {
      fail(`${name} (line ${line}): out of ledger order (block ${anchor.blockNumber} tx ${anchor.txIndex} position ${anchor.position} comes after block ${previous.blockNumber} tx ${previous.txIndex} position ${previous.position})`);
    }
    previous = anchor;
    const recordDecisionId: unknown = Reflect.get(record, 'decisionId');
    if (recordDecisionId !== anchor.decisionId) fail(`${name} (line ${line}): the record's decisionId is ${JSON.stringify(recordDecisionId)}`);
    const mismatch = filterMismatch(record, manifest.filter, manifest.ownerMsp);
    if (mismatch !== undefined) fail(`${name}: does not match the export's filter (${mismatch})`);
    const inherited = checkWrite(anchor, bytes, view, name, fail);
    const problems = inherited.length === 0 ? own : [...own, ...inherited];
    records.push({ line, decisionId: anchor.decisionId, blockNumber: anchor.blockNumber, txId: anchor.txId, ok: problems.length === 0, problems });
  }
  if (records.length !== manifest.counts.records) findings.fail('record', `records.ndjson holds ${records.length} records, the manifest says ${manifest.counts.records}`);
  return { records, exported };
}

const RECORD_MEMBER = Buffer.from('"record":');

/**
 * The line's `record` value when the writer's layout holds (`…,"record":<bytes>}`): a fast guess
 * that is only ever used to find equal ledger bytes (a wrong guess cannot equal a whole record).
 */
function lastRecordMember(line: Buffer): Buffer | undefined {
  const at = line.lastIndexOf(RECORD_MEMBER);
  return at === -1 || line[line.length - 1] !== 0x7d ? undefined : line.subarray(at + RECORD_MEMBER.length, line.length - 1);
}

/** Whether the line's `record` member is exactly `ledger`'s bytes, the member located by scanning the line. */
function sameRecord(line: Buffer, ledger: Buffer): boolean {
  try {
    const span = objectMembers(line).get('record');
    return span !== undefined && line.subarray(span.start, span.end).equals(ledger);
  } catch (err) {
    if (err instanceof JsonSpanError) return false;
    throw err;
  }
}

/** Compares the line's record with the ledger write; returns the problems of the block and transaction it rests on. */
function checkWrite(anchor: RecordAnchor, line: Buffer, view: LedgerView, name: string, fail: (message: string) => void): string[] {
  const block = view.block(anchor.blockNumber);
  if (block === undefined) {
    fail(`${name}: block ${anchor.blockNumber} is not in the bundle`);
    return [];
  }
  const decoded = view.transaction(anchor.blockNumber, anchor.txIndex);
  if (!decoded.ok) {
    fail(`${name}: ${decoded.problem}`);
    return [...view.inherited(anchor.blockNumber)];
  }
  const { tx } = decoded;
  const where = `tx ${shortTx(anchor.txId)} block ${anchor.blockNumber}`;
  if (tx.txId !== anchor.txId) {
    fail(`${name}: transaction ${anchor.txIndex} of block ${anchor.blockNumber} is ${shortTx(tx.txId)}, not ${shortTx(anchor.txId)}`);
    return [...view.inherited(anchor.blockNumber)];
  }
  const inherited = [...view.inherited(anchor.blockNumber), ...view.verdict(anchor.blockNumber, tx).problems];
  const write = view.batchWrites(anchor.blockNumber, tx).find((w) => w.batchId === anchor.batchId);
  if (write === undefined) {
    fail(`${name}: ${where} writes no batch ${anchor.batchId}`);
    return inherited;
  }
  const guess = lastRecordMember(line);
  if (guess !== undefined && write.matchNext(anchor.position, guess)) return inherited;
  const spans = write.spans();
  const span = spans?.[anchor.position];
  if (spans === undefined) fail(`${name}: ${write.problem ?? `batch ${anchor.batchId} cannot be read`}`);
  else if (span === undefined) fail(`${name}: batch ${anchor.batchId} in ${where} has no position ${anchor.position}`);
  else if (!sameRecord(line, write.value.subarray(span.start, span.end))) fail(`${name}: bytes differ from write in ${where}`);
  return inherited;
}
