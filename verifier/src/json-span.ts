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

/** End (exclusive) of the string whose opening quote is at `position`: jumps from quote to quote (native search). */
function skipString(bytes: Uint8Array, position: number, end: number): number {
  let at = position + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, at);
    if (quote === -1 || quote >= end) throw new JsonSpanError(`unterminated string at byte ${position}`);
    // The quote is escaped when an odd number of backslashes precede it.
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/** End (exclusive) of the JSON value that starts at `position` (no leading whitespace). */
export function skipValue(bytes: Uint8Array, position: number, end: number = bytes.length): number {
  const first = bytes[position];
  if (first === QUOTE) return skipString(bytes, position, end);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    let at = position;
    while (at < end) {
      const byte = bytes[at];
      if (byte === QUOTE) {
        at = skipString(bytes, at, end);
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return at + 1;
      }
      at++;
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
  return scanMembers(bytes, span, undefined);
}

/** Where the value of member `name` of the top-level object starts (members after it are not scanned); undefined when absent. */
export function memberValueStart(bytes: Uint8Array, name: string): number | undefined {
  return scanMembers(bytes, { start: 0, end: bytes.length }, name).get(name)?.start;
}

function scanMembers(bytes: Uint8Array, span: Span, stopAt: string | undefined): Map<string, Span> {
  const members = new Map<string, Span>();
  let at = skipSpace(bytes, span.start, span.end);
  if (bytes[at] !== OPEN_BRACE) throw new JsonSpanError(`expected an object at byte ${at}`);
  at = skipSpace(bytes, at + 1, span.end);
  if (bytes[at] === CLOSE_BRACE) return members;
  for (;;) {
    if (bytes[at] !== QUOTE) throw new JsonSpanError(`expected a member name at byte ${at}`);
    const nameEnd = skipString(bytes, at, span.end);
    const name: unknown = JSON.parse(utf8.decode(bytes.subarray(at, nameEnd)));
    at = skipSpace(bytes, nameEnd, span.end);
    if (bytes[at] !== COLON) throw new JsonSpanError(`expected ':' at byte ${at}`);
    const start = skipSpace(bytes, at + 1, span.end);
    if (stopAt !== undefined && name === stopAt) {
      members.set(stopAt, { start, end: start });
      return members;
    }
    const end = skipValue(bytes, start, span.end);
    members.set(String(name), { start, end });
    at = skipSpace(bytes, end, span.end);
    if (bytes[at] === CLOSE_BRACE) return members;
    if (bytes[at] !== COMMA) throw new JsonSpanError(`expected ',' or '}' at byte ${at}`);
    at = skipSpace(bytes, at + 1, span.end);
  }
}

/** The element spans of the JSON array spanning `span`. */
export function arrayElements(bytes: Uint8Array, span: Span): Span[] {
  const elements: Span[] = [];
  let at = skipSpace(bytes, span.start, span.end);
  if (bytes[at] !== OPEN_BRACKET) throw new JsonSpanError(`expected an array at byte ${at}`);
  at = skipSpace(bytes, at + 1, span.end);
  if (bytes[at] === CLOSE_BRACKET) return elements;
  for (;;) {
    const end = skipValue(bytes, at, span.end);
    elements.push({ start: at, end });
    at = skipSpace(bytes, end, span.end);
    if (bytes[at] === CLOSE_BRACKET) return elements;
    if (bytes[at] !== COMMA) throw new JsonSpanError(`expected ',' or ']' at byte ${at}`);
    at = skipSpace(bytes, at + 1, span.end);
  }
}

/** The exact bytes of each record in a stored decision batch value (`{…"decisions":[r0,r1,…]…}`), in position order. */
export function batchRecordSpans(value: Uint8Array): Span[] {
  const decisions = objectMembers(value).get('decisions');
  if (decisions === undefined) throw new JsonSpanError('the batch value has no "decisions" member');
  return arrayElements(value, decisions);
}
