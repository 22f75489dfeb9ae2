import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionInput, exampleDecision } from '@aiaudit/chaincode/domain';
import { FakeDecisionLedger } from '../../../test/support/fake-ledger.js';
import { queuedSubmission } from '../../../test/support/outbox-submissions.js';
import { createLogger } from '../logger.js';
import { ProblemError } from '../http/problem.js';
import type { BatchLimits, DecisionReceipt, Outcome } from './batcher.js';
import { DecisionOutbox, type CommittedDecision } from './outbox.js';
import { OutboxStore } from './outbox-store.js';

const signer = { mspId: 'OperatorOrgMSP', fabricUser: 'User1' };
const dirs: string[] = [];
const opened: DecisionOutbox[] = [];
afterEach(async () => {
  for (const outbox of opened.splice(0)) await outbox.stop(100);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const decision = (decisionId: string, overrides: Partial<DecisionInput> = {}): DecisionInput => DecisionInput.parse(exampleDecision({ decisionId, ...overrides }));

interface SetupOptions {
  limits?: Partial<BatchLimits>;
  ledger?: FakeDecisionLedger;
  path?: string;
  committed?: Map<string, CommittedDecision>;
  /** The index's last block, as the sweep reads it (undefined: nothing indexed). */
  index?: { through: number | undefined };
  indexCaughtUp?: (timeoutMs: number) => Promise<boolean>;
  keepFailedMs?: number;
}

function setup(options: SetupOptions = {}) {
  const path = options.path ?? join(mkdtempSync(join(tmpdir(), 'aiaudit-outbox-')), 'outbox.sqlite');
  if (options.path === undefined) dirs.push(join(path, '..'));
  const ledger = options.ledger ?? new FakeDecisionLedger();
  const store = new OutboxStore(path);
  const outbox = new DecisionOutbox({
    store,
    ledger,
    limits: { maxSize: 500, lingerMs: 5, maxInFlight: 4, ...options.limits },
    logger: createLogger('silent'),
    locateBatch: async (batchId) => {
      const found = ledger.committed.get(batchId);
      return found === undefined ? undefined : String(found.blockNumber);
    },
    findCommitted: async (ids) => new Map(ids.flatMap((id) => {
      const found = options.committed?.get(id);
      return found === undefined ? [] : [[id, found] as const];
    })),
    indexCaughtUp: options.indexCaughtUp ?? (async () => true),
    indexedThrough: () => options.index?.through,
    ...(options.keepFailedMs === undefined ? {} : { keepFailedMs: options.keepFailedMs }),
    // Tests sweep by hand.
    sweepMs: 3_600_000,
    retry: { baseMs: 1, maxMs: 5, maxFailures: 3 },
  });
  opened.push(outbox);
  outbox.start();
  return { outbox, ledger, store, path };
}

const receiptsOf = (outcomes: Outcome[]): DecisionReceipt[] =>
  outcomes.map((o) => {
    if ('problem' in o) throw o.problem;
    return o.receipt;
  });

describe('DecisionOutbox: batching', () => {
  it('groups concurrent submissions into one batch and gives each caller its own receipt', async () => {
    const { outbox, ledger } = setup({ limits: { lingerMs: 100 } });
    const handles = await Promise.all(['d1', 'd2', 'd3'].map((id) => outbox.submit(signer, [decision(id)], false)));
    const receipts = (await Promise.all(handles.map((h) => h.outcomes))).map((o) => receiptsOf(o)[0]);
    expect(ledger.calls).toHaveLength(1);
    const [call] = ledger.calls;
    expect(receipts.map((r) => [r?.decisionId, r?.batchId, r?.position, r?.txId, r?.blockNumber])).toEqual([
      ['d1', call?.batchId, 0, 'tx-101', '101'],
      ['d2', call?.batchId, 1, 'tx-101', '101'],
      ['d3', call?.batchId, 2, 'tx-101', '101'],
    ]);
    expect(outbox.status('d2')).toMatchObject({ state: 'committed', batchId: call?.batchId, position: 1, txId: 'tx-101', blockNumber: '101' });
    expect(outbox.depth()).toBe(0);
  });

  it('cuts batches at maxSize, keeps a submission whole and at most maxInFlight batches in flight', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.delayMs = 20;
    const { outbox } = setup({ ledger, limits: { maxSize: 3, lingerMs: 300, maxInFlight: 2 } });
    const singles = await Promise.all(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'].map((id) => outbox.submit(signer, [decision(id)], false)));
    const pair = await outbox.submit(signer, [decision('p1'), decision('p2')], true);
    await Promise.all([...singles, pair].map((h) => h.outcomes));
    expect(ledger.calls.map((c) => c.decisionIds)).toEqual([['a1', 'a2', 'a3'], ['a4', 'a5', 'a6'], ['a7', 'p1', 'p2']]);
    expect(ledger.maxInFlight).toBe(2);
  });

  it('waits lingerMs for more submissions before sending a batch that is not full', async () => {
    const { outbox, ledger } = setup({ limits: { maxSize: 10, lingerMs: 300 } });
    const first = await outbox.submit(signer, [decision('l1')], false);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await outbox.submit(signer, [decision('l2')], false);
    await Promise.all([first.outcomes, second.outcomes]);
    expect(ledger.calls.map((c) => c.decisionIds)).toEqual([['l1', 'l2']]);
  });
});

describe('DecisionOutbox: a refused record fails only its caller', () => {
  it('splits the batch: the named record’s caller gets the problem with its own field, the others commit in a new batch', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.suspended.add('credit-scorer@0.9.0');
    const { outbox } = setup({ ledger, limits: { lingerMs: 100 } });
    const ok1 = await outbox.submit(signer, [decision('s1')], false);
    const bad = await outbox.submit(signer, [decision('s2'), decision('s3', { modelVersion: '0.9.0' })], true);
    const lone = await outbox.submit(signer, [decision('s4', { modelVersion: '0.9.0' })], false);
    const ok2 = await outbox.submit(signer, [decision('s5')], false);

    const [badOutcomes, loneOutcomes] = await Promise.all([bad.outcomes, lone.outcomes]);
    const problemOf = (o: Outcome | undefined) => (o !== undefined && 'problem' in o ? o.problem : undefined);
    expect(problemOf(badOutcomes[1])).toMatchObject({ status: 422, slug: 'precondition-failed', errors: [{ field: 'decisions[1].modelVersion' }] });
    expect(problemOf(badOutcomes[0])?.status).toBe(422);
    expect(problemOf(loneOutcomes[0])).toMatchObject({ status: 422, errors: [{ field: 'modelVersion' }] });
    const good = [...receiptsOf(await ok1.outcomes), ...receiptsOf(await ok2.outcomes)];
    expect(good.map((r) => r.decisionId)).toEqual(['s1', 's5']);

    // The first batch (all five) was refused; the splits left s1 and s5, committed together in another batch.
    expect(ledger.calls[0]?.decisionIds).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(ledger.decisionIds()).toEqual(['s1', 's5']);
    expect(new Set(ledger.calls.map((c) => c.batchId)).size).toBe(ledger.calls.length);
    expect(outbox.status('s2')).toMatchObject({ state: 'failed', problem: { status: 422, errors: [{ field: 'decisions[1].modelVersion' }] } });
    expect(outbox.status('s2')?.batchId).toBeUndefined();
  });

  it('fails every caller of a batch refused without a record position (e.g. the signer lacks the role)', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.failNext.push(new ProblemError({ status: 403, slug: 'forbidden', detail: 'the caller lacks role recorder' }));
    const { outbox } = setup({ ledger, limits: { lingerMs: 200 } });
    const handles = await Promise.all(['f1', 'f2'].map((id) => outbox.submit(signer, [decision(id)], false)));
    const outcomes = (await Promise.all(handles.map((h) => h.outcomes))).flat();
    expect(outcomes.map((o) => ('problem' in o ? o.problem.status : 0))).toEqual([403, 403]);
    expect(ledger.decisionIds()).toEqual([]);
  });

  it('retries a transient failure with the same batch id', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.failNext.push(new ProblemError({ status: 503, slug: 'fabric-unavailable' }), new ProblemError({ status: 504, slug: 'commit-status-unknown' }));
    const { outbox } = setup({ ledger });
    const handle = await outbox.submit(signer, [decision('t1')], false);
    const [receipt] = receiptsOf(await handle.outcomes);
    expect(ledger.calls.map((c) => c.batchId)).toEqual([receipt?.batchId, receipt?.batchId, receipt?.batchId]);
  });
});

