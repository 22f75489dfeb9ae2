import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, exampleDecision, type DecisionRecord } from '@aiaudit/chaincode/domain';
import { keys } from '@aiaudit/chaincode/keys';
import { syntheticBlock } from '../../../test/support/synthetic-blocks.js';
import { decodeBlock } from '../blocks/index.js';
import { compareIndexes } from './check.js';
import { rowsOfBlock, type BlockRows } from './rows.js';
import { openSqliteIndex } from './sqlite-store.js';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'blocks', 'fixtures', name));

const record = (decisionId: string, overrides: Partial<DecisionRecord> = {}): DecisionRecord => ({
  ...exampleDecision({ decisionId }),
  explanation: { method: 'shap', topFactors: [] },
  recordedAt: '2025-03-01T10:00:00.000Z',
  ownerMsp: 'OperatorOrgMSP',
  recordedBy: 'x509::/CN=User1::/CN=ca',
  openDriftAlertIds: [],
  ...overrides,
});

/** A block with one RecordDecisions transaction per batch (synthetic, through the real decoder). */
function batchBlock(number: number, batches: { batchId: string; records: DecisionRecord[]; valid?: boolean }[]): BlockRows {
  const block = syntheticBlock(
    number,
    batches.map(({ batchId, records, valid }, i) => ({
      txId: `tx-${number}-${i}`,
      validationCode: valid === false ? 11 : 0,
      namespaces: [{
        namespace: 'aiaudit',
        writes: [{ key: keys.batch(batchId), value: canonicalJson({ batchId, txId: `tx-${number}-${i}`, recordedAt: '2025-03-01T10:00:00.000Z', ownerMsp: 'OperatorOrgMSP', recordedBy: 'x509::/CN=User1::/CN=ca', modelVersions: [], decisions: records }) }],
      }],
      event: { chaincodeId: 'aiaudit', name: 'DecisionsRecorded', payload: { batchId, decisionIds: records.map((r) => r.decisionId) } },
    })),
  );
  return rowsOfBlock(decodeBlock(block.serializeBinary()), 'aiaudit');
}

const empty = (number: number): BlockRows => rowsOfBlock(decodeBlock(syntheticBlock(number, []).serializeBinary()), 'aiaudit');

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
});

describe('SqliteIndexStore', () => {
  it('moves the checkpoint with each block, ignores a block it holds and refuses a gap', async () => {
    const store = openSqliteIndex(':memory:');
    expect(await store.lastBlock()).toBeUndefined();
    await expect(store.applyBlock(empty(1))).rejects.toThrow(/expects block 0 next/);
    await store.applyBlock(batchBlock(0, [{ batchId: 'b-0', records: [record('d-1')] }]));
    await store.applyBlock(batchBlock(0, [{ batchId: 'b-0', records: [record('d-1')] }]));
    expect(await store.stats()).toEqual({ lastBlock: 0, batches: 1, decisions: 1, events: 1 });
    await expect(store.applyBlock(empty(2))).rejects.toThrow(/expects block 1 next/);
    await store.close();
  });

  it('records a decision id seen twice on the ledger as a second occurrence, never overwriting the first', async () => {
    const store = openSqliteIndex(':memory:');
    await store.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('dup'), record('x')] }]));
    await store.applyBlock(batchBlock(1, [{ batchId: 'b-2', records: [record('dup', { useCase: 'other' })] }]));
    const found = await store.findDecision('dup');
    expect(found.map((d) => [d.anchor.batchId, d.occurrence])).toEqual([['b-1', 1], ['b-2', 2]]);
    expect(await store.duplicateDecisionIds()).toMatchObject([{ decisionId: 'dup', anchors: [{ batchId: 'b-1' }, { batchId: 'b-2' }] }]);
    await store.close();
  });

  it('searches by alert, subject, model and time window, in ledger order, scoped to an org', async () => {
    const store = openSqliteIndex(':memory:');
    await store.applyBlock(batchBlock(0, [
      { batchId: 'b-1', records: [record('a', { openDriftAlertIds: ['al-1'] }), record('b', { subjectRef: '9'.repeat(64) })] },
      { batchId: 'b-2', records: [record('c', { openDriftAlertIds: ['al-1', 'al-2'], modelVersion: '2.0.0', recordedAt: '2025-03-02T00:00:00.000Z' })] },
    ]));
    const ids = async (q: Parameters<typeof store.searchDecisions>[0]) => (await store.searchDecisions(q)).decisions.map((d) => d.decisionId);
    expect(await ids({ alertId: 'al-1', limit: 10 })).toEqual(['a', 'c']);
    expect(await ids({ alertId: 'al-2', limit: 10 })).toEqual(['c']);
    expect(await ids({ subjectRef: '9'.repeat(64), limit: 10 })).toEqual(['b']);
    expect(await ids({ modelId: 'credit-scorer', modelVersion: '2.0.0', limit: 10 })).toEqual(['c']);
    expect(await ids({ from: '2025-03-01T12:00:00.000Z', limit: 10 })).toEqual(['c']);
    expect(await ids({ ownerMsp: 'RegulatorOrgMSP', limit: 10 })).toEqual([]);
    const page = await store.searchDecisions({ limit: 2 });
    expect(page.decisions.map((d) => d.decisionId)).toEqual(['a', 'b']);
    expect(await ids({ afterSeq: page.nextAfterSeq, limit: 2 })).toEqual(['c']);
    expect(await store.eventsAfter({ blockNumber: 0, txIndex: 0 }, 10)).toMatchObject([{ id: '0:1', name: 'DecisionsRecorded' }]);
    await store.close();
  });
});

describe('compareIndexes', () => {
  it('finds nothing when the index equals the ledger, and each kind of difference otherwise', async () => {
    const ledger = openSqliteIndex(':memory:');
    const index = openSqliteIndex(':memory:');
    const blocks = [
      batchBlock(0, [{ batchId: 'b-1', records: [record('m-1'), record('m-2')] }]),
      batchBlock(1, [{ batchId: 'b-2', records: [record('m-3'), record('m-1')] }]),
    ];
    for (const b of blocks) await ledger.applyBlock(b);
    for (const b of blocks) await index.applyBlock(b);
    const clean = await compareIndexes(index, ledger);
    expect(clean.findings.map((f) => [f.kind, f.decisionId])).toEqual([['duplicate', 'm-1']]);

    const tampered = openSqliteIndex(':memory:');
    await tampered.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('m-1'), record('m-2', { useCase: 'changed' })] }]));
    await tampered.applyBlock(batchBlock(1, [{ batchId: 'b-2', records: [record('m-3')] }, { batchId: 'b-9', records: [record('m-9')] }]));
    const report = await compareIndexes(tampered, ledger);
    expect(report.findings.map((f) => [f.kind, f.decisionId])).toEqual([
      ['different', 'm-2'],
      ['missing', 'm-1'],
      ['extra', 'm-9'],
      ['duplicate', 'm-1'],
    ]);
    expect(report.findings[0]?.detail).toMatch(/recordSha256/);
  });
});
