// Finds the exact text of each element of a top-level JSON array member, so the index keeps a record's ledger bytes.

/**
 * The source text of each element of the array under top-level member `key` of the JSON object
 * `text` (e.g. each record of `{"batchId":…,"decisions":[{…},{…}]}`). Undefined when `text` is not
 * an object with such an array. Assumes `text` is valid JSON (the caller parsed it already).
 */
export function arrayMemberElements(text: string, key: string): string[] | undefined {
  const wanted = JSON.stringify(key);
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (depth === 1 && text.slice(i, end) === wanted) {
        let j = skipSpace(text, end);
        if (text.charCodeAt(j) !== COLON) return undefined;
        j = skipSpace(text, j + 1);
        if (text.charCodeAt(j) !== OPEN_BRACKET) return undefined;
        return elements(text, j);
      }
      i = end;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth -= 1;
    i += 1;
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Index just past the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    let backslashes = 0;
    for (let k = q - 1; k > start && text.charCodeAt(k) === BACKSLASH; k--) backslashes += 1;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text.charAt(i))) i += 1;
  return i;
}

/** The elements of the array whose `[` is at `open`. */
function elements(text: string, open: number): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) depth -= 1;
    else if (depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
      const element = text.slice(start, i).trim();
      if (element !== '') out.push(element);
      if (c === CLOSE_BRACKET) return out;
      start = i + 1;
    }
    i += 1;
  }
  return out;
}
