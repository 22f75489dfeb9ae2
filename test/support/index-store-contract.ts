// The IndexStore contract as one suite, run against every store: SQLite (unit project) and PostgreSQL (integration project).
import { describe, expect, it } from 'vitest';
import { canonicalJson, exampleDecision, type DecisionRecord } from '@aiaudit/chaincode/domain';
import { keys } from '@aiaudit/chaincode/keys';
import { decodeBlock } from '../../gateway/src/blocks/index.js';
import { compareIndexes } from '../../gateway/src/index/check.js';
import { rowsOfBlock, type BlockRows } from '../../gateway/src/index/rows.js';
import { openSqliteIndex } from '../../gateway/src/index/sqlite-store.js';
import type { IndexStore } from '../../gateway/src/index/store.js';
import { syntheticBlock } from './synthetic-blocks.js';

export const record = (decisionId: string, overrides: Partial<DecisionRecord> = {}): DecisionRecord => ({
  ...exampleDecision({ decisionId }),
  explanation: { method: 'shap', topFactors: [] },
  recordedAt: '2025-03-01T10:00:00.000Z',
  ownerMsp: 'OperatorOrgMSP',
  recordedBy: 'x509::/CN=User1::/CN=ca',
  openDriftAlertIds: [],
  ...overrides,
});

export interface SyntheticBatch {
  batchId: string;
  records: DecisionRecord[];
  valid?: boolean;
}

/** A block with one RecordDecisions transaction per batch; `dataHash` marks block 0 of a chain. */
export function batchBlockBytes(number: number, batches: readonly SyntheticBatch[], dataHash?: string): Uint8Array {
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
  if (dataHash !== undefined) block.getHeader()?.setDataHash(Buffer.from(dataHash, 'hex'));
  return block.serializeBinary();
}

/** The index rows of such a block (through the real decoder). */
export const batchBlock = (number: number, batches: readonly SyntheticBatch[], dataHash?: string): BlockRows =>
  rowsOfBlock(decodeBlock(batchBlockBytes(number, batches, dataHash)), 'aiaudit');

export const emptyBlock = (number: number): BlockRows => rowsOfBlock(decodeBlock(syntheticBlock(number, []).serializeBinary()), 'aiaudit');

/** How a suite gets stores: each call a new, empty one; closed by the suite. */
export type OpenStore = () => Promise<IndexStore>;

