import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex, sha256OfCanonical } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    expect(canonicalJson(input).replace(/:"[^"]*"/g, '')).toBe(
      '{"\\r","1","\u0080","\u00f6","\u20ac","\ud83d\ude00","\ufb33"}',
    );
    expect(keys).toHaveLength(7);
  });

  it('sorts nested objects and keeps array order, with no whitespace', () => {
    expect(canonicalJson([56, { d: true, '10': null, '1': [] }])).toBe('[56,{"1":[],"10":null,"d":true}]');
    expect(canonicalJson({ b: { z: 1, a: [3, 1, 2] }, a: 'x' })).toBe('{"a":"x","b":{"a":[3,1,2],"z":1}}');
  });

  it.each([
    [1e30, '1e+30'],
    [4.5, '4.5'],
    [0.002, '0.002'],
    [1e-27, '1e-27'],
    [-0, '0'],
    [333333333.3333333, '333333333.3333333'],
    [9007199254740992, '9007199254740992'],
  ])('writes the number %s as %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('escapes only what JSON requires, with lowercase hex', () => {
    expect(canonicalJson('\u000f\n"\\/\u2028€')).toBe('"\\u000f\\n\\"\\\\/\u2028€"');
  });

  it('omits undefined members but refuses undefined array items', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson([undefined])).toThrow(/\$\[0\]/);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a bigint', 1n],
    ['a lone surrogate', '\ud800x'],
    ['a Date', new Date(0)],
    ['a function', () => 1],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson({ v: value })).toThrow(TypeError);
  });

  it('sorts integer-like keys as text and keeps __proto__ as a member, like any other key', () => {
    const value = JSON.parse('{"9":1,"10":2,"a":{"__proto__":3,"-1":4},"b":[{"2":0,"11":0}]}') as unknown;
    expect(canonicalJson(value)).toBe('{"10":2,"9":1,"a":{"-1":4,"__proto__":3},"b":[{"11":0,"2":0}]}');
  });

  it('writes a string holding the text \\ud800 (not a surrogate) as JSON does', () => {
    expect(canonicalJson({ k: 'a\\ud800b' })).toBe('{"k":"a\\\\ud800b"}');
  });

  it('refuses a lone surrogate in a key or deep in an array', () => {
    expect(() => canonicalJson({ ['x\udc00']: 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ a: [1, { b: ['\udbff'] }] })).toThrow(/\$\.a\[1\]\.b\[0\]/);
  });

  it('hashes the canonical form, so key order does not change the hash', () => {
    const expected = createHash('sha256').update('{"a":2,"b":1}').digest('hex');
    expect(sha256OfCanonical({ b: 1, a: 2 })).toBe(expected);
    expect(sha256OfCanonical({ a: 2, b: 1 })).toBe(expected);
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('agrees with a plain reference serialiser for random JSON (property)', () => {
    // Reference: JSON.stringify for every scalar, sorted keys, no fast paths.
    const reference = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      if (value !== null && typeof value === 'object') {
        const members = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${reference(Reflect.get(value, key))}`);
        return `{${members.join(',')}}`;
      }
      return JSON.stringify(value);
    };
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => {
        const text = canonicalJson(value);
        expect(text).toBe(reference(value));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        // The same value rebuilt with its members inserted in sorted order (the path that writes without copying).
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a tree whose members already stand in sorted order exactly as a shuffled one', () => {
    const sorted = { a: 1, b: [{ x: 'y', z: null }, 2.5], c: { d: true, e: 'é' } };
    const shuffled = { c: { e: 'é', d: true }, b: [{ z: null, x: 'y' }, 2.5], a: 1 };
    expect(canonicalJson(sorted)).toBe('{"a":1,"b":[{"x":"y","z":null},2.5],"c":{"d":true,"e":"é"}}');
    expect(canonicalJson(shuffled)).toBe(canonicalJson(sorted));
    // In order, but a member that JSON.stringify would drop, a key objects reorder, or a value that is not JSON: the careful paths decide.
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson({ a: 1, b: { '1': 'x', c: 2 } })).toBe('{"a":1,"b":{"1":"x","c":2}}');
    expect(() => canonicalJson({ a: 1, b: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: new Date(0) })).toThrow(TypeError);
  });
});
