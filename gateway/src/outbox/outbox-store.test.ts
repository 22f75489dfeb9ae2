// The outbox's SQLite store on its own: admissions asked for in one turn share one transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionInput, exampleDecision } from '@aiaudit/chaincode/domain';
import { contentOf } from './content.js';
import { OutboxStore } from './outbox-store.js';

const signer = { mspId: 'OperatorOrgMSP', fabricUser: 'User1' };
const decision = (decisionId: string): DecisionInput => DecisionInput.parse(exampleDecision({ decisionId }));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('OutboxStore: admissions in one turn share a transaction', () => {
  const newStore = () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiaudit-outbox-'));
    dirs.push(dir);
    return new OutboxStore(join(dir, 'outbox.sqlite'));
  };
  const rowOf = (decisionId: string, submissionId: string) => {
    const { json, sha256 } = contentOf(decision(decisionId));
    return { decisionId, submissionId, indexInSubmission: 0, signer, contentSha256: sha256, recordJson: json };
  };

  it('a refused admission writes nothing and leaves the others of its group committed', async () => {
    const store = newStore();
    const results = await Promise.allSettled([
      store.admit(['g1'], () => ({ rows: [rowOf('g1', 's1')], result: 'one' })),
      store.admit(['g2', 'g3'], () => {
        throw new Error('refused');
      }),
      // Refused after a first insert: the savepoint takes that insert back too.
      store.admit(['g4', 'g4'], () => ({ rows: [rowOf('g4', 's3'), rowOf('g4', 's3')], result: 'twice' })),
      store.admit(['g5'], () => ({ rows: [rowOf('g5', 's4')], result: 'five' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(results[2]).toMatchObject({ reason: new Error('outbox already holds decision g4') });
    expect(['g1', 'g2', 'g3', 'g4', 'g5'].map((id) => store.get(id)?.state)).toEqual(['pending', undefined, undefined, undefined, 'pending']);
    store.close();
  });

  it('a later admission of the same turn sees the rows an earlier one wrote', async () => {
    const store = newStore();
    const seen: (string | undefined)[] = [];
    await Promise.all([
      store.admit(['h1'], () => ({ rows: [rowOf('h1', 's1')], result: undefined })),
      store.admit(['h1'], (existing) => {
        seen.push(existing.get('h1')?.submissionId);
        return { rows: [], result: undefined };
      }),
    ]);
    expect(seen).toEqual(['s1']);
    store.close();
  });

  it('when the store is closed before the group runs, every admission of it is refused', async () => {
    const store = newStore();
    const pending = store.admit(['c1'], () => ({ rows: [rowOf('c1', 's1')], result: undefined }));
    store.close();
    await expect(pending).rejects.toThrow(/not open/);
  });
});
