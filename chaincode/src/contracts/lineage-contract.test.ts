import { describe, expect, it } from 'vitest';
import { exampleDataset, exampleModel } from '../domain/examples.js';
import type { LineageGraph } from '../domain/lineage.js';
import type { ModelVersion } from '../domain/model.js';
import { contracts, evaluate, newWorld, grantStandardRoles, people, refusal, seededWorld, submit } from './testkit.js';

const { lineage } = contracts;
const register = (model: object) => (ctx: Parameters<typeof lineage.RegisterModelVersion>[0]) => lineage.RegisterModelVersion(ctx, JSON.stringify(model));
const status = (modelId: string, version: string, to: string, reason = 'reviewed') => (ctx: Parameters<typeof lineage.ChangeModelStatus>[0]) =>
  lineage.ChangeModelStatus(ctx, JSON.stringify({ modelId, version, status: to, reason }));

describe('registering model versions', () => {
  it('stores the version as registered, owned by the caller\'s org, with a first history entry', async () => {
    const world = await seededWorld();
    const model = await evaluate<ModelVersion>(world, people.officer, (ctx) => lineage.GetModelVersion(ctx, 'credit-scorer', '1.0.0'));
    expect(model).toMatchObject({ modelId: 'credit-scorer', status: 'registered', ownerMsp: 'OperatorOrgMSP', registeredBy: people.recorder.id, openDriftAlertIds: [] });
    expect(model.statusHistory).toEqual([{ status: 'registered', by: people.recorder.id, at: model.registeredAt, reason: 'registered' }]);
    expect(world.events.at(-1)?.name).toBe('ModelVersionRegistered');
  });

  it('replays an identical registration: same record back, nothing written, no event', async () => {
    const world = await seededWorld();
    const first = await evaluate<ModelVersion>(world, people.recorder, (ctx) => lineage.GetModelVersion(ctx, 'credit-scorer', '1.0.0'));
    const before = world.snapshot();
    const replay = await submit<ModelVersion>(world, people.recorder, register(exampleModel()));
    expect(replay).toEqual(first);
    expect(world.snapshot()).toEqual(before);
    expect(world.lastCommit?.writes).toBe(0);
  });

  it('refuses the same id with different content as CONFLICT, naming what differs', async () => {
    const world = await seededWorld();
    const result = await refusal(world, people.recorder, register(exampleModel({ artifactSha256: 'f'.repeat(64) })));
    expect(result).toMatchObject({ code: 'CONFLICT', field: 'version', wrote: false });
    expect(result.message).toMatch(/artifactSha256/);
  });

  it.each([
    ['an unknown parent model', { parents: [{ modelId: 'base', version: '9', relation: 'fine-tuned-from' }] }, 'NOT_FOUND', 'parents[0]'],
    ['an unknown dataset', { datasets: [{ datasetId: 'nope', version: '1', use: 'training' }] }, 'NOT_FOUND', 'datasets[0]'],
    ['itself as parent (a cycle)', { version: '2.0.0', parents: [{ modelId: 'credit-scorer', version: '2.0.0', relation: 'retrained-from' }] }, 'INVALID_ARGUMENT', 'parents[0]'],
    ['a bad artefact hash', { artifactSha256: 'xyz' }, 'INVALID_ARGUMENT', 'artifactSha256'],
  ] as const)('refuses %s and writes nothing', async (_name, change, code, field) => {
    const world = await seededWorld();
    const result = await refusal(world, people.recorder, register({ ...exampleModel({ version: '2.0.0' }), ...change }));
    expect(result).toMatchObject({ code, field, wrote: false });
  });

  it('lets only the owning org register further versions of a model', async () => {
    const world = await seededWorld();
    const result = await refusal(world, people.otherRecorder, register(exampleModel({ version: '2.0.0', datasets: [] })));
    expect(result).toMatchObject({ code: 'FORBIDDEN', field: 'role', wrote: false });
    expect(result.message).toMatch(/OperatorOrgMSP/);
  });

  it('refuses an unknown parent dataset of a dataset', async () => {
    const world = await seededWorld();
    const result = await refusal(world, people.recorder, (ctx) =>
      lineage.RegisterDatasetVersion(ctx, JSON.stringify(exampleDataset({ version: 'v2', parents: ['raw@1'] }))),
    );
    expect(result).toMatchObject({ code: 'NOT_FOUND', field: 'parents[0]', wrote: false });
  });
});

