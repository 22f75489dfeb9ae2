// RFC 8785 (JCS) canonical JSON and the SHA-256 of it: the bytes every endorser writes and every hash covers.
import { hash } from 'node:crypto';

/**
 * Serialises a JSON value per RFC 8785: object members sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript shortest form, strings with the minimal JSON escapes.
 * Object members whose value is `undefined` are omitted (as JSON.stringify does); anything
 * that is not JSON data (NaN, Infinity, bigint, functions, lone surrogates, class instances)
 * throws, so a value that cannot be hashed reproducibly never reaches the ledger.
 */
export function canonicalJson(value: unknown): string {
  const fast = fastCanonicalJson(value);
  if (fast !== undefined) return fast;
  try {
    return write(value);
  } catch (error) {
    if (error instanceof NotJson) throw new TypeError(`$${error.path.reverse().join('')}: ${error.message}`);
    throw error;
  }
}

/** Canonical JSON as UTF-8 bytes: the form state values are stored in. */
export function canonicalBytes(value: unknown): Uint8Array {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/** Lowercase hex SHA-256 of the canonical JSON of `value`. */
export function sha256OfCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** Lowercase hex SHA-256 of a string (UTF-8) or bytes (one-shot: about half the cost of a Hash object for a record). */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/**
 * The common case at native speed: copy the tree with members in sorted order and let
 * JSON.stringify write it (its string escapes and number forms are RFC 8785's). Gives up
 * (undefined) on anything the careful writer below must judge or word an error for: values
 * that are not JSON, keys that JavaScript objects would not keep in insertion order
 * (integer-like keys, `__proto__`), and output with a `\u` escape of a surrogate.
 */
function fastCanonicalJson(value: unknown): string | undefined {
  let sorted: unknown;
  try {
    // A tree whose members already stand in sorted order (the chaincode builds its records so) is
    // written as it is: checking the order allocates nothing, copying it costs twice JSON.stringify.
    sorted = inCanonicalOrder(value) ? value : sortedCopy(value);
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
  const text = JSON.stringify(sorted);
  return text.includes('\\ud') ? undefined : text;
}

/**
 * True when JSON.stringify would write `value` as sortedCopy's copy: only JSON data, every object
 * plain with its members inserted in sorted order, none undefined, no key that objects reorder.
 */
function inCanonicalOrder(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        const items = value as readonly unknown[];
        for (let index = 0; index < items.length; index++) {
          const item = items[index];
          if (item === undefined || !inCanonicalOrder(item)) return false;
        }
        return true;
      }
      if (!isPlainObject(value)) return false;
      let previous: string | undefined;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) return false;
        const first = key.charCodeAt(0);
        if ((first >= 48 && first <= 57) || key === '__proto__' || (previous !== undefined && !(previous < key))) return false;
        const member: unknown = (value as Record<string, unknown>)[key];
        if (member === undefined || !inCanonicalOrder(member)) return false;
        previous = key;
      }
      return true;
    }
    default:
      return false;
  }
}

const GIVE_UP = Symbol('give up');

function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw GIVE_UP;
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const items = value as readonly unknown[];
        const copy = new Array<unknown>(items.length);
        for (let index = 0; index < items.length; index++) {
          const item = items[index];
          if (item === undefined) throw GIVE_UP;
          copy[index] = sortedCopy(item);
        }
        return copy;
      }
      if (!isPlainObject(value)) throw GIVE_UP;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        const first = key.charCodeAt(0);
        if ((first >= 48 && first <= 57) || key === '__proto__') throw GIVE_UP;
        const member: unknown = (value as Record<string, unknown>)[key];
        if (member !== undefined) copy[key] = sortedCopy(member);
      }
      return copy;
    }
    default:
      throw GIVE_UP;
  }
}

/** Thrown deep in the tree; each level on the way out adds its path segment (kept off the hot path). */
class NotJson extends Error {
  readonly path: string[] = [];
}

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotJson(`${value} is not representable in JSON`);
      // ECMAScript Number::toString is exactly the RFC 8785 number form; -0 serialises as 0.
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return writeArray(value);
      if (!isPlainObject(value)) throw new NotJson('only plain objects can be canonicalised');
      return writeObject(value);
    default:
      throw new NotJson(`${typeof value} is not a JSON value`);
  }
}

function writeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    try {
      if (item === undefined) throw new NotJson('undefined is not a JSON value');
      out += (index > 0 ? ',' : '') + write(item);
    } catch (error) {
      if (error instanceof NotJson) error.path.push(`[${index}]`);
      throw error;
    }
  }
  return `${out}]`;
}

function writeObject(object: object): string {
  // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 prescribes.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member: unknown = Reflect.get(object, key);
    if (member === undefined) continue;
    try {
      out += `${first ? '' : ','}${quote(key)}:${write(member)}`;
    } catch (error) {
      if (error instanceof NotJson) error.path.push(`.${key}`);
      throw error;
    }
    first = false;
  }
  return `${out}}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Printable ASCII without `"` and `\`: needs no escaping (the common case, keys included). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function quote(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  if (LONE_SURROGATE.test(text)) throw new NotJson('string contains a lone surrogate');
  // JSON.stringify escapes exactly ", \ and U+0000..U+001F (short forms where JSON has them,
  // lowercase \u00xx otherwise), which matches RFC 8785 §3.2.2.2 for well-formed strings.
  return JSON.stringify(text);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