describe('DecisionOutbox: crash and replay', () => {
  it('replays a batch committed just before the crash under the same id and marks it committed, never a second batch', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.hangAfterCommit = true;
    const first = setup({ ledger });
    await first.outbox.submit(signer, [decision('c1'), decision('c2')], true);
    await waitFor(() => ledger.committed.size === 1);
    const [batchId] = [...ledger.committed.keys()];
    // The process dies: the outbox still holds the rows as pending, with their batch id.
    first.store.close();
    opened.splice(opened.indexOf(first.outbox), 1);

    ledger.hangAfterCommit = false;
    const second = setup({ ledger, path: first.path });
    dirs.push(join(first.path, '..'));
    await waitFor(() => second.outbox.status('c2')?.state === 'committed');
    expect(ledger.calls.map((c) => c.batchId)).toEqual([batchId, batchId]);
    expect(ledger.decisionIds()).toEqual(['c1', 'c2']);
    expect(second.outbox.status('c1')).toMatchObject({ state: 'committed', batchId, position: 0, txId: 'tx-101', blockNumber: '101' });
  });

  it('submits a batch that never reached the ledger after the restart, with the batch id persisted before the crash', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.delayMs = 10_000;
    const first = setup({ ledger });
    await first.outbox.submit(signer, [decision('r1')], false);
    await waitFor(() => ledger.calls.length === 1);
    const batchId = ledger.calls[0]?.batchId;
    first.store.close();
    opened.splice(opened.indexOf(first.outbox), 1);

    const fresh = new FakeDecisionLedger();
    const second = setup({ ledger: fresh, path: first.path });
    dirs.push(join(first.path, '..'));
    await waitFor(() => second.outbox.status('r1')?.state === 'committed');
    expect(fresh.calls).toEqual([{ batchId, decisionIds: ['r1'] }]);
  });

  it('replays accepted decisions that had no batch yet', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aiaudit-outbox-')), 'outbox.sqlite');
    dirs.push(join(path, '..'));
    const store = new OutboxStore(path);
    await store.admit(queuedSubmission('s', ['q1']));
    store.close();
    const { outbox, ledger } = setup({ path });
    await waitFor(() => outbox.status('q1')?.state === 'committed');
    expect(ledger.decisionIds()).toEqual(['q1']);
  });
});