describe('status lifecycle', () => {
  it('moves registered → approved → deployed with who, when and why', async () => {
    const world = await seededWorld();
    await submit(world, people.officer, status('credit-scorer', '1.0.0', 'approved', 'validation report VR-12'));
    const deployed = await submit<ModelVersion>(world, people.officer, status('credit-scorer', '1.0.0', 'deployed', 'release 2026.03'));
    expect(deployed.status).toBe('deployed');
    expect(deployed.statusHistory.map((h) => [h.status, h.by, h.reason])).toEqual([
      ['registered', people.recorder.id, 'registered'],
      ['approved', people.officer.id, 'validation report VR-12'],
      ['deployed', people.officer.id, 'release 2026.03'],
    ]);
    expect(JSON.parse(Buffer.from(world.events.at(-1)?.payload ?? []).toString())).toMatchObject({
      modelId: 'credit-scorer',
      change: { from: 'approved', to: 'deployed', reason: 'release 2026.03' },
    });
  });

  it('refuses a skipped step and writes nothing', async () => {
    const world = await seededWorld();
    const result = await refusal(world, people.officer, status('credit-scorer', '1.0.0', 'deployed'));
    expect(result).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'status', wrote: false });
  });

  it('refuses retired → anything', async () => {
    const world = await seededWorld();
    await submit(world, people.officer, status('credit-scorer', '1.0.0', 'retired'));
    expect(await refusal(world, people.officer, status('credit-scorer', '1.0.0', 'approved'))).toMatchObject({ code: 'PRECONDITION_FAILED', wrote: false });
  });
});

describe('lineage graph', () => {
  async function familyWorld() {
    const world = newWorld();
    await grantStandardRoles(world);
    const rec = (call: (ctx: Parameters<typeof lineage.RegisterModelVersion>[0]) => Promise<string>) => submit(world, people.recorder, call);
    await rec((ctx) => lineage.RegisterDatasetVersion(ctx, JSON.stringify(exampleDataset({ datasetId: 'raw', version: '1' }))));
    await rec((ctx) => lineage.RegisterDatasetVersion(ctx, JSON.stringify(exampleDataset({ datasetId: 'clean', version: '1', parents: ['raw@1'] }))));
    await rec(register(exampleModel({ modelId: 'base', version: '1', datasets: [{ datasetId: 'clean', version: '1', use: 'training' }, { datasetId: 'clean', version: '1', use: 'validation' }] })));
    await rec(register(exampleModel({ modelId: 'tuned', version: '1', datasets: [], parents: [{ modelId: 'base', version: '1', relation: 'fine-tuned-from' }] })));
    await rec(register(exampleModel({ modelId: 'small', version: '1', datasets: [], parents: [{ modelId: 'tuned', version: '1', relation: 'distilled-from' }] })));
    return world;
  }
  const query = (q: object) => (ctx: Parameters<typeof lineage.GetLineage>[0]) => lineage.GetLineage(ctx, JSON.stringify(q));

  it('walks up to ancestors and their datasets', async () => {
    const world = await familyWorld();
    const graph = await evaluate<LineageGraph<unknown>>(world, people.officer, query({ id: 'small', version: '1', direction: 'up', depth: 5 }));
    expect(graph.nodes.map((n) => n.key).sort()).toEqual(['dataset:clean@1', 'dataset:raw@1', 'model:base@1', 'model:small@1', 'model:tuned@1']);
    expect(graph.edges).toContainEqual({ from: 'model:small@1', to: 'model:tuned@1', relation: 'distilled-from' });
    expect(graph.edges).toContainEqual({ from: 'model:base@1', to: 'dataset:clean@1', relation: 'validation' });
    expect(graph.edges).toContainEqual({ from: 'dataset:clean@1', to: 'dataset:raw@1', relation: 'derived-from' });
  });

  it('walks down to descendants, limited by depth', async () => {
    const world = await familyWorld();
    const one = await evaluate<LineageGraph<unknown>>(world, people.regulator, query({ kind: 'dataset', id: 'raw', version: '1', direction: 'down', depth: 2 }));
    expect(one.nodes.map((n) => n.key).sort()).toEqual(['dataset:clean@1', 'dataset:raw@1', 'model:base@1']);
    const all = await evaluate<LineageGraph<unknown>>(world, people.regulator, query({ kind: 'dataset', id: 'raw', version: '1', direction: 'down', depth: 10 }));
    expect(all.nodes).toHaveLength(5);
    expect(all.edges).toContainEqual({ from: 'model:base@1', to: 'dataset:clean@1', relation: 'training' });
  });

  it('refuses a depth beyond 10', async () => {
    const world = await familyWorld();
    const result = await world.query(people.officer, (ctx) => lineage.GetLineage(ctx, JSON.stringify({ id: 'small', version: '1', depth: 11 }))).catch((e: Error) => e.message);
    expect(result).toMatch(/^INVALID_ARGUMENT: depth: /);
  });
});
