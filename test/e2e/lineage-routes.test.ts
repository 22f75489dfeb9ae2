// HTTP end to end, lineage: datasets and models registered, replayed, conflicting, read from both orgs, walked, and moved through their lifecycle.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDataset, exampleModel } from '../../chaincode/src/domain/examples.js';
import { runTag } from '../support/ledger.js';
import { seg, startTestGateway, type TestGateway } from '../support/gateway.js';

describe('lineage routes', () => {
  let gw: TestGateway;
  const datasetId = `e2e-ds-${runTag}`;
  const modelId = `e2e-model-${runTag}`;
  const childId = `e2e-child-${runTag}`;
  const dataset = exampleDataset({ datasetId, version: 'v1' });
  const model = exampleModel({ modelId, version: '1.0.0', datasets: [{ datasetId, version: 'v1', use: 'training' }] });
  const child = exampleModel({ modelId: childId, version: '1.0.0', parents: [{ modelId, version: '1.0.0', relation: 'fine-tuned-from' }], datasets: [] });

  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => gw?.close());

  it('registers a dataset version: 201 with the record, its receipt and Location; both orgs read it back', async () => {
    const res = await gw.call('opRecorder', 'POST', '/datasets', { body: dataset });
    expect(res.status).toBe(201);
    expect(res.headers['location']).toBe(`/api/v1/datasets/${seg(datasetId)}/versions/v1`);
    expect(res.body.result).toMatchObject({ ...dataset, ownerMsp: 'OperatorOrgMSP' });
    expect(res.body.receipt).toEqual({ txId: expect.stringMatching(/^[0-9a-f]{64}$/), blockNumber: expect.stringMatching(/^\d+$/) });

    const own = await gw.call('opOfficer', 'GET', `/datasets/${seg(datasetId)}/versions/v1`);
    const regulator = await gw.call('regulator', 'GET', `/datasets/${seg(datasetId)}/versions/v1`);
    expect(own.status).toBe(200);
    expect(own.body).toEqual(res.body.result);
    expect(regulator.status).toBe(200);
    expect(regulator.body).toEqual(res.body.result);
  });

  it('registers a model version on that dataset and a child fine-tuned from it', async () => {
    const first = await gw.call('opRecorder', 'POST', '/models', { body: model });
    expect(first.status).toBe(201);
    expect(first.headers['location']).toBe(`/api/v1/models/${seg(modelId)}/versions/1.0.0`);
    expect(first.body.result).toMatchObject({ modelId, version: '1.0.0', status: 'registered', openDriftAlertIds: [], ownerMsp: 'OperatorOrgMSP' });
    const second = await gw.call('opRecorder', 'POST', '/models', { body: child });
    expect(second.status).toBe(201);
    const read = await gw.call('regulator', 'GET', `/models/${seg(childId)}/versions/1.0.0`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(second.body.result);
  });

  it('replays an identical model registration as 200 with the same record, and refuses different content with 409 leaving the record as it was', async () => {
    const replay = await gw.call('opRecorder', 'POST', '/models', { body: model });
    expect(replay.status).toBe(200);
    const original = await gw.call('opRecorder', 'GET', `/models/${seg(modelId)}/versions/1.0.0`);
    expect(replay.body.result).toEqual(original.body);
    expect(replay.body.receipt.txId).toMatch(/^[0-9a-f]{64}$/);

    const changed = await gw.call('opRecorder', 'POST', '/models', { body: { ...model, name: 'A different name' } });
    expect(changed.status).toBe(409);
    expect(changed.headers['content-type']).toContain('application/problem+json');
    expect(changed.body).toMatchObject({ type: 'urn:aiaudit:problem:conflict', errors: [{ field: 'version', message: expect.stringContaining('name') }] });
    const after = await gw.call('opRecorder', 'GET', `/models/${seg(modelId)}/versions/1.0.0`);
    expect(after.body).toEqual(original.body);
  });

  it('walks lineage up from the child and down from the dataset', async () => {
    const up = await gw.call('opOfficer', 'GET', `/models/${seg(childId)}/versions/1.0.0/lineage?direction=up&depth=2`);
    expect(up.status).toBe(200);
    expect(up.body.root).toBe(`model:${childId}@1.0.0`);
    expect(up.body.nodes.map((n: { key: string }) => n.key).sort()).toEqual([`dataset:${datasetId}@v1`, `model:${childId}@1.0.0`, `model:${modelId}@1.0.0`].sort());
    expect(up.body.edges).toEqual(
      expect.arrayContaining([
        { from: `model:${childId}@1.0.0`, to: `model:${modelId}@1.0.0`, relation: 'fine-tuned-from' },
        { from: `model:${modelId}@1.0.0`, to: `dataset:${datasetId}@v1`, relation: 'training' },
      ]),
    );
    const shallow = await gw.call('opOfficer', 'GET', `/models/${seg(childId)}/versions/1.0.0/lineage?depth=1`);
    expect(shallow.body.nodes).toHaveLength(2);

    const down = await gw.call('regulator', 'GET', `/datasets/${seg(datasetId)}/versions/v1/lineage?direction=down&depth=3`);
    expect(down.status).toBe(200);
    expect(down.body.nodes.map((n: { key: string }) => n.key).sort()).toEqual([`dataset:${datasetId}@v1`, `model:${childId}@1.0.0`, `model:${modelId}@1.0.0`].sort());
  });

  it('moves a model version through its lifecycle and refuses an illegal change with 422, writing nothing', async () => {
    const path = `/models/${seg(childId)}/versions/1.0.0/status`;
    const approved = await gw.call('opOfficer', 'POST', path, { body: { status: 'approved', reason: 'validation report signed off' } });
    expect(approved.status).toBe(200);
    expect(approved.body.result.status).toBe('approved');
    expect(approved.body.result.statusHistory.at(-1)).toMatchObject({ status: 'approved', reason: 'validation report signed off', actorRef: 'apikey:OperatorOrgMSP.officer' });
    expect(approved.body.receipt.blockNumber).toMatch(/^\d+$/);

    const illegal = await gw.call('opOfficer', 'POST', path, { body: { status: 'approved', reason: 'again' } });
    expect(illegal.status).toBe(422);
    expect(illegal.body.errors).toEqual([{ field: 'status', message: expect.stringContaining('already approved') }]);

    const deployed = await gw.call('opOfficer', 'POST', path, { body: { status: 'deployed', reason: 'rollout' } });
    expect(deployed.status).toBe(200);
    const history = await gw.call('regulator', 'GET', `/history/model/${seg(`${childId}@1.0.0`)}`);
    expect(history.status).toBe(200);
    expect(history.body.entries.map((e: { value: { status: string } }) => e.value.status)).toEqual(['registered', 'approved', 'deployed']);
    expect(history.body.entries.map((e: { txId: string }) => e.txId)).toEqual(expect.arrayContaining([approved.body.receipt.txId, deployed.body.receipt.txId]));
  });

  it('times every Fabric call into /metrics by contract, transaction and outcome', async () => {
    const res = await request(gw.baseUrl).get('/metrics');
    expect(res.status).toBe(200);
    const count = (labels: string) => Number(new RegExp(`^aiaudit_fabric_call_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm').exec(res.text)?.[1] ?? 0);
    expect(count('contract="lineage",transaction="RegisterModelVersion",outcome="ok"')).toBeGreaterThanOrEqual(3);
    expect(count('contract="lineage",transaction="RegisterModelVersion",outcome="refused"')).toBe(1);
    expect(count('contract="lineage",transaction="ChangeModelStatus",outcome="refused"')).toBe(1);
    expect(count('contract="lineage",transaction="GetModelVersion",outcome="ok"')).toBeGreaterThanOrEqual(3);
  });

  it('answers whoami with the principal and the identity the chaincode sees, roles included', async () => {
    const res = await gw.call('opRecorder', 'GET', '/whoami');
    expect(res.status).toBe(200);
    expect(res.body.principal).toEqual({ id: 'apikey:OperatorOrgMSP.recorder', org: 'OperatorOrgMSP', role: 'recorder', fabricUser: 'User1' });
    expect(res.body.ledger).toMatchObject({ mspId: 'OperatorOrgMSP', id: expect.stringContaining('CN=User1@operator.aiaudit.local'), roles: expect.arrayContaining(['recorder']) });
  });
});
