import './quiet-logs.js';
import { describe, expect, it } from 'vitest';
import type { OversightEntry } from '../domain/oversight.js';
import type { FakeWorld } from '../testing/index.js';
import { contracts, evaluate, exampleBatch, people, refusal, seededWorld, submit } from './testkit.js';

const { decisions } = contracts;
type Ctx = Parameters<typeof decisions.AddOversight>[0];
const review = (entry: object) => (ctx: Ctx) =>
  decisions.AddOversight(ctx, JSON.stringify({ oversightId: 'r-1', batchId: 'b-1', decisionId: 'b-1-d1', reviewerRef: 'officer:jdoe', action: 'confirmed', ...entry }));

async function world3(): Promise<FakeWorld> {
  const world = await seededWorld();
  await submit(world, people.recorder, (ctx) => decisions.RecordDecisions(ctx, JSON.stringify(exampleBatch('b-1', 3))));
  return world;
}

describe('oversight entries', () => {
  it('records a review as its own record pointing at the decision and its position', async () => {
    const world = await world3();
    const batchBefore = world.getCommitted(world.publicEntries().find(({ key }) => key.includes('\u0000batch\u0000'))?.key ?? '');
    const entry = await submit<OversightEntry>(world, people.officer, review({ action: 'overridden', reason: 'income verified manually' }));
    expect(entry).toMatchObject({ batchId: 'b-1', decisionId: 'b-1-d1', position: 1, modelId: 'credit-scorer', recordedBy: people.officer.id, at: world.lastCommit?.timestamp });
    expect(world.lastCommit?.event?.name).toBe('OversightRecorded');
    expect(world.getCommitted(world.publicEntries().find(({ key }) => key.includes('\u0000batch\u0000'))?.key ?? '')).toEqual(batchBefore);
    const listed = await evaluate<OversightEntry[]>(world, people.regulator, (ctx) => decisions.ListOversight(ctx, 'b-1', 'b-1-d1'));
    expect(listed).toEqual([entry]);
  });

  it('replays an identical review and refuses a different one under the same id', async () => {
    const world = await world3();
    const first = await submit<OversightEntry>(world, people.officer, review({}));
    const before = world.snapshot();
    expect(await submit(world, people.officer, review({}))).toEqual(first);
    expect(world.snapshot()).toEqual(before);
    expect(await refusal(world, people.officer, review({ action: 'reversed', reason: 'x' }))).toMatchObject({ code: 'CONFLICT', field: 'oversightId', wrote: false });
  });

  it.each([
    ['a decision not in the batch', { decisionId: 'nope' }, 'NOT_FOUND', 'decisionId'],
    ['an unknown batch', { batchId: 'b-9' }, 'NOT_FOUND', 'batchId'],
    ['an override without reason', { action: 'overridden' }, 'INVALID_ARGUMENT', 'reason'],
  ])('refuses %s and writes nothing', async (_name, change, code, field) => {
    const world = await world3();
    expect(await refusal(world, people.officer, review(change))).toMatchObject({ code, field, wrote: false });
  });
});
