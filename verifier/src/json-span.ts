// Byte spans of JSON values inside UTF-8 bytes, so records can be compared byte for byte with the ledger's writes.

/** The bytes [start, end) of one JSON value. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export class JsonSpanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSpanError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

function skipSpace(bytes: Uint8Array, position: number, end: number): number {
  let at = position;
  while (at < end && isSpace(bytes[at])) at++;
  return at;
}

/**
 * End (exclusive) of the string whose opening quote is at `position`; a backslash escapes the byte after it.
 * A plain loop: the strings of records are short, and a native search per string costs more than it saves.
 */
function skipString(bytes: Uint8Array, position: number, end: number): number {
  for (let at = position + 1; at < end; at++) {
    const byte = bytes[at];
    if (byte === QUOTE) return at + 1;
    if (byte === BACKSLASH) at++;
  }
  throw new JsonSpanError(`unterminated string at byte ${position}`);
}

/** End (exclusive) of the JSON value that starts at `position` (no leading whitespace). */
export function skipValue(bytes: Uint8Array, position: number, end: number = bytes.length): number {
  const first = bytes[position];
  if (first === QUOTE) return skipString(bytes, position, end);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let at = position; at < end; at++) {
      const byte = bytes[at];
      if (byte === QUOTE) {
        // The string inline (this loop runs over every byte of every record).
        const opened = at;
        for (at++; at < end; at++) {
          const inner = bytes[at];
          if (inner === QUOTE) break;
          if (inner === BACKSLASH) at++;
        }
        if (at >= end) throw new JsonSpanError(`unterminated string at byte ${opened}`);
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return at + 1;
      }
    }
    throw new JsonSpanError(`unterminated ${first === OPEN_BRACE ? 'object' : 'array'} at byte ${position}`);
  }
  // A number or a literal: up to the next delimiter.
  let at = position;
  while (at < end) {
    const byte = bytes[at];
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) break;
    at++;
  }
  if (at === position) throw new JsonSpanError(`expected a value at byte ${position}`);
  return at;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The members of the JSON object spanning `span` (the whole input by default): name → value span. */
export function objectMembers(bytes: Uint8Array, span: Span = { start: 0, end: bytes.length }): Map<string, Span> {
  const members = new Map<string, Span>();
  walkMembers(bytes, span, undefined, (name, start) => {
    if (members.has(name)) throw new JsonSpanError(`member "${name}" appears twice in one object (byte ${start})`);
    const end = skipValue(bytes, start, span.end);
    members.set(name, { start, end });
    return end;
  });
  return members;
}

/** A walk of the top-level object paused at one member's value; `finish` walks the members after that value. */
export interface PausedWalk {
  /** Where the member's value starts. */
  readonly valueStart: number;
  /** Walks the rest of the object from `valueEnd` (just after the member's value): throws on a repeated name, bad syntax or bytes after the object. */
  finish(valueEnd: number): void;
}

/** The walk paused at member `name` of the top-level object (the members after it are not scanned yet); undefined when absent. */
export function memberValueStart(bytes: Uint8Array, name: string): PausedWalk | undefined {
  const end = bytes.length;
  const seen = new Set<string>();
  let valueStart: number | undefined;
  walkMembers(bytes, { start: 0, end }, seen, (member, start) => {
    if (member !== name) return skipValue(bytes, start, end);
    valueStart = start;
    return STOP;
  });
  if (valueStart === undefined) return undefined;
  return { valueStart, finish: (valueEnd) => membersAfter(bytes, valueEnd, end, seen, (_, start) => skipValue(bytes, start, end)) };
}

const STOP = -1;

type Visit = (name: string, valueStart: number) => number;

/**
 * Calls `visit` with the name and value start of each member of the object spanning `span`, in order;
 * `visit` returns the end (exclusive) of the value it was shown, or STOP to end the walk there.
 * With `seen`, a name that appears twice is refused (RFC 8785 values are I-JSON, RFC 7493: names are
 * unique; readers disagree about which of two counts). Anything but whitespace after the object is refused.
 */
function walkMembers(bytes: Uint8Array, span: Span, seen: Set<string> | undefined, visit: Visit): void {
  const at = skipSpace(bytes, span.start, span.end);
  if (bytes[at] !== OPEN_BRACE) throw new JsonSpanError(`expected an object at byte ${at}`);
  const first = skipSpace(bytes, at + 1, span.end);
  if (bytes[first] === CLOSE_BRACE) endObject(bytes, first, span.end);
  else membersFrom(bytes, first, span.end, seen, visit);
}

/**
 * The text of the member name whose quotes are at `start` and `end - 1`. Names without a backslash or
 * a control character are their bytes (as every name the chaincode writes); others go through JSON.parse.
 */
