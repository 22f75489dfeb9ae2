import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys, createCompositeKey, inRange, isWellFormed, splitCompositeKey, validateSimpleKeys } from './keys.js';

describe('createCompositeKey', () => {
  it("uses Fabric's encoding: NUL, type, NUL, each attribute, NUL", () => {
    expect(createCompositeKey('decision', ['m1', '2026-01-01'])).toBe('\u0000decision\u0000m1\u00002026-01-01\u0000');
    expect(createCompositeKey('decision', [])).toBe('\u0000decision\u0000');
  });

  it.each([
    ['empty object type', '', ['a'], 'object type or attribute not a non-zero length string'],
    ['empty attribute', 't', ['a', ''], 'object type or attribute not a non-zero length string'],
    ['NUL in attribute', 't', ['a\u0000b'], 'input contains unicode U+0000 starting at position [1]'],
    ['U+10FFFF in attribute', 't', ['\u{10ffff}'], 'input contains unicode U+10FFFF starting at position [0]'],
    ['lone surrogate', 't', ['\ud800'], 'not a valid utf8 string'],
  ])('refuses %s', (_name, objectType, attributes, message) => {
    expect(() => createCompositeKey(objectType, attributes)).toThrow(message);
  });

  it('round-trips through splitCompositeKey', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => !s.includes('\u0000')),
        fc.array(fc.string({ minLength: 1 }).filter((s) => !s.includes('\u0000'))),
        (objectType, attributes) => {
          expect(splitCompositeKey(createCompositeKey(objectType, attributes))).toEqual({ objectType, attributes });
        },
      ),
    );
  });
});

describe('splitCompositeKey', () => {
  it('returns objectType null for a simple key, as fabric-shim does', () => {
    expect(splitCompositeKey('plain')).toEqual({ objectType: null, attributes: [] });
  });
});

describe('validateSimpleKeys', () => {
  it('refuses keys in the composite-key namespace', () => {
    expect(() => validateSimpleKeys('a', '\u0000x')).toThrow('first character of the key [\u0000x] contains a null character');
    expect(() => validateSimpleKeys('a', '')).not.toThrow();
  });
});

// Code points from the ranges where UTF-16 and UTF-8 orders disagree, plus ASCII.
const codePoint = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0x80, max: 0xd7ff }),
  fc.integer({ min: 0xe000, max: 0xffff }),
  fc.integer({ min: 0x10000, max: 0x10ffff }),
);
const key = fc.array(codePoint, { maxLength: 6 }).map((points) => String.fromCodePoint(...points));

describe('compareKeys', () => {
  it('orders by UTF-8 bytes, not UTF-16 units', () => {
    const bmp = '\uffff'; // EF BF BF
    const astral = '\u{1f600}'; // F0 9F 98 80, but UTF-16 D83D DE00 sorts before FFFF
    expect(bmp < astral).toBe(false);
    expect(compareKeys(bmp, astral)).toBeLessThan(0);
    expect(compareKeys(astral, '\u{10ffff}')).toBeLessThan(0);
  });

  it('agrees with Buffer.compare on UTF-8 for any well-formed strings', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        const expected = Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
        expect(Math.sign(compareKeys(a, b))).toBe(expected);
      }),
    );
  });

  it('treats an empty end key as unbounded', () => {
    expect(inRange('zzz', 'a', '')).toBe(true);
    expect(inRange('b', 'a', 'b')).toBe(false);
    expect(inRange('a', 'a', 'b')).toBe(true);
  });
});

describe('isWellFormed', () => {
  it.each([
    ['ascii', 'abc', true],
    ['pair', '\u{1f600}', true],
    ['lone high', 'a\ud83d', false],
    ['lone low', '\ude00b', false],
  ])('%s', (_name, value, expected) => {
    expect(isWellFormed(value)).toBe(expected);
  });
});
