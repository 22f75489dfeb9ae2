import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleDecision, type DecisionInput } from '@aiaudit/chaincode/domain';
import { FakeDecisionLedger } from '../../../test/support/fake-ledger.js';
import { startPipelineApp, type PipelineApp } from '../../../test/support/pipeline-app.js';

const apps: PipelineApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
async function start(options: Parameters<typeof startPipelineApp>[0] = {}): Promise<PipelineApp> {
  const app = await startPipelineApp(options);
  apps.push(app);
  return app;
}

const decision = (decisionId: string, overrides: Partial<DecisionInput> = {}) => exampleDecision({ decisionId, ...overrides });
const subject = (digit: string) => digit.repeat(64);

describe('POST /decisions', () => {
  it('commits one decision and answers 201 with its receipt; GET /decisions/{id} serves it with the same anchor', async () => {
    const { app, auth } = await start();
    const res = await request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(decision('p-1'));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/v1/decisions/p-1');
    expect(res.body.receipt).toMatchObject({ decisionId: 'p-1', position: 0, txId: 'tx-101', blockNumber: '101' });

    const read = await request(app).get('/api/v1/decisions/p-1').set('Authorization', auth('officer'));
    expect(read.status).toBe(200);
    expect(read.body.anchor).toEqual({ txId: 'tx-101', blockNumber: '101', txIndex: 0, batchId: res.body.receipt.batchId, position: 0 });
    expect(read.body.decision).toMatchObject({ decisionId: 'p-1', ownerMsp: 'OperatorOrgMSP', openDriftAlertIds: [] });
    expect(read.body.duplicateAnchors).toEqual([]);
  });

  it('batches concurrent callers into one transaction, each with its own receipt', async () => {
    const { app, auth, ledger } = await start({ batch: { lingerMs: 100 } });
    const responses = await Promise.all(
      ['c-1', 'c-2', 'c-3', 'c-4'].map((id) => request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(decision(id))),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(ledger.calls).toHaveLength(1);
    expect(responses.map((r) => r.body.receipt.decisionId)).toEqual(['c-1', 'c-2', 'c-3', 'c-4']);
    expect(new Set(responses.map((r) => r.body.receipt.position))).toEqual(new Set([0, 1, 2, 3]));
  });

  it('answers a list with receipts in request order', async () => {
    const { app, auth } = await start();
    const res = await request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send({ decisions: [decision('l-1'), decision('l-2')] });
    expect(res.status).toBe(201);
    expect(res.body.receipts.map((r: { decisionId: string; position: number }) => [r.decisionId, r.position])).toEqual([['l-1', 0], ['l-2', 1]]);
  });

  it.each([
    ['a single record', decision('v-1', { inputSha256: 'nope' }), 'inputSha256'],
    ['a list', { decisions: [decision('v-2'), decision('v-3', { inputSha256: 'nope' })] }, 'decisions[1].inputSha256'],
    ['a duplicate id in a list', { decisions: [decision('v-4'), decision('v-4')] }, 'decisions[1].decisionId'],
    ['an unknown field', { ...decision('v-5'), rawInput: 'name' }, 'rawInput'],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_what, body, field) => {
    const { app, auth, ledger } = await start();
    const res = await request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors[0].field).toBe(field);
    expect(ledger.calls).toHaveLength(0);
    const status = await request(app).get('/api/v1/decisions/v-2/status').set('Authorization', auth('recorder'));
    expect(status.status).toBe(404);
  });

  it('fails only the caller whose record the ledger refuses; the others in the same batch commit', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.suspended.add('credit-scorer@0.9.0');
    const { app, auth } = await start({ ledger, batch: { lingerMs: 100 } });
    const [ok, bad, ok2] = await Promise.all([
      request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(decision('g-1')),
      request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(decision('g-2', { modelVersion: '0.9.0' })),
      request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(decision('g-3')),
    ]);
    expect([ok.status, bad.status, ok2.status]).toEqual([201, 422, 201]);
    expect(bad.body).toMatchObject({ type: 'urn:aiaudit:problem:precondition-failed', errors: [{ field: 'modelVersion' }] });
    expect(ledger.decisionIds()).toEqual(['g-1', 'g-3']);
    const status = await request(app).get('/api/v1/decisions/g-2/status').set('Authorization', auth('recorder'));
    expect(status.body).toMatchObject({ state: 'failed', problem: { status: 422, errors: [{ field: 'modelVersion' }] } });
  });

  it('answers 202 with a status URL for Prefer: respond-async, and the status becomes committed', async () => {
    const { app, auth } = await start();
    const res = await request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).set('Prefer', 'respond-async').send(decision('a-1'));
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe('/api/v1/decisions/a-1/status');
    expect(res.headers['preference-applied']).toBe('respond-async');
    expect(res.body).toEqual({ status: 'accepted', decisions: [{ decisionId: 'a-1', state: 'pending', statusUrl: '/api/v1/decisions/a-1/status' }] });
    let status = await request(app).get(res.headers.location ?? '').set('Authorization', auth('recorder'));
    for (let i = 0; i < 100 && status.body.state !== 'committed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = await request(app).get(res.headers.location ?? '').set('Authorization', auth('recorder'));
    }
    expect(status.body).toMatchObject({ decisionId: 'a-1', state: 'committed', position: 0, txId: 'tx-101', blockNumber: '101' });
  });

  it('refuses a submission that would pass AIAUDIT_OUTBOX_MAX_PENDING with 503 and Retry-After, accepts nothing of it, and takes it once the backlog has committed', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.delayMs = 300;
    const { app, auth } = await start({ ledger, outboxMaxPending: 4 });
    const post = (ids: string[]) =>
      request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).set('Prefer', 'respond-async').send({ decisions: ids.map((id) => decision(id)) });
    const statusOf = async (id: string) => (await request(app).get(`/api/v1/decisions/${id}/status`).set('Authorization', auth('recorder'))).body.state;

    expect((await post(['o-1', 'o-2', 'o-3'])).status).toBe(202);
    const refused = await post(['o-4', 'o-5']);
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.body).toMatchObject({ type: 'urn:aiaudit:problem:overloaded', status: 503, maxPending: 4 });
    expect(refused.body.detail).toContain('holds 3 decisions');
    // Nothing of the refused request was accepted: no status, and the one pending decision's resubmission still joins.
    expect((await request(app).get('/api/v1/decisions/o-4/status').set('Authorization', auth('recorder'))).status).toBe(404);
    expect((await request(app).get('/metrics')).text).toContain('aiaudit_outbox_overloaded_decisions_total 2');
    expect((await post(['o-1'])).status).toBe(202);

    for (let i = 0; i < 100 && (await statusOf('o-3')) !== 'committed'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await post(['o-4', 'o-5'])).status).toBe(202);
    for (let i = 0; i < 100 && (await statusOf('o-5')) !== 'committed'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ledger.decisionIds()).toEqual(['o-1', 'o-2', 'o-3', 'o-4', 'o-5']);
  });

  it('admits a call larger than AIAUDIT_OUTBOX_MAX_PENDING into an empty outbox, and its resubmission while it is pending', async () => {
    const ledger = new FakeDecisionLedger();
    ledger.delayMs = 300;
    const { app, auth } = await start({ ledger, outboxMaxPending: 2 });
    const post = (ids: string[]) =>
      request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).set('Prefer', 'respond-async').send({ decisions: ids.map((id) => decision(id)) });
    expect((await post(['e-1', 'e-2', 'e-3'])).status).toBe(202);
    expect((await post(['e-1', 'e-2', 'e-3'])).status).toBe(202);
    expect((await post(['e-4'])).status).toBe(503);
  });

  it('answers an identical resubmission 200 with the same receipt and a changed one 409, with one record on the ledger', async () => {
    const { app, auth, ledger } = await start();
    const first = await request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(decision('i-1'));
    const again = await request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(decision('i-1'));
    const changed = await request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(decision('i-1', { confidence: 0.2 }));
    expect([first.status, again.status, changed.status]).toEqual([201, 200, 409]);
    expect(again.body.receipt).toEqual(first.body.receipt);
    expect(changed.body.errors[0].field).toBe('decisionId');
    expect(ledger.decisionIds()).toEqual(['i-1']);
  });

  it.each(['officer', 'admin'])('refuses role %s with 403', async (role) => {
    const { app, auth, ledger } = await start();
    const res = await request(app).post('/api/v1/decisions').set('Authorization', auth(role)).send(decision('r-1'));
    expect(res.status).toBe(403);
    expect(ledger.calls).toHaveLength(0);
  });
});

