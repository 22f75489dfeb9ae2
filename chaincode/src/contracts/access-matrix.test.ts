import './quiet-logs.js';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../domain/canonical-json.js';
import { exampleDataset, exampleDecision, exampleDriftAlert, exampleModel } from '../domain/examples.js';
import type { FakeContext, FakeWorld, TxOptions } from '../testing/index.js';
import { contracts, people, refusal, seededWorld, submit } from './testkit.js';

const { lineage, decisions, privacy, drift, access, history } = contracts;
const raw = { income: 1 };
const json = (value: unknown) => JSON.stringify(value);

/** A world with a batch (b-1/d-1, its private input stored) and an open warning alert (a-1). */
async function fullWorld(): Promise<FakeWorld> {
  const world = await seededWorld();
  const decision = exampleDecision({ decisionId: 'd-1', inputSha256: sha256Hex(canonicalJson(raw)) });
  await submit(world, people.recorder, (ctx) => decisions.RecordDecisions(ctx, json({ batchId: 'b-1', decisions: [decision] })));
  await submit(world, { ...people.recorder, transient: { input: json(raw) } }, (ctx) => privacy.StorePrivateInputs(ctx, 'd-1', 'b-1'));
  await submit(world, people.recorder, (ctx) => drift.RaiseDriftAlert(ctx, json(exampleDriftAlert({ alertId: 'a-1' }))));
  return world;
}

type Persona = keyof typeof people;
type Operation = [name: string, allowed: Persona[], run: (ctx: FakeContext) => Promise<string>];
const READERS: Persona[] = ['recorder', 'officer', 'operatorAdmin', 'regulator'];

const writes: Operation[] = [
  ['RegisterModelVersion', ['recorder'], (ctx) => lineage.RegisterModelVersion(ctx, json(exampleModel({ version: '2.0.0' })))],
  ['RegisterDatasetVersion', ['recorder'], (ctx) => lineage.RegisterDatasetVersion(ctx, json(exampleDataset({ version: 'v2' })))],
  ['ChangeModelStatus', ['officer'], (ctx) => lineage.ChangeModelStatus(ctx, json({ modelId: 'credit-scorer', version: '1.0.0', status: 'approved', reason: 'ok' }))],
  ['RecordDecisions', ['recorder'], (ctx) => decisions.RecordDecisions(ctx, json({ batchId: 'b-2', decisions: [exampleDecision()] }))],
  ['AddOversight', ['officer'], (ctx) => decisions.AddOversight(ctx, json({ oversightId: 'o-1', batchId: 'b-1', decisionId: 'd-1', reviewerRef: 'r', action: 'confirmed' }))],
  ['StorePrivateInputs', ['recorder'], (ctx) => privacy.StorePrivateInputs(ctx, 'd-1', 'b-1')],
  ['PurgePrivateInputs', ['officer'], (ctx) => privacy.PurgePrivateInputs(ctx, json({ batchId: 'b-1', decisionId: 'd-1' }))],
  ['SetDriftPolicy', ['operatorAdmin'], (ctx) => drift.SetDriftPolicy(ctx, json({ modelId: 'credit-scorer', version: '1.0.0', onCritical: 'suspend' }))],
  ['RaiseDriftAlert', ['recorder'], (ctx) => drift.RaiseDriftAlert(ctx, json(exampleDriftAlert({ alertId: 'a-2' })))],
  ['TransitionDriftAlert', ['officer'], (ctx) => drift.TransitionDriftAlert(ctx, json({ alertId: 'a-1', to: 'acknowledged' }))],
  ['GrantRole', ['operatorAdmin'], (ctx) => access.GrantRole(ctx, json({ mspId: 'OperatorOrgMSP', identityId: people.stranger.id, role: 'officer' }))],
  ['RevokeRole', ['operatorAdmin'], (ctx) => access.RevokeRole(ctx, json({ mspId: 'OperatorOrgMSP', identityId: people.recorder.id, role: 'recorder' }))],
];

const reads: Operation[] = [
  ['GetModelVersion', READERS, (ctx) => lineage.GetModelVersion(ctx, 'credit-scorer', '1.0.0')],
  ['GetLineage', READERS, (ctx) => lineage.GetLineage(ctx, json({ id: 'credit-scorer', version: '1.0.0' }))],
  ['GetDecisionBatch', READERS, (ctx) => decisions.GetDecisionBatch(ctx, 'b-1')],
  ['QueryDecisionsByModel', READERS, (ctx) => decisions.QueryDecisionsByModel(ctx, json({ modelId: 'credit-scorer', modelVersion: '1.0.0' }))],
  ['ListOversight', READERS, (ctx) => decisions.ListOversight(ctx, 'b-1', 'd-1')],
  ['GetDriftAlert', READERS, (ctx) => drift.GetDriftAlert(ctx, 'a-1')],
  ['ListDriftAlerts', READERS, (ctx) => drift.ListDriftAlerts(ctx, json({ modelId: 'credit-scorer' }))],
  ['GetDriftPolicy', READERS, (ctx) => drift.GetDriftPolicy(ctx, 'credit-scorer', '1.0.0')],
  ['GetHistory', READERS, (ctx) => history.GetHistory(ctx, 'alert', 'a-1')],
  ['ListPurgeLog', READERS, (ctx) => privacy.ListPurgeLog(ctx, 'b-1', 'd-1')],
  ['GetPrivateInputs', ['officer'], (ctx) => privacy.GetPrivateInputs(ctx, 'b-1', 'd-1')],
];

const personas: Persona[] = ['recorder', 'officer', 'regulator', 'operatorAdmin', 'stranger', 'otherRecorder'];
const caller = (persona: Persona): TxOptions => ({ ...people[persona], transient: { input: json(raw) } });

describe.each(writes)('%s', (_name, allowed, run) => {
  it.each(personas)('by %s', async (persona) => {
    const world = await fullWorld();
    if (allowed.includes(persona)) {
      await expect(world.invoke(caller(persona), run)).resolves.toEqual(expect.any(String));
    } else {
      expect(await refusal(world, caller(persona), run)).toMatchObject({ code: 'FORBIDDEN', wrote: false });
    }
  });
});

describe.each(reads)('%s', (_name, allowed, run) => {
  it.each(personas)('by %s', async (persona) => {
    const world = await fullWorld();
    const outcome = await world.query(caller(persona), run).then(
      () => 'allowed',
      (error: Error) => error.message.split(':')[0],
    );
    expect(outcome).toBe(allowed.includes(persona) ? 'allowed' : 'FORBIDDEN');
  });
});
