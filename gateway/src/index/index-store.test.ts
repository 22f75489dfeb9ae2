import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { keys } from '@aiaudit/chaincode/keys';
import { batchBlock, describeIndexStoreContract, record } from '../../../test/support/index-store-contract.js';
import { syntheticBlock } from '../../../test/support/synthetic-blocks.js';
import { decodeBlock } from '../blocks/index.js';
import { rowsOfBlock } from './rows.js';
import { openSqliteIndex } from './sqlite-store.js';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'blocks', 'fixtures', name));

describe('rowsOfBlock', () => {
  it('indexes every decision of a RecordDecisions block from the network with its anchor', () => {
    const rows = rowsOfBlock(decodeBlock(fixture('decisions-block.pb')), 'aiaudit');
    expect(rows.problems).toEqual([]);
    expect(rows.batches).toMatchObject([{ batchId: 'fixture-batch-2', blockNumber: 54, txIndex: 0, ownerMsp: 'OperatorOrgMSP', count: 3 }]);
    expect(rows.decisions.map((d) => [d.decisionId, d.anchor.position, d.anchor.blockNumber, d.anchor.txIndex, d.subjectRef === undefined, d.outcomeLabel])).toEqual([
      ['fixture-d1', 0, 54, 0, false, 'approve'],
      ['fixture-d2', 1, 54, 0, true, undefined],
      ['fixture-d3', 2, 54, 0, false, 'approve'],
    ]);
    expect(rows.decisions[0]?.anchor.txId).toBe(rows.batches[0]?.txId);
    expect(rows.events.map((e) => [e.name, e.txIndex, e.ownerMsp])).toEqual([['DecisionsRecorded', 0, 'OperatorOrgMSP']]);
  });

  it('skips the invalid transaction of a block (MVCC conflict on the same batch key)', () => {
    const rows = rowsOfBlock(decodeBlock(fixture('mvcc-block.pb')), 'aiaudit');
    expect(rows.decisions.map((d) => [d.decisionId, d.anchor.txIndex])).toEqual([['fixture-d4', 0]]);
    expect(rows.events).toHaveLength(1);
  });

  it('reports a malformed batch value instead of dropping it silently', () => {
    const block = syntheticBlock(3, [{ txId: 't', namespaces: [{ namespace: 'aiaudit', writes: [{ key: keys.batch('b-x'), value: '{"not":"a batch"}' }] }] }]);
    const rows = rowsOfBlock(decodeBlock(block.serializeBinary()), 'aiaudit');
    expect(rows.decisions).toEqual([]);
    expect(rows.problems[0]).toMatch(/block 3 tx 0 \(t\): batch value is not a DecisionBatch/);
  });

  it('indexes a batch value whose "decisions" member repeats as JSON.parse reads it (the last), and reports that its records cannot be cut exactly', () => {
    const d = (id: string) => ({ decisionId: id, modelId: 'm', modelVersion: '1', recordedAt: 't', decidedAt: 't', output: {}, ownerMsp: 'OperatorOrgMSP', openDriftAlertIds: [] });
    const value = `{"batchId":"b-y","decisions":[${JSON.stringify(d('first'))}],"ownerMsp":"OperatorOrgMSP","recordedAt":"t","decisions":[${JSON.stringify(d('last'))}]}`;
    const block = syntheticBlock(4, [{ txId: 't', namespaces: [{ namespace: 'aiaudit', writes: [{ key: keys.batch('b-y'), value }] }] }]);
    const rows = rowsOfBlock(decodeBlock(block.serializeBinary()), 'aiaudit');
    expect(rows.decisions.map((r) => r.decisionId)).toEqual(['last']);
    expect(rows.problems).toEqual([expect.stringMatching(/block 4 tx 0 \(t\): the records of batch b-y cannot be cut from the value byte for byte \(member "decisions" appears twice/)]);
  });
});

describeIndexStoreContract('SQLite', async () => openSqliteIndex(':memory:'));

describe('SqliteIndexStore', () => {
  it('keeps the index in its file across a reopen, and rebuilds an index of another schema version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiaudit-index-'));
    const file = join(dir, 'nested', 'index.sqlite');
    try {
      const first = openSqliteIndex(file);
      await first.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('kept')] }], 'ee'.repeat(32)));
      await first.close();
      const second = openSqliteIndex(file);
      expect(await second.stats()).toEqual({ lastBlock: 0, batches: 1, decisions: 1, events: 1 });
      expect(await second.chainId()).toBe('ee'.repeat(32));
      await second.close();

      const raw = new Database(file);
      raw.prepare("UPDATE meta SET value = '2' WHERE key = 'schema_version'").run();
      raw.close();
      const third = openSqliteIndex(file);
      expect(await third.stats()).toEqual({ lastBlock: undefined, batches: 0, decisions: 0, events: 0 });
      expect(await third.chainId()).toBeUndefined();
      await third.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('kept')] }]));
      expect((await third.findDecision('kept')).map((d) => d.seq)).toEqual([1]);
      await third.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