function memberName(bytes: Uint8Array, start: number, end: number): string {
  for (let at = start + 1; at < end - 1; at++) {
    const byte = bytes[at] ?? 0;
    if (byte === BACKSLASH || byte < 0x20) return String(JSON.parse(utf8.decode(bytes.subarray(start, end))));
  }
  return utf8.decode(bytes.subarray(start + 1, end - 1));
}

/** Walks members from the one whose name starts at `position`. */
function membersFrom(bytes: Uint8Array, position: number, end: number, seen: Set<string> | undefined, visit: Visit): void {
  let at = position;
  for (;;) {
    if (bytes[at] !== QUOTE) throw new JsonSpanError(`expected a member name at byte ${at}`);
    const nameEnd = skipString(bytes, at, end);
    const name = memberName(bytes, at, nameEnd);
    if (seen !== undefined) {
      if (seen.has(name)) throw new JsonSpanError(`member "${name}" appears twice in one object (byte ${at})`);
      seen.add(name);
    }
    at = skipSpace(bytes, nameEnd, end);
    if (bytes[at] !== COLON) throw new JsonSpanError(`expected ':' at byte ${at}`);
    const valueEnd = visit(name, skipSpace(bytes, at + 1, end));
    if (valueEnd === STOP) return;
    if (membersAfter(bytes, valueEnd, end, seen, undefined)) return;
    at = skipSpace(bytes, skipSpace(bytes, valueEnd, end) + 1, end);
  }
}

/**
 * After a member's value: at the object's end, checks that nothing follows it and returns true; at a comma,
 * walks the following members with `visit` (returns true) or, without one, returns false for the caller to go on.
 */
function membersAfter(bytes: Uint8Array, valueEnd: number, end: number, seen: Set<string> | undefined, visit: Visit | undefined): boolean {
  const at = skipSpace(bytes, valueEnd, end);
  if (bytes[at] === CLOSE_BRACE) {
    endObject(bytes, at, end);
    return true;
  }
  if (bytes[at] !== COMMA) throw new JsonSpanError(`expected ',' or '}' at byte ${at}`);
  if (visit === undefined) return false;
  membersFrom(bytes, skipSpace(bytes, at + 1, end), end, seen, visit);
  return true;
}

/** The object closes at `closeAt`: only whitespace may follow it up to `end`. */
function endObject(bytes: Uint8Array, closeAt: number, end: number): void {
  const after = skipSpace(bytes, closeAt + 1, end);
  if (after !== end) throw new JsonSpanError(`unexpected bytes after the object at byte ${after}`);
}

/** The element spans of the JSON array spanning `span`. */
export function arrayElements(bytes: Uint8Array, span: Span): Span[] {
  return elementsFrom(bytes, span.start, span.end).elements;
}

/** The elements of the array that starts at or after `position` (leading whitespace allowed), and where the array ends. */
function elementsFrom(bytes: Uint8Array, position: number, limit: number): { elements: Span[]; end: number } {
  const elements: Span[] = [];
  const opened = skipSpace(bytes, position, limit);
  if (bytes[opened] !== OPEN_BRACKET) throw new JsonSpanError(`expected an array at byte ${opened}`);
  let at = skipSpace(bytes, opened + 1, limit);
  if (bytes[at] === CLOSE_BRACKET) return { elements, end: at + 1 };
  for (;;) {
    if (at >= limit) throw new JsonSpanError(`unterminated array at byte ${opened}`);
    const end = skipValue(bytes, at, limit);
    elements.push({ start: at, end });
    at = skipSpace(bytes, end, limit);
    if (at >= limit) throw new JsonSpanError(`unterminated array at byte ${opened}`);
    if (bytes[at] === CLOSE_BRACKET) return { elements, end: at + 1 };
    if (bytes[at] !== COMMA) throw new JsonSpanError(`expected ',' or ']' at byte ${at}`);
    at = skipSpace(bytes, at + 1, limit);
  }
}

/**
 * The exact bytes of each record in a stored decision batch value (`{…"decisions":[r0,r1,…]…}`), in position
 * order. One pass over the bytes; a value whose top-level object repeats a member name is refused.
 */
export function batchRecordSpans(value: Uint8Array): Span[] {
  let records: Span[] | undefined;
  walkMembers(value, { start: 0, end: value.length }, new Set(), (name, start) => {
    if (name !== 'decisions') return skipValue(value, start, value.length);
    const array = elementsFrom(value, start, value.length);
    records = array.elements;
    return array.end;
  });
  if (records === undefined) throw new JsonSpanError('the batch value has no "decisions" member');
  return records;
}
