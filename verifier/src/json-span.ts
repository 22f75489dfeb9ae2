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
  walkMembers(bytes, span, (name, start) => {
    const end = skipValue(bytes, start, span.end);
    members.set(name, { start, end });
    return end;
  });
  return members;
}

/** Where the value of member `name` of the top-level object starts (members after it are not scanned); undefined when absent. */
export function memberValueStart(bytes: Uint8Array, name: string): number | undefined {
  let found: number | undefined;
  walkMembers(bytes, { start: 0, end: bytes.length }, (member, start) => {
    if (member !== name) return skipValue(bytes, start, bytes.length);
    found = start;
    return STOP;
  });
  return found;
}

const STOP = -1;

/**
 * Calls `visit` with the name and value start of each member of the object spanning `span`, in order;
 * `visit` returns the end (exclusive) of the value it was shown, or STOP to end the walk there.
 */
function walkMembers(bytes: Uint8Array, span: Span, visit: (name: string, valueStart: number) => number): void {
  let at = skipSpace(bytes, span.start, span.end);
  if (bytes[at] !== OPEN_BRACE) throw new JsonSpanError(`expected an object at byte ${at}`);
  at = skipSpace(bytes, at + 1, span.end);
  if (bytes[at] === CLOSE_BRACE) return;
  for (;;) {
    if (bytes[at] !== QUOTE) throw new JsonSpanError(`expected a member name at byte ${at}`);
    const nameEnd = skipString(bytes, at, span.end);
    const name: unknown = JSON.parse(utf8.decode(bytes.subarray(at, nameEnd)));
    at = skipSpace(bytes, nameEnd, span.end);
    if (bytes[at] !== COLON) throw new JsonSpanError(`expected ':' at byte ${at}`);
    const end = visit(String(name), skipSpace(bytes, at + 1, span.end));
    if (end === STOP) return;
    at = skipSpace(bytes, end, span.end);
    if (bytes[at] === CLOSE_BRACE) return;
    if (bytes[at] !== COMMA) throw new JsonSpanError(`expected ',' or '}' at byte ${at}`);
    at = skipSpace(bytes, at + 1, span.end);
  }
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
 * order. One pass over the bytes; as JSON.parse, the last "decisions" member counts if there were several.
 */
export function batchRecordSpans(value: Uint8Array): Span[] {
  let records: Span[] | undefined;
  walkMembers(value, { start: 0, end: value.length }, (name, start) => {
    if (name !== 'decisions') return skipValue(value, start, value.length);
    const array = elementsFrom(value, start, value.length);
    records = array.elements;
    return array.end;
  });
  if (records === undefined) throw new JsonSpanError('the batch value has no "decisions" member');
  return records;
}
