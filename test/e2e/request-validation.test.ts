// HTTP end to end, refusals at the edge: bad JSON, missing fields, wrong types, oversize bodies, bad queries → 4xx problem naming the field, nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDataset, exampleDriftAlert, exampleModel } from '../../chaincode/src/domain/examples.js';
import { runTag } from '../support/ledger.js';
import { seg, startTestGateway, type TestGateway } from '../support/gateway.js';

const BODY_LIMIT = 16 * 1024;

describe('request validation', () => {
  let gw: TestGateway;
  let counter = 0;
  const nextId = (what: string) => `e2e-bad-${what}-${runTag}-${++counter}`;

  beforeAll(async () => {
    gw = await startTestGateway({ AIAUDIT_BODY_LIMIT: `${BODY_LIMIT}` });
  });
  afterAll(async () => gw?.close());

  const expectProblem = (res: { status: number; headers: Record<string, string>; body: { type?: string; status?: number } }, status: number, slug: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: `urn:aiaudit:problem:${slug}`, status });
  };
  const readDataset = (datasetId: string) => gw.call('opRecorder', 'GET', `/datasets/${seg(datasetId)}/versions/v1`);
  const readModel = (modelId: string) => gw.call('opRecorder', 'GET', `/models/${seg(modelId)}/versions/1.0.0`);

  it('refuses a body that is not JSON with 400 malformed-body; nothing is written', async () => {
    const datasetId = nextId('json');
    const res = await gw.call('opRecorder', 'POST', '/datasets', { raw: `{"datasetId":"${datasetId}","version":"v1",` });
    expectProblem(res, 400, 'malformed-body');
    expectProblem(await readDataset(datasetId), 404, 'not-found');
  });

  it('refuses a body sent as another media type with 415; nothing is written', async () => {
    const datasetId = nextId('media');
    const res = await gw.call('opRecorder', 'POST', '/datasets', { raw: JSON.stringify(exampleDataset({ datasetId, version: 'v1' })), headers: { 'content-type': 'text/plain' } });
    expectProblem(res, 415, 'unsupported-media-type');
    expectProblem(await readDataset(datasetId), 404, 'not-found');
  });

  it.each([
    ['a missing field', (id: string) => { const { sha256: _omit, ...rest } = exampleDataset({ datasetId: id, version: 'v1' }); return rest; }, 'sha256', 'is required'],
    ['a wrong type', (id: string) => ({ ...exampleDataset({ datasetId: id, version: 'v1' }), containsPersonalData: 'yes' }), 'containsPersonalData', 'must be true or false'],
    ['a bad hash', (id: string) => exampleDataset({ datasetId: id, version: 'v1', sha256: 'ABC' }), 'sha256', 'must be a SHA-256'],
    ['an unknown field', (id: string) => ({ ...exampleDataset({ datasetId: id, version: 'v1' }), colour: 'red' }), 'colour', 'is not a known field'],
    ['a parent that is itself', (id: string) => exampleDataset({ datasetId: id, version: 'v1', parents: [`${id}@v1`] }), 'parents[0]', 'its own parent'],
  ])('refuses a dataset with %s: 400 naming %s; nothing is written', async (_what, make, field, message) => {
    const datasetId = nextId('ds');
    const res = await gw.call('opRecorder', 'POST', '/datasets', { body: make(datasetId) });
    expectProblem(res, 400, 'invalid-argument');
    expect(res.body.errors).toEqual([expect.objectContaining({ field, in: 'body', message: expect.stringContaining(message) })]);
    expect(res.body.detail).toContain(field);
    expectProblem(await readDataset(datasetId), 404, 'not-found');
  });

  it('names a nested field of a model version (datasets[0].use); nothing is written', async () => {
    const modelId = nextId('model');
    const model = { ...exampleModel({ modelId, version: '1.0.0' }), datasets: [{ datasetId: 'x', version: 'v1', use: 'tuning' }] };
    const res = await gw.call('opRecorder', 'POST', '/models', { body: model });
    expectProblem(res, 400, 'invalid-argument');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'datasets[0].use', message: 'must be training, validation or test' })]);
    expectProblem(await readModel(modelId), 404, 'not-found');
  });

  it('refuses a model version whose dataset is not registered: 404 from the chaincode naming datasets[0]; nothing is written', async () => {
    const modelId = nextId('orphan');
    const model = exampleModel({ modelId, version: '1.0.0', datasets: [{ datasetId: nextId('missing'), version: 'v1', use: 'training' }] });
    const res = await gw.call('opRecorder', 'POST', '/models', { body: model });
    expectProblem(res, 404, 'not-found');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'datasets[0]' })]);
    expect(res.body.txId).toMatch(/^[0-9a-f]{64}$/);
    expectProblem(await readModel(modelId), 404, 'not-found');
  });

  it(`refuses a body over the limit (${BODY_LIMIT} bytes) with 413; nothing is written`, async () => {
    const modelId = nextId('big');
    const model = { ...exampleModel({ modelId, version: '1.0.0', datasets: [] }), padding: 'x'.repeat(BODY_LIMIT) };
    const res = await gw.call('opRecorder', 'POST', '/models', { body: model });
    expectProblem(res, 413, 'payload-too-large');
    expectProblem(await readModel(modelId), 404, 'not-found');
  });

  it('refuses a drift alert whose window ends before it starts, naming window.to; no alert exists', async () => {
    const alertId = nextId('alert');
    const alert = exampleDriftAlert({ alertId, window: { from: '2025-03-07T00:00:00Z', to: '2025-03-01T00:00:00Z' } });
    const res = await gw.call('opRecorder', 'POST', '/drift-alerts', { body: alert });
    expectProblem(res, 400, 'invalid-argument');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'window.to' })]);
    expectProblem(await gw.call('opRecorder', 'GET', `/drift-alerts/${seg(alertId)}`), 404, 'not-found');
  });

  it.each([
    ['/models/m/versions/1/lineage?depth=11', 'depth'],
    ['/models/m/versions/1/lineage?direction=sideways', 'direction'],
    ['/drift-alerts?state=open', 'modelId'],
    ['/drift-alerts?modelId=m&pageSize=0', 'pageSize'],
    ['/drift-alerts?modelId=m&sort=asc', 'sort'],
    ['/history/thing/x', 'kind'],
    ['/datasets/bad%20id/versions/v1', 'datasetId'],
  ])('refuses GET %s with 400 naming %s', async (path, field) => {
    const res = await gw.call('opOfficer', 'GET', path);
    expectProblem(res, 400, 'invalid-argument');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });
});
