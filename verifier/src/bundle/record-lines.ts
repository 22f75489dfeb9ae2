// records.ndjson read line by line: each line's anchor and the few record members checked, the rest of the parsed line dropped at once.
import { filterFields } from './filter.js';
import type { RecordAnchor } from './layout.js';

/** One line of records.ndjson: bytes [start, end) of the file, without the newline. */
export type RecordLine =
  | {
      readonly kind: 'record';
      readonly start: number;
      readonly end: number;
      readonly anchor: RecordAnchor;
      /** The record's decisionId (JSON.parse's value). */
      readonly decisionId: unknown;
      /** The record reduced to the members filterMismatch reads (filterFields). */
      readonly filterFields: object;
      /**
       * Where the line's `record` value would start in the file in the writer's layout (the anchor's members,
       * then `"record":`): the bytes after the first `"record":`, -1 when there is none. Only a guess: it
       * is used to find equal ledger bytes, and a wrong guess cannot equal a whole ledger record.
       */
      readonly recordStart: number;
    }
  /** JSON.parse refused the line. */
  | { readonly kind: 'not-json'; readonly start: number; readonly end: number }
  /** Valid JSON, but without a complete anchor or a record object. */
  | { readonly kind: 'incomplete'; readonly start: number; readonly end: number };

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
/** JSON.parse's objects (arrays too, as `typeof` says): their members read directly. */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const NEWLINE = 0x0a;
const RECORD_MEMBER = '"record":';
const RECORD_MEMBER_BYTES = Buffer.from(RECORD_MEMBER);

/**
 * Reads records.ndjson line by line, handing each line to `visit` in order (nothing of a line is kept
 * beyond what `visit` keeps). JSON.parse does the work: V8's native parser is faster than any scan
 * written here; of each parsed line only the anchor and the few record members checked are kept.
 */
export function readRecordLines(ndjson: Buffer, visit: (line: RecordLine) => void): void {
  let previous: RecordAnchor | undefined;
  for (let start = 0; start < ndjson.length; ) {
    const newline = ndjson.indexOf(NEWLINE, start);
    const end = newline === -1 ? ndjson.length : newline;
    const line = readLine(ndjson, start, end, previous);
    if (line.kind === 'record') previous = line.anchor;
    visit(line);
    start = end + 1;
  }
}

/** One line; `previous`: the anchor of the line before, whose txId and batchId strings are kept once when they repeat. */
function readLine(source: Buffer, start: number, end: number, previous: RecordAnchor | undefined): RecordLine {
  const text = source.toString('utf8', start, end);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'not-json', start, end };
  }
  const anchor = isObject(parsed) ? anchorOf(parsed, previous) : undefined;
  const record = isObject(parsed) ? parsed.record : undefined;
  if (anchor === undefined || !isObject(record)) return { kind: 'incomplete', start, end };
  return { kind: 'record', start, end, anchor, decisionId: record.decisionId, filterFields: filterFields(record), recordStart: recordStart(source, start, end, text) };
}

/** The bytes after the line's first `"record":` (no id before it can hold that text: a quote in a JSON string is escaped). */
function recordStart(source: Buffer, start: number, end: number, text: string): number {
  const at = text.indexOf(RECORD_MEMBER);
  if (at === -1) return -1;
  // As many characters as bytes: each byte decoded to one character, so character offsets are byte offsets.
  if (text.length === end - start) return start + at + RECORD_MEMBER.length;
  const byteAt = source.indexOf(RECORD_MEMBER_BYTES, start);
  return byteAt === -1 || byteAt >= end ? -1 : byteAt + RECORD_MEMBER_BYTES.length;
}

function anchorOf(line: Record<string, unknown>, previous: RecordAnchor | undefined): RecordAnchor | undefined {
  const { decisionId, txId, batchId, blockNumber, txIndex, position } = line;
  if (typeof decisionId !== 'string' || typeof txId !== 'string' || typeof batchId !== 'string') return undefined;
  if (!isIndex(blockNumber) || !isIndex(txIndex) || !isIndex(position)) return undefined;
  return {
    decisionId,
    txId: txId === previous?.txId ? previous.txId : txId,
    batchId: batchId === previous?.batchId ? previous.batchId : batchId,
    blockNumber,
    txIndex,
    position,
  };
}
