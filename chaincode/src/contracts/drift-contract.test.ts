import './quiet-logs.js';
import { describe, expect, it } from 'vitest';
import type { DriftAlert, DriftPolicy } from '../domain/drift.js';
import { exampleDriftAlert } from '../domain/examples.js';
import type { ModelVersion } from '../domain/model.js';
import type { DecisionBatch } from '../domain/decision.js';
import type { FakeWorld } from '../testing/index.js';
import type { RaisedAlert } from './operations/drift-alerts.js';
import { contracts, evaluate, exampleBatch, people, refusal, seededWorld, submit } from './testkit.js';

const { drift, lineage, decisions } = contracts;
type Ctx = Parameters<typeof drift.RaiseDriftAlert>[0];
const raise = (overrides: object = {}) => (ctx: Ctx) => drift.RaiseDriftAlert(ctx, JSON.stringify(exampleDriftAlert(overrides)));
const setPolicy = (policy: object) => (ctx: Ctx) => drift.SetDriftPolicy(ctx, JSON.stringify({ modelId: 'credit-scorer', version: '1.0.0', ...policy }));
const transition = (alertId: string, to: string, note?: string) => (ctx: Ctx) => drift.TransitionDriftAlert(ctx, JSON.stringify({ alertId, to, note }));
const changeStatus = (status: string) => (ctx: Ctx) =>
  lineage.ChangeModelStatus(ctx, JSON.stringify({ modelId: 'credit-scorer', version: '1.0.0', status, reason: `to ${status}` }));
const model = (world: FakeWorld) => evaluate<ModelVersion>(world, people.officer, (ctx) => lineage.GetModelVersion(ctx, 'credit-scorer', '1.0.0'));

async function deployedWorld(): Promise<FakeWorld> {
  const world = await seededWorld();
  await submit(world, people.officer, changeStatus('approved'));
  await submit(world, people.officer, changeStatus('deployed'));
  return world;
}

describe('critical drift under onCritical=suspend', () => {
  it('suspends the version in the same transaction, and decisions against it are then refused', async () => {
    const world = await deployedWorld();
    await submit(world, people.operatorAdmin, setPolicy({ onCritical: 'suspend' }));
    const raised = await submit<RaisedAlert>(world, people.recorder, raise({ alertId: 'crit-1', metric: 'psi', value: 0.31 }));

    expect(raised.alert).toMatchObject({ severity: 'critical', threshold: 0.25, state: 'open', ownerMsp: 'OperatorOrgMSP' });
    expect(raised.modelStatus).toBe('suspended');
    const event = world.lastCommit?.event;
    expect(event?.name).toBe('DriftAlertRaised');
    expect(JSON.parse(Buffer.from(event?.payload ?? []).toString())).toMatchObject({
      alertId: 'crit-1',
      severity: 'critical',
      modelStatusChange: { from: 'deployed', to: 'suspended', alertId: 'crit-1' },
    });

    const suspended = await model(world);
    expect(suspended.status).toBe('suspended');
    expect(suspended.openDriftAlertIds).toEqual(['crit-1']);
    expect(suspended.statusHistory.at(-1)).toMatchObject({ status: 'suspended', alertId: 'crit-1', by: people.recorder.id });

    const refused = await refusal(world, people.recorder, (ctx) => decisions.RecordDecisions(ctx, JSON.stringify(exampleBatch('after', 2))));
    expect(refused).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'decisions[0].modelVersion', wrote: false });
    expect(refused.message).toMatch(/suspended/);
  });

  it('cannot be re-deployed until the critical alert is closed; then it can', async () => {
    const world = await deployedWorld();
    await submit(world, people.operatorAdmin, setPolicy({ onCritical: 'suspend' }));
    await submit(world, people.recorder, raise({ alertId: 'crit-1', value: 0.4 }));
    expect(await refusal(world, people.officer, changeStatus('deployed'))).toMatchObject({ code: 'PRECONDITION_FAILED', wrote: false });
    await submit(world, people.officer, transition('crit-1', 'resolved', 'retrained feature pipeline'));
    expect((await model(world)).openDriftAlertIds).toEqual([]);
    await submit(world, people.officer, changeStatus('deployed'));
    await submit(world, people.recorder, (ctx) => decisions.RecordDecisions(ctx, JSON.stringify(exampleBatch('resumed', 1))));
  });
});