describe('GET /decisions', () => {
  async function seeded() {
    const started = await start();
    const { app, auth } = started;
    const decisions = [
      decision('s-1', { subjectRef: subject('1') }),
      decision('s-2', { subjectRef: subject('2'), modelVersion: '2.0.0' }),
      decision('s-3', { subjectRef: subject('1') }),
      decision('s-4', { subjectRef: subject('3') }),
    ];
    const res = await request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send({ decisions });
    expect(res.status).toBe(201);
    return started;
  }

  it('finds by subject and by model version, in ledger order, with anchors', async () => {
    const { app, auth } = await seeded();
    const bySubject = await request(app).get(`/api/v1/decisions?subjectRef=${subject('1')}`).set('Authorization', auth('officer'));
    expect(bySubject.status).toBe(200);
    expect(bySubject.body.decisions.map((d: { decision: { decisionId: string } }) => d.decision.decisionId)).toEqual(['s-1', 's-3']);
    expect(bySubject.body.decisions[1].anchor).toMatchObject({ position: 2, txIndex: 0 });
    const byVersion = await request(app).get('/api/v1/decisions?modelId=credit-scorer&modelVersion=2.0.0').set('Authorization', auth('officer'));
    expect(byVersion.body.decisions.map((d: { decision: { decisionId: string } }) => d.decision.decisionId)).toEqual(['s-2']);
  });

  it('pages with an opaque bookmark and refuses a forged one', async () => {
    const { app, auth } = await seeded();
    const seen: string[] = [];
    let bookmark = '';
    for (let page = 0; page < 5; page++) {
      const res = await request(app).get('/api/v1/decisions').query({ pageSize: '3', bookmark }).set('Authorization', auth('officer'));
      seen.push(...res.body.decisions.map((d: { decision: { decisionId: string } }) => d.decision.decisionId));
      bookmark = res.body.bookmark;
      if (bookmark === '') break;
    }
    expect(seen).toEqual(['s-1', 's-2', 's-3', 's-4']);
    const forged = await request(app).get('/api/v1/decisions?bookmark=abc').set('Authorization', auth('officer'));
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].field).toBe('bookmark');
  });

  it('shows a regulator every org and another org’s officer nothing', async () => {
    const { app, auth } = await seeded();
    const regulator = await request(app).get('/api/v1/decisions').set('Authorization', auth('regulator', 'RegulatorOrgMSP'));
    expect(regulator.body.decisions).toHaveLength(4);
    const otherAdmin = await request(app).get('/api/v1/decisions').set('Authorization', auth('admin', 'RegulatorOrgMSP'));
    expect(otherAdmin.body.decisions).toHaveLength(0);
    const one = await request(app).get('/api/v1/decisions/s-1').set('Authorization', auth('admin', 'RegulatorOrgMSP'));
    expect(one.status).toBe(404);
  });

  it('refuses modelVersion without modelId and from after to with 400', async () => {
    const { app, auth } = await start();
    const a = await request(app).get('/api/v1/decisions?modelVersion=1.0.0').set('Authorization', auth('officer'));
    const b = await request(app).get('/api/v1/decisions?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z').set('Authorization', auth('officer'));
    expect([a.status, a.body.errors[0].field, b.status, b.body.errors[0].field]).toEqual([400, 'modelVersion', 400, 'to']);
  });
});

describe('findDecision', () => {
  it('returns the record, batch id and anchor, or undefined', async () => {
    const { app, auth, pipeline } = await start();
    const res = await request(app).post('/api/v1/decisions').set('Authorization', auth('recorder')).send(decision('f-1'));
    const found = await pipeline.findDecision('f-1');
    expect(found).toMatchObject({ decisionId: 'f-1', batchId: res.body.receipt.batchId, ownerMsp: 'OperatorOrgMSP', anchor: { blockNumber: '101', position: 0 } });
    expect(await pipeline.findDecision('nope')).toBeUndefined();
  });
});
