// Check (4): each records.ndjson line is byte-for-byte the record at its position in a batch write of a VALID, verified transaction.
import type { Manifest, RecordAnchor } from '../bundle/layout.js';
import { filterMismatch } from '../bundle/filter.js';
import { readRecordLines, type RecordLine } from '../bundle/record-lines.js';
import { objectMembers, JsonSpanError } from '../json-span.js';
import { shortTx, type Findings, type RecordResult } from '../report.js';
import type { BatchWrite, LedgerView } from './ledger-view.js';

/** A batch write's place: block, transaction and batch id. */
export const writeKey = (a: Pick<RecordAnchor, 'blockNumber' | 'txIndex' | 'batchId'>): string => `${a.blockNumber}:${a.txIndex}:${a.batchId}`;

/** writeKey → position → decisionId of every record line. */
export type ExportedRecords = ReadonlyMap<string, ReadonlyMap<number, string>>;

export interface RecordCheckResult {
  readonly records: RecordResult[];
  readonly exported: ExportedRecords;
}

function compareAnchors(a: RecordAnchor, b: RecordAnchor): number {
  return a.blockNumber - b.blockNumber || a.txIndex - b.txIndex || (a.batchId < b.batchId ? -1 : a.batchId > b.batchId ? 1 : 0) || a.position - b.position;
}

/** Checks every record line against the ledger evidence; own problems go to `findings`, inherited ones only to the record. */
export function checkRecords(ndjson: Buffer, manifest: Manifest, view: LedgerView, findings: Findings): RecordCheckResult {
  const checker = new LineChecker(ndjson, manifest, view, findings);
  const records: RecordResult[] = [];
  readRecordLines(ndjson, (read) => records.push(checker.check(read, records.length + 1)));
  if (records.length !== manifest.counts.records) findings.fail('record', `records.ndjson holds ${records.length} records, the manifest says ${manifest.counts.records}`);
  return { records, exported: checker.exported };
}

/**
 * The checks of one line after another. The common path (a line with no problem) is kept short and makes
 * nothing but the line's result: it runs thousands of times before the JIT has compiled it.
 */
class LineChecker {
  /** writeKey → position → decisionId of the lines read so far. */
  readonly exported = new Map<string, Map<number, string>>();
  readonly #ndjson: Buffer;
  readonly #manifest: Manifest;
  readonly #findings: Findings;
  readonly #writes: WriteResolver;
  #previous: RecordAnchor | undefined;
  /** The previous line's write's entry in `exported` (lines of one batch follow each other). */
  #positions: Map<number, string> | undefined;

  constructor(ndjson: Buffer, manifest: Manifest, view: LedgerView, findings: Findings) {
    this.#ndjson = ndjson;
    this.#manifest = manifest;
    this.#findings = findings;
    this.#writes = new WriteResolver(view);
  }

  check(read: RecordLine, line: number): RecordResult {
    if (read.kind !== 'record') {
      const problem = read.kind === 'not-json' ? `records.ndjson line ${line}: not valid JSON` : `records.ndjson line ${line}: lacks decisionId, txId, blockNumber, txIndex, batchId, position or record`;
      this.#findings.fail('record', problem);
      return { line, decisionId: undefined, blockNumber: undefined, txId: undefined, ok: false, problems: [problem] };
    }
    const { anchor } = read;
    let own = this.#placed(anchor, line);
    if (read.decisionId !== anchor.decisionId) own = this.#fail(own, `record ${anchor.decisionId} (line ${line}): the record's decisionId is ${JSON.stringify(read.decisionId)}`);
    const mismatch = filterMismatch(read.filterFields, this.#manifest.filter, this.#manifest.ownerMsp);
    if (mismatch !== undefined) own = this.#fail(own, `record ${anchor.decisionId}: does not match the export's filter (${mismatch})`);
    const resolved = this.#writes.resolve(anchor);
    let inherited: readonly string[];
    if (!resolved.ok) {
      own = this.#fail(own, `record ${anchor.decisionId}: ${resolved.problem}`);
      inherited = resolved.inherited;
    } else {
      const problem = writeProblem(resolved, read, this.#ndjson);
      if (problem !== undefined) own = this.#fail(own, `record ${anchor.decisionId}: ${problem}`);
      inherited = resolved.inherited;
    }
    const problems = own === undefined ? inherited : inherited.length === 0 ? own : [...own, ...inherited];
    return { line, decisionId: anchor.decisionId, blockNumber: anchor.blockNumber, txId: anchor.txId, ok: problems.length === 0, problems };
  }

  /** Records the line's ledger position; its problems when the position repeats or comes out of ledger order. */
  #placed(anchor: RecordAnchor, line: number): string[] | undefined {
    const previous = this.#previous;
    let positions = this.#positions;
    if (positions === undefined || previous === undefined || !sameWrite(previous, anchor)) {
      const key = writeKey(anchor);
      positions = this.exported.get(key) ?? new Map<number, string>();
      this.exported.set(key, positions);
      this.#positions = positions;
    }
    let own: string[] | undefined;
    if (positions.has(anchor.position)) own = this.#fail(own, `record ${anchor.decisionId} (line ${line}): repeats an earlier line's ledger position`);
    positions.set(anchor.position, anchor.decisionId);
    if (previous !== undefined && compareAnchors(previous, anchor) > 0) {
      own = this.#fail(
        own,
        `record ${anchor.decisionId} (line ${line}): out of ledger order (block ${anchor.blockNumber} tx ${anchor.txIndex} position ${anchor.position} comes after block ${previous.blockNumber} tx ${previous.txIndex} position ${previous.position})`,
      );
    }
    this.#previous = anchor;
    return own;
  }

