// Key rules of Fabric's shim and LevelDB state: composite key encoding, simple-key checks, byte order.
import type { SplitCompositekey } from 'fabric-shim';

/** Separator and namespace prefix of composite keys (U+0000). */
export const COMPOSITE_KEY_NS = '\u0000';
/** Highest code point; a partial composite key query ends at prefix + this. */
export const MAX_UNICODE_RUNE = '\u{10ffff}';
/** What the shim queries from when a range's start key is empty: skips the composite-key namespace. */
export const EMPTY_KEY_SUBSTITUTE = '\u0001';

function validateAttribute(attr: unknown): asserts attr is string {
  if (typeof attr !== 'string' || attr.length === 0) {
    throw new Error('object type or attribute not a non-zero length string');
  }
  if (!isWellFormed(attr)) {
    throw new Error(`not a valid utf8 string: [${attr}]`);
  }
  // The Go shim refuses these; the Node shim does not, and would build an ambiguous key.
  for (const ch of [COMPOSITE_KEY_NS, MAX_UNICODE_RUNE]) {
    const at = attr.indexOf(ch);
    if (at >= 0) {
      const name = ch === COMPOSITE_KEY_NS ? 'U+0000' : 'U+10FFFF';
      throw new Error(
        `input contains unicode ${name} starting at position [${at}]. ` +
          'U+0000 and U+10FFFF are not allowed in the input attribute of a composite key',
      );
    }
  }
}

/** Fabric's encoding: U+0000 + objectType + U+0000 + each attribute + U+0000. */
export function createCompositeKey(objectType: string, attributes: readonly string[]): string {
  validateAttribute(objectType);
  if (!Array.isArray(attributes)) {
    throw new Error('attributes must be an array');
  }
  let key = COMPOSITE_KEY_NS + objectType + COMPOSITE_KEY_NS;
  for (const attribute of attributes) {
    validateAttribute(attribute);
    key += attribute + COMPOSITE_KEY_NS;
  }
  return key;
}

/**
 * Splits like the Node shim. For a key that is not composite the real shim returns
 * `objectType: null` although its type says string; the fake does the same.
 */
export function splitCompositeKey(compositeKey: string): SplitCompositekey {
  if (compositeKey.length > 1 && compositeKey.startsWith(COMPOSITE_KEY_NS)) {
    const parts = compositeKey.substring(1).split(COMPOSITE_KEY_NS);
    const objectType = parts[0] ?? '';
    parts.pop();
    return { objectType, attributes: parts.length > 1 ? parts.slice(1) : [] };
  }
  // The documented runtime shape of fabric-shim; its .d.ts cannot express the null.
  return { objectType: null, attributes: [] } as unknown as SplitCompositekey;
}

/** Range-query keys must not start in the composite-key namespace (shim rule). */
export function validateSimpleKeys(...keys: string[]): void {
  for (const key of keys) {
    if (key.startsWith(COMPOSITE_KEY_NS)) {
      throw new Error(`first character of the key [${key}] contains a null character which is not allowed`);
    }
  }
}

/** True when the string has no lone surrogates, i.e. it encodes to UTF-8 and back unchanged. */
export function isWellFormed(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/**
 * Orders keys as LevelDB does: by their UTF-8 bytes, which is code point order.
 * Plain `<` compares UTF-16 units and puts U+E000..U+FFFF after astral characters.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate && !ySurrogate && y >= 0xe000) return 1;
    if (ySurrogate && !xSurrogate && x >= 0xe000) return -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Whether key lies in [startKey, endKey); an empty endKey means no upper bound. */
export function inRange(key: string, startKey: string, endKey: string): boolean {
  return compareKeys(key, startKey) >= 0 && (endKey === '' || compareKeys(key, endKey) < 0);
}
