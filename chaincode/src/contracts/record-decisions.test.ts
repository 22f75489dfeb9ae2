import './quiet-logs.js';
import { describe, expect, it } from 'vitest';
import type { DecisionBatch } from '../domain/decision.js';
import { exampleDecision, exampleModel } from '../domain/examples.js';
import { splitKey } from '../ledger/keys.js';
import type { FakeWorld } from '../testing/index.js';
import { DecisionContract } from './decision-contract.js';
import type { BatchReceipt } from './operations/record-decisions.js';
import { contracts, evaluate, exampleBatch, people, refusal, seededWorld, submit } from './testkit.js';

const { decisions, lineage } = contracts;
const record = (batch: object) => (ctx: Parameters<typeof decisions.RecordDecisions>[0]) => decisions.RecordDecisions(ctx, JSON.stringify(batch));

/** Bytes committed under keys of the given types, and how many keys. */
function stateBytes(world: FakeWorld, types: string[]): { bytes: number; keys: number } {
  const entries = world.publicEntries().filter(({ key }) => types.includes(splitKey(key)?.type ?? ''));
  return { bytes: entries.reduce((sum, { key, value }) => sum + Buffer.byteLength(key) + value.length, 0), keys: entries.length };
}

describe('RecordDecisions', () => {
  it('records a batch in submitted order, stamping each record from the ledger and the model version', async () => {
    const world = await seededWorld();
    const batch = exampleBatch('batch-1', 3);
    const receipt = await submit<BatchReceipt>(world, people.recorder, record(batch));
    const commit = world.lastCommit;
    expect(receipt).toEqual({
      batchId: 'batch-1',
      txId: commit?.txId,
      recordedAt: commit?.timestamp,
      ownerMsp: 'OperatorOrgMSP',
      decisionIds: ['batch-1-d0', 'batch-1-d1', 'batch-1-d2'],
      modelVersions: [{ modelId: 'credit-scorer', version: '1.0.0', count: 3 }],
    });
    expect(commit?.event?.name).toBe('DecisionsRecorded');
    expect(JSON.parse(Buffer.from(commit?.event?.payload ?? []).toString())).toEqual(receipt);

    const stored = await evaluate<DecisionBatch>(world, people.officer, (ctx) => decisions.GetDecisionBatch(ctx, 'batch-1'));
    expect(stored.decisions.map((d) => d.decisionId)).toEqual(receipt.decisionIds);
    expect(stored.decisions[1]).toEqual({
      ...batch.decisions[1],
      recordedAt: commit?.timestamp,
      ownerMsp: 'OperatorOrgMSP',
      recordedBy: people.recorder.id,
      openDriftAlertIds: [],
    });
  });

  it('takes the batch from the transient map when the argument is empty, and stores the same records', async () => {
    const viaArgument = await seededWorld();
    const viaTransient = await seededWorld();
    const batch = exampleBatch('transient-1', 4);
    const fromArgument = await submit<BatchReceipt>(viaArgument, people.recorder, record(batch));
    const fromTransient = await submit<BatchReceipt>(viaTransient, { ...people.recorder, transient: { batch: JSON.stringify(batch) } }, (ctx) => decisions.RecordDecisions(ctx, ''));
    expect(fromTransient).toEqual(fromArgument);
    const stored = (world: FakeWorld) => evaluate<DecisionBatch>(world, people.officer, (ctx) => decisions.GetDecisionBatch(ctx, 'transient-1'));
    expect(await stored(viaTransient)).toEqual(await stored(viaArgument));
  });

  it('refuses an empty argument without a transient batch, and a bad record in the transient batch, writing nothing', async () => {
    const world = await seededWorld();
    const missing = await refusal(world, people.recorder, (ctx) => decisions.RecordDecisions(ctx, ''));
    expect(missing).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'batch', wrote: false });
    expect(missing.message).toMatch(/transient map under "batch"/);
    const bad = exampleBatch('transient-bad', 3);
    (bad.decisions[2] as { inputSha256: string }).inputSha256 = 'not-a-hash';
    const invalid = await refusal(world, { ...people.recorder, transient: { batch: JSON.stringify(bad) } }, (ctx) => decisions.RecordDecisions(ctx, ''));
    expect(invalid).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'decisions[2].inputSha256', wrote: false });
    const notJson = await refusal(world, { ...people.recorder, transient: { batch: '{"batchId":' } }, (ctx) => decisions.RecordDecisions(ctx, ''));
    expect(notJson).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'transient.batch', wrote: false });
  });

  it('writes one batch key plus one index key per model version and one per day, whatever the batch size', async () => {
    const world = await seededWorld();
    await submit(world, people.recorder, (ctx) => lineage.RegisterModelVersion(ctx, JSON.stringify(exampleModel({ version: '2.0.0' }))));
    const batch = exampleBatch('mixed', 500);
    batch.decisions.forEach((d, i) => {
      if (i % 2 === 1) d.modelVersion = '2.0.0';
    });
    let shimCalls = 0;
    await world.invoke(people.recorder, async (ctx) => {
      const result = await decisions.RecordDecisions(ctx, JSON.stringify(batch));
      shimCalls = ctx.stub.shimCalls;
      return result;
    });
    expect(world.lastCommit?.writes).toBe(4);
    // 1 role grant + 1 batch id + 2 model versions read; 4 keys written.
    expect(shimCalls).toBe(8);
  });

  it('needs no role lookup when the certificate carries aiaudit.role=recorder', async () => {
    const world = await seededWorld();
    let shimCalls = 0;
    await world.invoke(people.attributeRecorder, async (ctx) => {
      const result = await decisions.RecordDecisions(ctx, JSON.stringify(exampleBatch('attr', 500)));
      shimCalls = ctx.stub.shimCalls;
      return result;
    });
    expect(shimCalls).toBe(5);
  });

  it('keeps state under 2 KB per decision for a realistic 500-decision batch', async () => {
    const world = await seededWorld();
    await submit(world, people.recorder, record(exampleBatch('big', 500)));
    const { bytes, keys } = stateBytes(world, ['batch', 'batch-by-model', 'batch-by-day']);
    expect(keys).toBe(3);
    const perDecision = bytes / 500;
    expect(perDecision).toBeLessThan(2048);
    expect(perDecision).toBeGreaterThan(300); // the records really are in state
  });

  it('honours a configured batch limit', async () => {
    const world = await seededWorld();
    const small = new DecisionContract(3);
    const result = await refusal(world, people.recorder, (ctx) => small.RecordDecisions(ctx, JSON.stringify(exampleBatch('four', 4))));
    expect(result).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'decisions', wrote: false });
    expect(result.message).toMatch(/at most 3/);
  });
});