describe('DecisionOutbox: idempotency', () => {
  it('answers a resubmission with identical content with the existing receipt, without a new batch', async () => {
    const { outbox, ledger } = setup();
    const [first] = receiptsOf(await (await outbox.submit(signer, [decision('i1')], false)).outcomes);
    const again = await outbox.submit(signer, [decision('i1')], false);
    expect(again.admissions).toEqual([{ decisionId: 'i1', kind: 'committed', receipt: first }]);
    expect(receiptsOf(await again.outcomes)).toEqual([first]);
    expect(ledger.calls).toHaveLength(1);
  });

  it('joins a resubmission of a pending decision to the pending one', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.delayMs = 30;
    const { outbox } = setup({ ledger });
    const one = await outbox.submit(signer, [decision('j1')], false);
    const two = await outbox.submit(signer, [decision('j1')], false);
    expect(two.admissions[0]?.kind).toBe('pending');
    expect(receiptsOf(await two.outcomes)).toEqual(receiptsOf(await one.outcomes));
    expect(ledger.decisionIds()).toEqual(['j1']);
  });

  it('answers a decision the index already holds with its ledger receipt', async () => {
    const input = decision('x1');
    const record = { ...input, recordedAt: '2025-03-01T09:30:01.000Z', ownerMsp: signer.mspId, recordedBy: 'x509::/CN=User1::/CN=ca', openDriftAlertIds: ['a-1'] };
    const receipt = { decisionId: 'x1', batchId: 'b-old', position: 4, txId: 'tx-old', blockNumber: '7' };
    const committed = new Map([['x1', { recordJson: JSON.stringify(record), ownerMsp: signer.mspId, receipt }]]);
    const { outbox, ledger } = setup({ committed });
    const handle = await outbox.submit(signer, [input], false);
    expect(receiptsOf(await handle.outcomes)).toEqual([receipt]);
    const changed = await outbox.submit(signer, [decision('x1', { confidence: 0.5 })], false).catch((e: unknown) => e);
    expect(changed).toMatchObject({ status: 409, slug: 'conflict', errors: [{ field: 'decisionId' }] });
    expect(ledger.calls).toHaveLength(0);
  });

  it('refuses the same id with different content with 409 naming the field, writing nothing of the submission', async () => {
    const { outbox, ledger } = setup();
    await (await outbox.submit(signer, [decision('k1')], false)).outcomes;
    const err = await outbox.submit(signer, [decision('k2'), decision('k1', { useCase: 'other' })], true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect(err).toMatchObject({ status: 409, errors: [{ field: 'decisions[1].decisionId' }] });
    expect(outbox.status('k2')).toBeUndefined();
    const otherOrg = await outbox.submit({ mspId: 'OtherMSP', fabricUser: 'User1' }, [decision('k1')], false).catch((e: unknown) => e);
    expect(otherOrg).toMatchObject({ status: 409 });
    expect(ledger.calls).toHaveLength(1);
  });

  it('tries a failed decision again when it is resubmitted', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.suspended.add('credit-scorer@1.0.0');
    const { outbox } = setup({ ledger });
    const failed = await (await outbox.submit(signer, [decision('z1')], false)).outcomes;
    expect('problem' in (failed[0] ?? {})).toBe(true);
    ledger.suspended.clear();
    const again = await outbox.submit(signer, [decision('z1')], false);
    expect(again.admissions[0]?.kind).toBe('accepted');
    expect(receiptsOf(await again.outcomes)[0]?.decisionId).toBe('z1');
  });
});