describe('alerts that do not suspend', () => {
  it('flags a critical alert under the default policy and copies open alert ids into later decisions', async () => {
    const world = await deployedWorld();
    const raised = await submit<RaisedAlert>(world, people.recorder, raise({ alertId: 'a-1', value: 0.3 }));
    expect(raised).toMatchObject({ modelStatus: 'deployed', alert: { severity: 'critical' } });
    expect(raised.modelStatusChange).toBeUndefined();
    await submit(world, people.recorder, raise({ alertId: 'a-2', metric: 'ks', value: 0.03 }));
    await submit(world, people.recorder, (ctx) => decisions.RecordDecisions(ctx, JSON.stringify(exampleBatch('during', 2))));
    const batch = await evaluate<DecisionBatch>(world, people.officer, (ctx) => decisions.GetDecisionBatch(ctx, 'during'));
    expect(batch.decisions.map((d) => d.openDriftAlertIds)).toEqual([['a-1', 'a-2'], ['a-1', 'a-2']]);
  });

  it('refuses a value below the warning threshold, and a custom metric without thresholds, writing nothing', async () => {
    const world = await deployedWorld();
    expect(await refusal(world, people.recorder, raise({ value: 0.05 }))).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'value', wrote: false });
    expect(await refusal(world, people.recorder, raise({ metric: 'custom', value: 9 }))).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'metric', wrote: false });
  });

  it('uses an admin\'s custom thresholds', async () => {
    const world = await deployedWorld();
    const policy = await submit<DriftPolicy>(world, people.operatorAdmin, setPolicy({ thresholds: { custom: { warning: 100, critical: 200 } } }));
    expect(policy).toMatchObject({ source: 'ledger', onCritical: 'flag', setBy: people.operatorAdmin.id });
    const raised = await submit<RaisedAlert>(world, people.recorder, raise({ metric: 'custom', value: 150 }));
    expect(raised.alert).toMatchObject({ severity: 'warning', threshold: 100 });
  });

  it('replays an identical alert and refuses a different one under the same id', async () => {
    const world = await deployedWorld();
    const first = await submit<RaisedAlert>(world, people.recorder, raise());
    const before = world.snapshot();
    expect((await submit<RaisedAlert>(world, people.recorder, raise())).alert).toEqual(first.alert);
    expect(world.snapshot()).toEqual(before);
    expect(await refusal(world, people.recorder, raise({ value: 0.2 }))).toMatchObject({ code: 'CONFLICT', field: 'alertId', wrote: false });
  });
});

describe('alert transitions and listing', () => {
  it('records actor and note, and refuses moves out of a closed state', async () => {
    const world = await deployedWorld();
    await submit(world, people.recorder, raise({ alertId: 'a-1' }));
    await submit(world, people.officer, transition('a-1', 'acknowledged', 'looking into it'));
    const closed = await submit<DriftAlert>(world, people.officer, transition('a-1', 'false-positive', 'seasonal effect'));
    expect(closed.transitions.map((t) => [t.state, t.by, t.note])).toEqual([
      ['open', people.recorder.id, undefined],
      ['acknowledged', people.officer.id, 'looking into it'],
      ['false-positive', people.officer.id, 'seasonal effect'],
    ]);
    expect(world.lastCommit?.event?.name).toBe('DriftAlertChanged');
    expect(await refusal(world, people.officer, transition('a-1', 'resolved'))).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'to', wrote: false });
    expect(await refusal(world, people.officer, transition('nope', 'resolved'))).toMatchObject({ code: 'NOT_FOUND', field: 'alertId', wrote: false });
  });

  it('lists by model and state with bookmarks, following state changes', async () => {
    const world = await deployedWorld();
    for (const id of ['a-1', 'a-2', 'a-3']) await submit(world, people.recorder, raise({ alertId: id }));
    await submit(world, people.officer, transition('a-2', 'acknowledged'));
    const list = async (query: object) => {
      const ids: string[] = [];
      let bookmark = '';
      do {
        const page = await evaluate<{ alerts: DriftAlert[]; bookmark: string }>(world, people.regulator, (ctx) =>
          drift.ListDriftAlerts(ctx, JSON.stringify({ modelId: 'credit-scorer', pageSize: 1, bookmark, ...query })),
        );
        ids.push(...page.alerts.map((a) => a.alertId));
        bookmark = page.bookmark;
      } while (bookmark !== '');
      return ids;
    };
    expect(await list({ state: 'open' })).toEqual(['a-1', 'a-3']);
    expect(await list({ state: 'acknowledged', modelVersion: '1.0.0' })).toEqual(['a-2']);
    expect((await list({})).sort()).toEqual(['a-1', 'a-2', 'a-3']);
    expect(await list({ modelVersion: '2.0.0' })).toEqual([]);
  });
});