  #fail(own: string[] | undefined, message: string): string[] {
    this.#findings.fail('record', message);
    return own === undefined ? [message] : [...own, message];
  }
}

const sameWrite = (a: RecordAnchor, b: RecordAnchor): boolean => a.blockNumber === b.blockNumber && a.txIndex === b.txIndex && a.batchId === b.batchId;

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

/** The batch write a line names, or why it cannot be found; with the problems of the block and transaction it rests on. */
type Resolved =
  | { readonly ok: true; readonly write: BatchWrite; readonly where: string; readonly inherited: readonly string[] }
  | { readonly ok: false; readonly problem: string; readonly inherited: readonly string[] };

/** Resolves anchors to batch writes, reusing the last answer for the run of lines that name the same write. */
class WriteResolver {
  readonly #view: LedgerView;
  #last: { anchor: RecordAnchor; resolved: Resolved } | undefined;

  constructor(view: LedgerView) {
    this.#view = view;
  }

  resolve(anchor: RecordAnchor): Resolved {
    const last = this.#last;
    if (last !== undefined && sameWrite(last.anchor, anchor) && last.anchor.txId === anchor.txId) return last.resolved;
    const resolved = this.#lookUp(anchor);
    this.#last = { anchor, resolved };
    return resolved;
  }

  #lookUp(anchor: RecordAnchor): Resolved {
    const view = this.#view;
    const block = view.block(anchor.blockNumber);
    if (block === undefined) return { ok: false, problem: `block ${anchor.blockNumber} is not in the bundle`, inherited: [] };
    const decoded = view.transaction(anchor.blockNumber, anchor.txIndex);
    if (!decoded.ok) return { ok: false, problem: decoded.problem, inherited: view.inherited(anchor.blockNumber) };
    const { tx } = decoded;
    if (tx.txId !== anchor.txId) {
      return { ok: false, problem: `transaction ${anchor.txIndex} of block ${anchor.blockNumber} is ${shortTx(tx.txId)}, not ${shortTx(anchor.txId)}`, inherited: view.inherited(anchor.blockNumber) };
    }
    const where = `tx ${shortTx(anchor.txId)} block ${anchor.blockNumber}`;
    const inherited = [...view.inherited(anchor.blockNumber), ...view.verdict(anchor.blockNumber, tx).problems];
    const write = view.batchWrites(anchor.blockNumber, tx).find((w) => w.batchId === anchor.batchId);
    if (write === undefined) return { ok: false, problem: `${where} writes no batch ${anchor.batchId}`, inherited };
    return { ok: true, write, where, inherited };
  }
}

/** Why the line's record is not the ledger's record at its position in the write (undefined when it is). */
function writeProblem(resolved: Extract<Resolved, { ok: true }>, line: Extract<RecordLine, { kind: 'record' }>, ndjson: Buffer): string | undefined {
  const { write, where } = resolved;
  const { anchor, start, end, recordStart } = line;
  if (recordStart !== -1 && ndjson[end - 1] === 0x7d && write.matchNext(anchor.position, ndjson, recordStart, end - 1)) return undefined;
  const spans = write.spans();
  const span = spans?.[anchor.position];
  if (spans === undefined) return write.problem ?? `batch ${anchor.batchId} cannot be read`;
  if (span === undefined) return `batch ${anchor.batchId} in ${where} has no position ${anchor.position}`;
  return sameRecord(ndjson.subarray(start, end), write.value.subarray(span.start, span.end)) ? undefined : `bytes differ from write in ${where}`;
}