describe('DecisionOutbox: the outbox cannot write', () => {
  it('answers 503 to the submission and to a caller that joined it, and holds nothing', async () => {
    const { outbox, store, ledger } = setup();
    // Runs before the turn that would write the admissions below.
    setImmediate(() => store.close());
    const results = await Promise.allSettled([outbox.submit(signer, [decision('e1')], false), outbox.submit(signer, [decision('e1')], false)]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as ProblemError).status : 'fulfilled'))).toEqual([503, 503]);
    expect(store.pendingDecision('e1')).toBeUndefined();
    expect(outbox.depth()).toBe(0);
    expect(ledger.calls).toHaveLength(0);
  });
});

describe('DecisionOutbox: stop', () => {
  it('drains in-flight batches, then refuses new submissions with 503', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.delayMs = 30;
    const { outbox } = setup({ ledger, limits: { lingerMs: 1_000 } });
    const handle = await outbox.submit(signer, [decision('w1')], false);
    await outbox.stop(2_000);
    expect(receiptsOf(await handle.outcomes)[0]?.decisionId).toBe('w1');
    await expect(outbox.submit(signer, [decision('w2')], false)).rejects.toMatchObject({ status: 503 });
  });
});

describe('DecisionOutbox: waits for the index before admitting', () => {
  it('admits once the index has caught up with the ledger', async () => {
    let caughtUp!: (ok: boolean) => void;
    const gate = new Promise<boolean>((resolve) => (caughtUp = resolve));
    const { outbox, store } = setup({ indexCaughtUp: () => gate });
    const handle = outbox.submit(signer, [decision('u1')], false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.pendingDecision('u1')).toBeUndefined();
    caughtUp(true);
    expect(receiptsOf(await (await handle).outcomes)[0]?.decisionId).toBe('u1');
  });

  it('refuses with 503 and writes nothing while the index has not caught up in time', async () => {
    const { outbox, store, ledger } = setup({ indexCaughtUp: async () => false });
    const err = await outbox.submit(signer, [decision('u2')], false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect(err).toMatchObject({ status: 503, slug: 'not-ready', headers: { 'Retry-After': '5' } });
    expect(store.pendingDecision('u2')).toBeUndefined();
    expect(ledger.calls).toHaveLength(0);
  });
});

describe('DecisionOutbox: sweeping settled rows', () => {
  it("deletes a batch's rows when it commits, and answers from memory until the index holds its block", async () => {
    const index = { through: undefined as number | undefined };
    const { outbox, store, ledger } = setup({ index });
    const [receipt] = receiptsOf(await (await outbox.submit(signer, [decision('v1')], false)).outcomes);
    const block = Number(receipt?.blockNumber);
    expect(store.pendingDecision('v1')).toBeUndefined();
    expect(outbox.status('v1')).toMatchObject({ state: 'committed', batchId: receipt?.batchId, position: 0, txId: receipt?.txId, blockNumber: receipt?.blockNumber });
    // The index has not caught up: a resubmission is still recognised, the same id with other content refused.
    const again = await outbox.submit(signer, [decision('v1')], false);
    expect(again.admissions).toEqual([{ decisionId: 'v1', kind: 'committed', receipt }]);
    const changed = await outbox.submit(signer, [decision('v1', { confidence: 0.2 })], false).catch((e: unknown) => e);
    expect(changed).toMatchObject({ status: 409 });
    const otherOrg = await outbox.submit({ mspId: 'OtherMSP', fabricUser: 'User1' }, [decision('v1')], false).catch((e: unknown) => e);
    expect(otherOrg).toMatchObject({ status: 409 });
    expect(ledger.calls).toHaveLength(1);
    index.through = block - 1;
    await outbox.sweep();
    expect(outbox.status('v1')?.state).toBe('committed');
    index.through = block;
    await outbox.sweep();
    expect(outbox.status('v1')).toBeUndefined();
  });

  it('keeps pending decisions, keeps failed ones for keepFailedMs, then prunes them', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.suspended.add('credit-scorer@1.0.0');
    const index = { through: 1_000_000 as number | undefined };
    const { outbox, store } = setup({ ledger, index, keepFailedMs: 60_000 });
    await (await outbox.submit(signer, [decision('y1')], false)).outcomes;
    expect(outbox.status('y1')?.state).toBe('failed');
    await store.admit(queuedSubmission('s', ['y2']));
    expect(await outbox.sweep()).toBe(0);
    expect(outbox.status('y1')?.state).toBe('failed');
    expect(store.pruneFailed(Date.now() + 1, 10)).toBe(1);
    expect(outbox.status('y1')).toBeUndefined();
    expect(outbox.status('y2')?.state).toBe('pending');
  });

  it('deletes a large backlog of failed decisions a bounded chunk at a time, letting other work run between chunks', async () => {
    const { outbox, store } = setup({ keepFailedMs: 0 });
    const ids = Array.from({ length: 4_500 }, (_, i) => `bulk-${i}`);
    await store.admit(queuedSubmission('bulk', ids));
    store.markFailed('bulk', '{"status":422,"slug":"precondition-failed","title":"Precondition failed"}');
    await new Promise((resolve) => setTimeout(resolve, 5));
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const swept = await outbox.sweep();
    ticking = false;
    expect(swept).toBe(4_500);
    expect(turns).toBeGreaterThan(1);
    expect(ids.some((id) => outbox.status(id) !== undefined)).toBe(false);
  });
});


async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
