import './quiet-logs.js';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../domain/canonical-json.js';
import { exampleDecision, exampleDriftAlert } from '../domain/examples.js';
import { EventName, EventPayload } from '../domain/events.js';
import { contracts, people, seededWorld, submit } from './testkit.js';

const { lineage, decisions, privacy, drift, access } = contracts;
const json = (value: unknown) => JSON.stringify(value);

describe('chaincode events', () => {
  it('every state-changing transaction emits exactly one event, whose payload matches its published schema', async () => {
    const world = await seededWorld();
    const raw = { x: 1 };
    await submit(world, people.officer, (ctx) => lineage.ChangeModelStatus(ctx, json({ modelId: 'credit-scorer', version: '1.0.0', status: 'approved', reason: 'ok' })));
    await submit(world, people.recorder, (ctx) =>
      decisions.RecordDecisions(ctx, json({ batchId: 'b', decisions: [exampleDecision({ decisionId: 'd', inputSha256: sha256Hex(canonicalJson(raw)) })] })),
    );
    await submit(world, people.officer, (ctx) => decisions.AddOversight(ctx, json({ oversightId: 'o', batchId: 'b', decisionId: 'd', reviewerRef: 'r', action: 'confirmed' })));
    await submit(world, { ...people.recorder, transient: { input: json(raw) } }, (ctx) => privacy.StorePrivateInputs(ctx, 'd', 'b'));
    await submit(world, people.officer, (ctx) => privacy.PurgePrivateInputs(ctx, json({ batchId: 'b', decisionId: 'd' })));
    await submit(world, people.operatorAdmin, (ctx) => drift.SetDriftPolicy(ctx, json({ modelId: 'credit-scorer', version: '1.0.0', onCritical: 'suspend' })));
    await submit(world, people.recorder, (ctx) => drift.RaiseDriftAlert(ctx, json(exampleDriftAlert({ alertId: 'a', value: 0.5 }))));
    await submit(world, people.officer, (ctx) => drift.TransitionDriftAlert(ctx, json({ alertId: 'a', to: 'resolved' })));
    await submit(world, people.operatorAdmin, (ctx) => access.RevokeRole(ctx, json({ mspId: 'OperatorOrgMSP', identityId: people.officer.id, role: 'officer' })));

    const events = world.events;
    expect(events).toHaveLength(world.commitCount);
    expect(new Set(events.map((e) => e.txId)).size).toBe(events.length);
    expect(new Set(events.map((e) => e.name))).toEqual(new Set(Object.values(EventName)));
    for (const event of events) {
      const schema = EventPayload[event.name as EventName];
      const parsed = schema.safeParse(JSON.parse(Buffer.from(event.payload).toString('utf8')));
      expect(parsed.success, `${event.name}: ${parsed.error?.message}`).toBe(true);
    }
    const raised = events.find((e) => e.name === 'DriftAlertRaised');
    expect(JSON.parse(Buffer.from(raised?.payload ?? []).toString())).toMatchObject({ modelStatusChange: { from: 'approved', to: 'suspended' } });
  });
});
