// HTTP end to end, one recorded decision: human oversight, purge of its private inputs (refused, then under a legal override), history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../chaincode/src/domain/canonical-json.js';
import { exampleModel } from '../../chaincode/src/domain/examples.js';
import { decisions } from '../support/records.js';
import { committedTransaction, runTag } from '../support/ledger.js';
import { seg, startTestGateway, type TestGateway } from '../support/gateway.js';

describe('oversight and purge routes', () => {
  let gw: TestGateway;
  const modelId = `e2e-review-${runTag}`;
  const batchId = `e2e-batch-${runTag}`;
  const rawInput = { applicant: 'A. Example', income: 52_000, debts: [1200, 300] };
  const [kept, expired] = [
    ...decisions(modelId, 1, 'e2e-kept', { inputSha256: sha256Hex(canonicalJson(rawInput)) }),
    ...decisions(modelId, 1, 'e2e-expired', { decidedAt: '2020-01-01T00:00:00Z', retentionUntil: '2021-01-01T00:00:00Z' }),
  ];
  if (kept === undefined || expired === undefined) throw new Error('fixture decisions missing');
  const recorder = { mspId: 'OperatorOrgMSP', fabricUser: 'User1' };
  const officer = { mspId: 'OperatorOrgMSP', fabricUser: 'User2' };
  let storeTxId = '';

  beforeAll(async () => {
    gw = await startTestGateway();
    expect((await gw.call('opRecorder', 'POST', '/models', { body: exampleModel({ modelId, version: '1.0.0', datasets: [] }) })).status).toBe(201);
    // POST /decisions belongs to the decision pipeline; record the batch through the ledger client directly.
    await gw.gateway.ledger.submit(recorder, 'decisions', 'RecordDecisions', [JSON.stringify({ batchId, decisions: [kept, expired] })]);
    ({ txId: storeTxId } = await gw.gateway.ledger.submit(recorder, 'privacy', 'StorePrivateInputs', [kept.decisionId, batchId], {
      transient: { input: Buffer.from(JSON.stringify(rawInput)) },
      endorsingOrganizations: ['OperatorOrgMSP'],
    }));
  });
  afterAll(async () => gw?.close());

  it('stored the raw inputs with an endorsement of the operator org only (the regulator peer never saw them)', async () => {
    const tx = await committedTransaction(gw.gateway.ledger.network(recorder), storeTxId);
    expect(tx.validation).toBe('VALID');
    expect(tx.endorserMspIds).toEqual(['OperatorOrgMSP']);
  });

  const review = (oversightId: string, action: string, reason?: string) => ({ oversightId: `${oversightId}-${runTag}`, batchId, reviewerRef: 'reviewer-7', action, ...(reason === undefined ? {} : { reason }) });

  it('records an override (201), replays it (200), refuses other content under its id (409) and lists it', async () => {
    const path = `/decisions/${seg(kept.decisionId)}/oversight`;
    const body = review('ov-1', 'overridden', 'income verified manually');
    const first = await gw.call('opOfficer', 'POST', path, { body });
    expect(first.status).toBe(201);
    expect(first.body.result).toMatchObject({ ...body, decisionId: kept.decisionId, modelId, modelVersion: '1.0.0', position: 0, ownerMsp: 'OperatorOrgMSP' });
    const replay = await gw.call('opOfficer', 'POST', path, { body });
    expect(replay.status).toBe(200);
    expect(replay.body.result).toEqual(first.body.result);
    const conflict = await gw.call('opOfficer', 'POST', path, { body: { ...body, action: 'reversed' } });
    expect(conflict.status).toBe(409);

    const list = await gw.call('regulator', 'GET', `${path}?batchId=${seg(batchId)}`);
    expect(list.status).toBe(200);
    expect(list.body.entries).toEqual([first.body.result]);
    const history = await gw.call('regulator', 'GET', `/history/oversight/${seg(`${batchId}@${kept.decisionId}@${body.oversightId}`)}`);
    expect(history.body.entries).toHaveLength(1);
    expect(history.body.entries[0].txId).toBe(first.body.receipt.txId);
  });

  it('refuses an override without a reason (400, the chaincode rule applied at the edge) and a decision not in the batch (404), writing nothing', async () => {
    const path = `/decisions/${seg(kept.decisionId)}/oversight`;
    const noReason = await gw.call('opOfficer', 'POST', path, { body: review('ov-2', 'reversed') });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason', in: 'body' })]);
    const elsewhere = await gw.call('opOfficer', 'POST', `/decisions/not-here-${runTag}/oversight`, { body: review('ov-3', 'confirmed') });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.errors).toEqual([expect.objectContaining({ field: 'decisionId' })]);
    const list = await gw.call('opOfficer', 'GET', `${path}?batchId=${seg(batchId)}`);
    expect(list.body.entries.map((e: { oversightId: string }) => e.oversightId)).toEqual([review('ov-1', '').oversightId]);
  });

  it('refuses a purge before retentionUntil with 422 carrying the committed purge-log entry, and keeps the private inputs', async () => {
    const res = await gw.call('opOfficer', 'POST', `/decisions/${seg(kept.decisionId)}/purge`, { body: { batchId, reason: 'erasure request' } });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'urn:aiaudit:problem:precondition-failed', entry: { outcome: 'refused', decisionId: kept.decisionId, reason: 'erasure request' } });
    expect(res.body.txId).toBe(res.body.receipt.txId);
    expect(res.body.entry.txId).toBe(res.body.receipt.txId);

    const stored = await gw.gateway.ledger.evaluate<{ inputSha256: string }>(officer, 'privacy', 'GetPrivateInputs', [batchId, kept.decisionId]);
    expect(stored.inputSha256).toBe(kept.inputSha256);
    const log = await gw.call('regulator', 'GET', `/decisions/${seg(kept.decisionId)}/purge-log?batchId=${seg(batchId)}`);
    expect(log.body.entries).toEqual([res.body.entry]);
  });

  it('purges under a legal override (200 with the entry) and the raw inputs are gone while the decision hash stays', async () => {
    const legalOverride = { reason: 'court order to erase', authorisedBy: 'DPO', reference: `case-${runTag}` };
    const res = await gw.call('opOfficer', 'POST', `/decisions/${seg(kept.decisionId)}/purge`, { body: { batchId, legalOverride } });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ outcome: 'purged', legalOverride, txId: res.body.receipt.txId });
    const gone = await gw.gateway.ledger.evaluate(officer, 'privacy', 'GetPrivateInputs', [batchId, kept.decisionId]).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(Error);
    const log = await gw.call('opOfficer', 'GET', `/decisions/${seg(kept.decisionId)}/purge-log?batchId=${seg(batchId)}`);
    expect(log.body.entries.map((e: { outcome: string }) => e.outcome)).toEqual(['refused', 'purged']);
    const batch = await gw.call('regulator', 'GET', `/history/batch/${seg(batchId)}`);
    expect(batch.body.entries.at(-1).value.decisions[0].inputSha256).toBe(kept.inputSha256);
  });

  it('purges a decision whose retention ended without any override', async () => {
    const res = await gw.call('opOfficer', 'POST', `/decisions/${seg(expired.decisionId)}/purge`, { body: { batchId } });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ outcome: 'purged', rule: expect.stringContaining('retention period ended') });
  });

  it('needs batchId while this gateway runs without a decision index', async () => {
    const res = await gw.call('opOfficer', 'POST', `/decisions/${seg(expired.decisionId)}/purge`, { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'batchId', message: 'is required', in: 'body' }]);
  });
});