/** The contract every IndexStore keeps (store.ts), as observable through the interface alone. */
export function describeIndexStoreContract(name: string, open: OpenStore): void {
  const withStore = (test: (store: IndexStore) => Promise<void>) => async () => {
    const store = await open();
    try {
      await test(store);
    } finally {
      await store.close();
    }
  };

  describe(`${name}: the IndexStore contract`, () => {
    it('moves the checkpoint with each block, ignores a block it holds and refuses a gap', withStore(async (store) => {
      expect(await store.lastBlock()).toBeUndefined();
      await expect(store.applyBlock(emptyBlock(1))).rejects.toThrow('index expects block 0 next, got block 1');
      expect(await store.stats()).toEqual({ lastBlock: undefined, batches: 0, decisions: 0, events: 0 });
      await store.applyBlock(batchBlock(0, [{ batchId: 'b-0', records: [record('d-1')] }]));
      await store.applyBlock(batchBlock(0, [{ batchId: 'b-0', records: [record('d-1')] }]));
      expect(await store.stats()).toEqual({ lastBlock: 0, batches: 1, decisions: 1, events: 1 });
      await expect(store.applyBlock(emptyBlock(2))).rejects.toThrow('index expects block 1 next, got block 2');
      await store.applyBlock(emptyBlock(1));
      expect(await store.lastBlock()).toBe(1);
    }));

    it('writes nothing of a refused block', withStore(async (store) => {
      await store.applyBlock(emptyBlock(0));
      await expect(store.applyBlock(batchBlock(5, [{ batchId: 'b-5', records: [record('never')] }]))).rejects.toThrow(/expects block 1/);
      expect(await store.findDecision('never')).toEqual([]);
      expect(await store.findBatch('b-5')).toBeUndefined();
      expect(await store.stats()).toEqual({ lastBlock: 0, batches: 0, decisions: 0, events: 0 });
    }));

    it('records a decision id seen twice on the ledger as a second occurrence, never overwriting the first', withStore(async (store) => {
      await store.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('dup'), record('x')] }]));
      await store.applyBlock(batchBlock(1, [{ batchId: 'b-2', records: [record('dup', { useCase: 'other' })] }, { batchId: 'b-3', records: [record('dup')] }]));
      const found = await store.findDecision('dup');
      expect(found.map((d) => [d.anchor.batchId, d.occurrence])).toEqual([['b-1', 1], ['b-2', 2], ['b-3', 3]]);
      expect(found[1]?.recordJson).toContain('"useCase":"other"');
      expect((await store.findDecision('x')).map((d) => d.occurrence)).toEqual([1]);
      expect(await store.duplicateDecisionIds()).toEqual([{ decisionId: 'dup', anchors: found.map((d) => d.anchor) }]);
      // The idempotency look-up: the first appearance of each id held, in one query; unknown ids absent.
      const first = await store.firstAppearances(['x', 'dup', 'never', 'dup']);
      expect([...first.keys()].sort()).toEqual(['dup', 'x']);
      expect(first.get('dup')).toEqual(found[0]);
      expect(await store.firstAppearances([])).toEqual(new Map());
    }));

    it('returns a decision with its anchor and exact record, and a batch by id', withStore(async (store) => {
      const rows = batchBlock(0, [{ batchId: 'b-a', records: [record('r-1', { subjectRef: 'c'.repeat(64) }), record('r-2')] }]);
      await store.applyBlock(rows);
      const [found] = await store.findDecision('r-2');
      expect(found).toEqual({ ...rows.decisions[1], seq: 2, occurrence: 1 });
      expect(await store.findBatch('b-a')).toEqual(rows.batches[0]);
      expect(await store.findBatch('b-none')).toBeUndefined();
      expect(await store.findDecision('none')).toEqual([]);
    }));

    it('searches by alert, subject, model and time window, in ledger order, scoped to an org, in pages', withStore(async (store) => {
      await store.applyBlock(batchBlock(0, [
        { batchId: 'b-1', records: [record('a', { openDriftAlertIds: ['al-1'] }), record('b', { subjectRef: '9'.repeat(64) })] },
        { batchId: 'b-2', records: [record('c', { openDriftAlertIds: ['al-1', 'al-2'], modelVersion: '2.0.0', recordedAt: '2025-03-02T00:00:00.000Z' })] },
        { batchId: 'b-3', records: [record('bad')], valid: false },
      ]));
      const ids = async (q: Parameters<IndexStore['searchDecisions']>[0]) => (await store.searchDecisions(q)).decisions.map((d) => d.decisionId);
      expect(await ids({ alertId: 'al-1', limit: 10 })).toEqual(['a', 'c']);
      expect(await ids({ alertId: 'al-2', limit: 10 })).toEqual(['c']);
      expect(await ids({ subjectRef: '9'.repeat(64), limit: 10 })).toEqual(['b']);
      expect(await ids({ modelId: 'credit-scorer', modelVersion: '2.0.0', limit: 10 })).toEqual(['c']);
      expect(await ids({ from: '2025-03-01T12:00:00.000Z', limit: 10 })).toEqual(['c']);
      expect(await ids({ to: '2025-03-01T10:00:00.000Z', limit: 10 })).toEqual(['a', 'b']);
      expect(await ids({ ownerMsp: 'RegulatorOrgMSP', limit: 10 })).toEqual([]);
      expect(await ids({ ownerMsp: 'OperatorOrgMSP', alertId: 'al-1', from: '2025-03-02T00:00:00.000Z', limit: 10 })).toEqual(['c']);
      const page = await store.searchDecisions({ limit: 2 });
      expect(page.decisions.map((d) => d.decisionId)).toEqual(['a', 'b']);
      expect(page.nextAfterSeq).toBe(page.decisions[1]?.seq);
      const last = await store.searchDecisions({ afterSeq: page.nextAfterSeq, limit: 2 });
      expect(last.decisions.map((d) => d.decisionId)).toEqual(['c']);
      expect(last.nextAfterSeq).toBeUndefined();
    }));

    it('lists events after a cursor in ledger order', withStore(async (store) => {
      await store.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('a')] }, { batchId: 'b-2', records: [record('b')] }]));
      await store.applyBlock(batchBlock(1, [{ batchId: 'b-3', records: [record('c')] }]));
      expect((await store.eventsAfter(undefined, 10)).map((e) => e.id)).toEqual(['0:0', '0:1', '1:0']);
      expect(await store.eventsAfter({ blockNumber: 0, txIndex: 0 }, 1)).toEqual([
        { id: '0:1', blockNumber: 0, txIndex: 1, txId: 'tx-0-1', name: 'DecisionsRecorded', payload: { batchId: 'b-2', decisionIds: ['b'] }, modelId: undefined, ownerMsp: undefined, at: undefined },
      ]);
      expect(await store.eventsAfter({ blockNumber: 1, txIndex: 0 }, 10)).toEqual([]);
    }));

    it('takes a block of 500 decisions in one piece and scans every row in ledger order', withStore(async (store) => {
      const batches = Array.from({ length: 5 }, (_, b) => ({
        batchId: `big-${b}`,
        records: Array.from({ length: 100 }, (_, i) => record(`big-${(b * 100 + i) % 450}`, { openDriftAlertIds: i % 10 === 0 ? ['al-big'] : [] })),
      }));
      await store.applyBlock(batchBlock(0, batches.slice(0, 1)));
      await store.applyBlock(batchBlock(1, batches));
      expect(await store.stats()).toEqual({ lastBlock: 1, batches: 6, decisions: 600, events: 6 });
      const scanned = [];
      for await (const d of store.scanDecisions()) scanned.push(d);
      expect(scanned.map((d) => d.seq)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
      expect(scanned.map((d) => `${d.anchor.blockNumber}:${d.anchor.txIndex}:${d.anchor.position}`)).toEqual([
        ...Array.from({ length: 100 }, (_, i) => `0:0:${i}`),
        ...batches.flatMap((_, b) => Array.from({ length: 100 }, (__, i) => `1:${b}:${i}`)),
      ]);
      // big-0 … big-99 appeared in block 0, again in batch 0 of block 1, and big-0 … big-49 a third time in batch 4.
      expect((await store.findDecision('big-7')).map((d) => d.occurrence)).toEqual([1, 2, 3]);
      expect((await store.findDecision('big-70')).map((d) => d.occurrence)).toEqual([1, 2]);
      expect((await store.findDecision('big-300')).map((d) => d.occurrence)).toEqual([1]);
      expect((await store.duplicateDecisionIds()).length).toBe(100);
      expect((await store.searchDecisions({ alertId: 'al-big', limit: 1000 })).decisions).toHaveLength(60);
    }));

    it('keeps block 0’s chain id, and reset drops every row, the checkpoint and the chain id', withStore(async (store) => {
      expect(await store.chainId()).toBeUndefined();
      await store.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('a', { openDriftAlertIds: ['al-1'] })] }], 'ab'.repeat(32)));
      await store.applyBlock(emptyBlock(1));
      expect(await store.chainId()).toBe('ab'.repeat(32));
      await store.reset();
      expect(await store.chainId()).toBeUndefined();
      expect(await store.stats()).toEqual({ lastBlock: undefined, batches: 0, decisions: 0, events: 0 });
      expect(await store.searchDecisions({ alertId: 'al-1', limit: 10 })).toEqual({ decisions: [], nextAfterSeq: undefined });
      await store.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('a')] }], 'cd'.repeat(32)));
      expect(await store.chainId()).toBe('cd'.repeat(32));
      expect((await store.findDecision('a')).map((d) => [d.seq, d.occurrence])).toEqual([[1, 1]]);
    }));

    it('agrees with a SQLite replay of the same blocks (compareIndexes), and names each difference', withStore(async (store) => {
      const ledger = openSqliteIndex(':memory:');
      const blocks = [
        batchBlock(0, [{ batchId: 'b-1', records: [record('m-1'), record('m-2')] }]),
        batchBlock(1, [{ batchId: 'b-2', records: [record('m-3'), record('m-1')] }]),
      ];
      for (const b of blocks) await ledger.applyBlock(b);
      for (const b of blocks) await store.applyBlock(b);
      expect((await compareIndexes(store, ledger)).findings.map((f) => [f.kind, f.decisionId])).toEqual([['duplicate', 'm-1']]);

      const tampered = await open();
      try {
        await tampered.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('m-1'), record('m-2', { useCase: 'changed' })] }]));
        await tampered.applyBlock(batchBlock(1, [{ batchId: 'b-2', records: [record('m-3')] }, { batchId: 'b-9', records: [record('m-9')] }]));
        const report = await compareIndexes(tampered, ledger);
        expect(report.findings.map((f) => [f.kind, f.decisionId])).toEqual([['different', 'm-2'], ['missing', 'm-1'], ['extra', 'm-9'], ['duplicate', 'm-1']]);
        expect(report.findings[0]?.detail).toMatch(/recordSha256/);
      } finally {
        await tampered.close();
        await ledger.close();
      }
    }));
  });
}