describe('RecordDecisions refuses the whole batch and writes nothing', () => {
  it('when the batch id was already committed', async () => {
    const world = await seededWorld();
    await submit(world, people.recorder, record(exampleBatch('once', 2)));
    const again = exampleBatch('once', 1, { decisionId: 'fresh' });
    expect(await refusal(world, people.recorder, record(again))).toMatchObject({ code: 'CONFLICT', field: 'batchId', wrote: false });
  });

  it('when one record names an unknown model version', async () => {
    const world = await seededWorld();
    const batch = exampleBatch('b', 5);
    batch.decisions[3] = exampleDecision({ decisionId: 'x', modelVersion: '9.9.9' });
    expect(await refusal(world, people.recorder, record(batch))).toMatchObject({ code: 'NOT_FOUND', field: 'decisions[3].modelVersion', wrote: false });
  });

  it('when one record is malformed, naming the record and field', async () => {
    const world = await seededWorld();
    const batch = exampleBatch('b', 5);
    batch.decisions[4] = { ...exampleDecision({ decisionId: 'x' }), inputSha256: 'NOT-A-HASH' };
    expect(await refusal(world, people.recorder, record(batch))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'decisions[4].inputSha256', wrote: false });
  });

  it('when a model belongs to another org', async () => {
    const world = await seededWorld();
    const result = await refusal(world, people.otherRecorder, record(exampleBatch('b', 1)));
    expect(result).toMatchObject({ code: 'FORBIDDEN', field: 'decisions[0].modelId', wrote: false });
  });

  it('when the caller is not a recorder', async () => {
    const world = await seededWorld();
    expect(await refusal(world, people.officer, record(exampleBatch('b', 1)))).toMatchObject({ code: 'FORBIDDEN', wrote: false });
  });
});
