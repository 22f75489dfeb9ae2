import { describe, expect, it } from 'vitest';
import { exampleDataset, exampleModel } from '../domain/examples.js';
import type { DecisionPage } from '../domain/queries.js';
import type { FakeWorld, TxOptions } from '../testing/index.js';
import { contracts, evaluate, exampleBatch, people, refusal, seededWorld, submit } from './testkit.js';

const { decisions, lineage } = contracts;
const DAY = 86_400_000;

async function recordBatch(world: FakeWorld, who: TxOptions, batchId: string, count: number, overrides = {}) {
  await submit(world, who, (ctx) => decisions.RecordDecisions(ctx, JSON.stringify(exampleBatch(batchId, count, overrides))));
  return world.lastCommit?.timestamp ?? '';
}

/** Follows bookmarks to the end; returns every page. */
async function allPages(world: FakeWorld, who: TxOptions, run: (bookmark: string) => (ctx: Parameters<typeof decisions.QueryDecisionsByModel>[0]) => Promise<string>) {
  const pages: DecisionPage[] = [];
  let bookmark = '';
  do {
    const page = await evaluate<DecisionPage>(world, who, run(bookmark));
    pages.push(page);
    bookmark = page.bookmark;
  } while (bookmark !== '' && pages.length < 100);
  return pages;
}

const byModel = (query: object) => (bookmark: string) => (ctx: Parameters<typeof decisions.QueryDecisionsByModel>[0]) =>
  decisions.QueryDecisionsByModel(ctx, JSON.stringify({ modelId: 'credit-scorer', modelVersion: '1.0.0', pageSize: 1, ...query, bookmark }));

describe('QueryDecisionsByModel', () => {
  it('reads a 500-decision batch and its neighbours back through the batch index, page by page, in order', async () => {
    const world = await seededWorld();
    await recordBatch(world, people.recorder, 'b1', 500);
    await recordBatch(world, people.recorder, 'b2', 7);
    await recordBatch(world, people.recorder, 'b3', 1);
    const pages = await allPages(world, people.officer, byModel({}));
    expect(pages.map((p) => p.batches.map((b) => b.batchId))).toEqual([['b1'], ['b2'], ['b3']]);
    const all = pages.flatMap((p) => p.batches.flatMap((b) => b.decisions));
    expect(all).toHaveLength(508);
    expect(all.slice(0, 500).map((m) => m.position)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(all[499]?.decision.decisionId).toBe('b1-d499');
    expect(pages.at(-1)?.bookmark).toBe('');
  });

  it('returns only the requested version from a mixed batch, with original positions', async () => {
    const world = await seededWorld();
    await submit(world, people.recorder, (ctx) => lineage.RegisterModelVersion(ctx, JSON.stringify(exampleModel({ version: '2.0.0' }))));
    const batch = exampleBatch('mixed', 4);
    batch.decisions.forEach((d, i) => {
      if (i % 2 === 0) d.modelVersion = '2.0.0';
    });
    await submit(world, people.recorder, (ctx) => decisions.RecordDecisions(ctx, JSON.stringify(batch)));
    const [page] = await allPages(world, people.officer, byModel({ modelVersion: '2.0.0' }));
    expect(page?.batches[0]?.decisions.map((m) => [m.position, m.decision.modelVersion])).toEqual([[0, '2.0.0'], [2, '2.0.0']]);
  });

  it('selects by ledger time across days, skipping batches outside [from, to]', async () => {
    const world = await seededWorld();
    const t1 = await recordBatch(world, people.recorder, 'day0', 2);
    world.advanceTime(3 * DAY);
    const t2 = await recordBatch(world, people.recorder, 'day3', 2);
    world.advanceTime(2 * DAY);
    const t3 = await recordBatch(world, people.recorder, 'day5', 2);
    world.advanceTime(10 * DAY);
    await recordBatch(world, people.recorder, 'day15', 2);
    const ids = async (query: object) =>
      (await allPages(world, people.officer, byModel(query))).flatMap((p) => p.batches.map((b) => b.batchId));
    expect(await ids({ from: t2, to: t3 })).toEqual(['day3', 'day5']);
    expect(await ids({ from: t1, to: t2 })).toEqual(['day0', 'day3']);
    expect(await ids({ to: t1 })).toEqual(['day0']);
    expect(await ids({ from: t3 })).toEqual(['day5', 'day15']);
    expect(await ids({ from: new Date(Date.parse(t3) + 1).toISOString(), pageSize: 5 })).toEqual(['day15']);
  });

  it('refuses a bookmark it did not issue', async () => {
    const world = await seededWorld();
    const result = await world.query(people.officer, byModel({})('not-a-bookmark')).catch((e: Error) => e.message);
    expect(result).toMatch(/^INVALID_ARGUMENT: bookmark: /);
  });

  it('is refused to another org but open to the regulator', async () => {
    const world = await seededWorld();
    await recordBatch(world, people.recorder, 'b1', 1);
    const denied = await world.query(people.otherRecorder, byModel({})('')).catch((e: Error) => e.message);
    expect(denied).toMatch(/^FORBIDDEN: /);
    const [page] = await allPages(world, people.regulator, byModel({}));
    expect(page?.batches).toHaveLength(1);
  });
});

describe('QueryDecisionsByDay', () => {
  async function twoOrgWorld() {
    const world = await seededWorld();
    await submit(world, people.otherRecorder, (ctx) => lineage.RegisterDatasetVersion(ctx, JSON.stringify(exampleDataset({ datasetId: 'other-data' }))));
    await submit(world, people.otherRecorder, (ctx) =>
      lineage.RegisterModelVersion(ctx, JSON.stringify(exampleModel({ modelId: 'other-model', datasets: [{ datasetId: 'other-data', version: '2024-q4', use: 'training' }] }))),
    );
    await recordBatch(world, people.recorder, 'op-1', 3);
    await recordBatch(world, people.otherRecorder, 'other-1', 2, { modelId: 'other-model' });
    await recordBatch(world, people.recorder, 'op-2', 1);
    return world;
  }
  const byDay = (day: string) => (bookmark: string) => (ctx: Parameters<typeof decisions.QueryDecisionsByDay>[0]) =>
    decisions.QueryDecisionsByDay(ctx, JSON.stringify({ day, pageSize: 1, bookmark }));

  it('gives the regulator every org\'s batches of the day in ledger-time order', async () => {
    const world = await twoOrgWorld();
    const pages = await allPages(world, people.regulator, byDay('2026-03-01'));
    expect(pages.flatMap((p) => p.batches.map((b) => `${b.ownerMsp}:${b.batchId}`))).toEqual([
      'OperatorOrgMSP:op-1',
      'OtherOrgMSP:other-1',
      'OperatorOrgMSP:op-2',
    ]);
  });

  it('gives an officer only its own org\'s batches', async () => {
    const world = await twoOrgWorld();
    const pages = await allPages(world, people.officer, byDay('2026-03-01'));
    expect(pages.flatMap((p) => p.batches.map((b) => b.batchId))).toEqual(['op-1', 'op-2']);
  });

  it('is empty for a day without batches, and refused to a caller without a role', async () => {
    const world = await twoOrgWorld();
    expect((await allPages(world, people.officer, byDay('2026-02-28')))[0]?.batches).toEqual([]);
    const result = await refusal(world, people.stranger, byDay('2026-03-01')(''));
    expect(result).toMatchObject({ code: 'FORBIDDEN', wrote: false });
  });
});
