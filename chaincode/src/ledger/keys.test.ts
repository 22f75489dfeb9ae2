import { describe, expect, it } from 'vitest';
import { createCompositeKey } from '../testing/index.js';
import { decodeCursor, encodeCursor } from './pages.js';
import { KeyType, compositeKey, keys, splitKey } from './keys.js';

describe('key layout', () => {
  it('encodes composite keys exactly as the shim does', () => {
    expect(keys.batchByModel('credit', '1.0', '2026-03-01', '2026-03-01T09:00:00.000Z', 'b-1')).toBe(
      createCompositeKey('batch-by-model', ['credit', '1.0', '2026-03-01', '2026-03-01T09:00:00.000Z', 'b-1']),
    );
    expect(keys.grant('OperatorOrgMSP', 'x509::/CN=a@b::/CN=ca')).toBe(createCompositeKey('grant', ['OperatorOrgMSP', 'x509::/CN=a@b::/CN=ca']));
  });

  it('splits what it builds', () => {
    expect(splitKey(keys.oversight('b', 'd', 'o'))).toEqual({ type: KeyType.oversight, attributes: ['b', 'd', 'o'] });
    expect(splitKey('plain')).toBeUndefined();
  });

  it('orders batch index keys by ledger time', () => {
    const early = keys.batchByDay('2026-03-01', '2026-03-01T09:00:00.000Z', 'zzz');
    const late = keys.batchByDay('2026-03-01', '2026-03-01T09:00:00.001Z', 'aaa');
    expect(early < late).toBe(true);
  });

  it('refuses attributes that would make an ambiguous key', () => {
    expect(() => compositeKey(KeyType.batch, ['a\u0000b'])).toThrow(/^INTERNAL: /);
    expect(() => compositeKey(KeyType.batch, [''])).toThrow(/^INTERNAL: /);
  });
});

describe('bookmarks', () => {
  it('round-trip opaque cursors and treat empty as the first page', () => {
    const cursor = { b: '\u0000batch-by-day\u00002026-03-01\u0000', d: '2026-03-01' };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
    expect(decodeCursor('')).toBeUndefined();
  });

  it.each(['not base64 json', Buffer.from('{"x":1}').toString('base64url'), Buffer.from('[').toString('base64url')])('refuses %s', (text) => {
    expect(() => decodeCursor(text)).toThrow(/^INVALID_ARGUMENT: bookmark: /);
  });
});
