import './quiet-logs.js';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../domain/history.js';
import { contracts, evaluate, exampleBatch, people, seededWorld, submit } from './testkit.js';

const { history, lineage, decisions } = contracts;
type Ctx = Parameters<typeof history.GetHistory>[0];
const historyOf = (kind: string, id: string) => (ctx: Ctx) => history.GetHistory(ctx, kind, id);

describe('GetHistory', () => {
  it('returns every committed version of a model version, oldest first, with txIds and times', async () => {
    const world = await seededWorld();
    const registered = world.lastCommit;
    await submit(world, people.officer, (ctx) => lineage.ChangeModelStatus(ctx, JSON.stringify({ modelId: 'credit-scorer', version: '1.0.0', status: 'approved', reason: 'ok' })));
    const approved = world.lastCommit;
    const entries = await evaluate<HistoryEntry[]>(world, people.regulator, historyOf('model', 'credit-scorer@1.0.0'));
    expect(entries.map((e) => [e.txId, e.timestamp])).toEqual([
      [registered?.txId, registered?.timestamp],
      [approved?.txId, approved?.timestamp],
    ]);
    expect(entries.map((e) => (e.value as { status: string }).status)).toEqual(['registered', 'approved']);
  });

  it('covers batches and grants too', async () => {
    const world = await seededWorld();
    await submit(world, people.recorder, (ctx) => decisions.RecordDecisions(ctx, JSON.stringify(exampleBatch('b-1', 1))));
    expect(await evaluate<HistoryEntry[]>(world, people.officer, historyOf('batch', 'b-1'))).toHaveLength(1);
    const grants = await evaluate<HistoryEntry[]>(world, people.operatorAdmin, historyOf('grant', `OperatorOrgMSP@${people.recorder.id}`));
    expect(grants).toHaveLength(1);
  });

  it.each([
    ['an unknown record', people.officer, 'model', 'nope@1', /^NOT_FOUND: id: /],
    ['another org', people.otherRecorder, 'model', 'credit-scorer@1.0.0', /^FORBIDDEN: /],
    ['a malformed id', people.officer, 'model', 'credit-scorer', /^INVALID_ARGUMENT: id: /],
    ['an unknown kind', people.officer, 'secret', 'x', /^INVALID_ARGUMENT: kind: /],
  ])('refuses %s', async (_name, who, kind, id, message) => {
    const world = await seededWorld();
    const error = await world.query(who, historyOf(kind, id)).catch((e: Error) => e.message);
    expect(error).toMatch(message);
  });
});
