import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { AuditError } from './errors.js';
import { PurgeRequest, decidePurge, hashPrivateInput } from './privacy.js';
import { parseValue } from './validation.js';

const override = { reason: 'court order to erase', authorisedBy: 'DPO', reference: 'case-2025-17' };
const request = (extra: object = {}) => parseValue(PurgeRequest, { batchId: 'b', decisionId: 'd', ...extra });

describe('decidePurge', () => {
  const retentionUntil = '2030-01-01T00:00:00Z';
  it.each([
    ['after retention', '2030-01-01T00:00:00.001Z', {}, 'purged'],
    ['exactly at retention', '2030-01-01T00:00:00Z', {}, 'purged'],
    ['before retention', '2029-12-31T23:59:59Z', {}, 'refused'],
    ['before retention with a legal override', '2025-01-01T00:00:00Z', { legalOverride: override }, 'purged'],
  ])('%s → %s', (_name, txTime, extra, outcome) => {
    expect(decidePurge(request(extra), retentionUntil, txTime).outcome).toBe(outcome);
  });

  it('explains a refusal', () => {
    expect(decidePurge(request(), '2030-01-01T00:00:00Z', '2025-01-01T00:00:00Z').rule).toMatch(/no legal override/);
  });

  it('refuses an override without a reason', () => {
    expect(() => request({ legalOverride: { authorisedBy: 'DPO', reference: 'x' } })).toThrow(/legalOverride.reason: is required/);
  });
});

describe('hashPrivateInput', () => {
  it('hashes the canonical JSON, whatever the key order and spacing', () => {
    const bytes = Buffer.from('{ "income": 52000, "age": 41 }');
    expect(hashPrivateInput(bytes)).toEqual({ input: { income: 52000, age: 41 }, inputSha256: sha256Hex(canonicalJson({ age: 41, income: 52000 })) });
  });

  it('refuses bytes that are not JSON, naming the transient key', () => {
    try {
      hashPrivateInput(Buffer.from('not json'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AuditError);
      expect((error as AuditError).field).toBe('transient.input');
    }
  });
});
