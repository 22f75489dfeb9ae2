// HTTP end to end, decisions: batched recording with per-caller receipts, the index's anchors checked against the blocks,
// idempotent replay, async submission, searches by subject, model and drift alert, and refusals that fail only their caller.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDecision, exampleDriftAlert, exampleModel } from '../../chaincode/src/domain/examples.js';
import { decisionAt } from '../support/blocks.js';
import { eventually, newDataDir, startDecisionGateway, type DecisionGateway } from '../support/decision-gateway.js';
import { runTag } from '../support/ledger.js';
import { TestNetwork } from '../support/network.js';

interface Receipt {
  decisionId: string;
  batchId: string;
  position: number;
  txId: string;
  blockNumber: string;
}

describe('decision routes on the local network', () => {
  const net = new TestNetwork();
  const dataDir = newDataDir();
  let gw: DecisionGateway;
  const modelId = `e2e-dec-${runTag}`;
  const id = (n: string) => `dec-${runTag}-${n}`;
  const decision = (n: string, overrides: Parameters<typeof exampleDecision>[0] = {}) => exampleDecision({ decisionId: id(n), modelId, modelVersion: '1.0.0', ...overrides });

  beforeAll(async () => {
    // A linger long enough that 25 calls sent at once still meet in a few batches when the machine is busy
    // (at 50 ms, calls that CPU contention spreads out can split into more batches than the test allows).
    gw = await startDecisionGateway(dataDir, { AIAUDIT_BATCH_LINGER_MS: '250' });
    for (const version of ['1.0.0', '2.0.0']) {
      const model = await gw.call('opRecorder', 'POST', '/models', { body: exampleModel({ modelId, version, datasets: [] }) });
      expect(model.status).toBe(201);
    }
  });
  afterAll(async () => {
    await gw?.close();
    net.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('batches concurrent callers; each receipt matches the index and the block it names', async () => {
    const singles = Array.from({ length: 24 }, (_, i) => decision(`s${i}`, { subjectRef: (i % 3).toString(16).repeat(64) }));
    const list = Array.from({ length: 40 }, (_, i) => decision(`l${i}`));
    const answers = await Promise.all([
      ...singles.map((body) => gw.call('opRecorder', 'POST', '/decisions', { body })),
      gw.call('opRecorder', 'POST', '/decisions', { body: { decisions: list } }),
    ]);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const receipts: Receipt[] = [...answers.slice(0, -1).map((a) => a.body.receipt), ...answers[answers.length - 1]?.body.receipts];
    expect(receipts.map((r) => r.decisionId)).toEqual([...singles, ...list].map((d) => d.decisionId));
    // Grouped: far fewer transactions than callers; the list stays whole in one batch, in its order.
    const batches = new Set(receipts.map((r) => r.batchId));
    expect(batches.size).toBeLessThan(10);
    const listReceipts = receipts.slice(singles.length);
    expect(new Set(listReceipts.map((r) => r.batchId)).size).toBe(1);
    expect(listReceipts.map((r) => r.position)).toEqual(listReceipts.map((_, i) => (listReceipts[0]?.position ?? 0) + i));

    for (const receipt of [receipts[0], receipts[23], receipts[30]]) {
      if (receipt === undefined) throw new Error('missing receipt');
      const read = await gw.call('opOfficer', 'GET', `/decisions/${receipt.decisionId}`);
      expect(read.status).toBe(200);
      expect(read.body.anchor).toMatchObject({ txId: receipt.txId, blockNumber: receipt.blockNumber, batchId: receipt.batchId, position: receipt.position });
      const onLedger = await decisionAt(net, read.body.anchor);
      expect(onLedger).toEqual(read.body.decision);
    }
    const fromRegulator = await gw.call('regulator', 'GET', `/decisions/${receipts[0]?.decisionId}`);
    expect(fromRegulator.status).toBe(200);
  });

  it('searches by subject, by model version, and pages through them', async () => {
    const subject = '1'.repeat(64);
    const bySubject = await gw.call('opOfficer', 'GET', `/decisions?subjectRef=${subject}&modelId=${modelId}`);
    expect(bySubject.status).toBe(200);
    expect(bySubject.body.decisions.map((d: { decision: { decisionId: string } }) => d.decision.decisionId)).toEqual([1, 4, 7, 10, 13, 16, 19, 22].map((i) => id(`s${i}`)));
    const seen: string[] = [];
    let bookmark = '';
    do {
      const page = await gw.call('regulator', 'GET', `/decisions?modelId=${modelId}&modelVersion=1.0.0&pageSize=25${bookmark === '' ? '' : `&bookmark=${bookmark}`}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.decisions.map((d: { decision: { decisionId: string } }) => d.decision.decisionId));
      bookmark = page.body.bookmark;
    } while (bookmark !== '');
    expect(seen).toHaveLength(64);
    expect(new Set(seen).size).toBe(64);
  });

  it('answers an identical resubmission with the same receipt (200) and a changed one 409, adding nothing', async () => {
    const body = decision('s0', { subjectRef: '0'.repeat(64) });
    const first = await gw.call('opOfficer', 'GET', `/decisions/${body.decisionId}`);
    const again = await gw.call('opRecorder', 'POST', '/decisions', { body });
    expect(again.status).toBe(200);
    expect(again.body.receipt).toMatchObject({ txId: first.body.anchor.txId, batchId: first.body.anchor.batchId, position: first.body.anchor.position });
    const changed = await gw.call('opRecorder', 'POST', '/decisions', { body: { ...body, confidence: 0.1 } });
    expect(changed.status).toBe(409);
    expect(changed.body.errors[0].field).toBe('decisionId');
    const read = await gw.call('opOfficer', 'GET', `/decisions/${body.decisionId}`);
    expect(read.body.duplicateAnchors).toEqual([]);
  });

  it('accepts with Prefer: respond-async (202) and the status URL reaches committed', async () => {
    const res = await gw.call('opRecorder', 'POST', '/decisions', { body: decision('async-1'), headers: { Prefer: 'respond-async' } });
    expect(res.status).toBe(202);
    const location = res.headers['location'] ?? '';
    expect(location).toBe(`/api/v1/decisions/${id('async-1')}/status`);
    const status = await eventually(async () => {
      const s = await gw.call('opRecorder', 'GET', location.replace('/api/v1', ''));
      return s.body.state === 'committed' ? s.body : undefined;
    });
    expect(status).toMatchObject({ decisionId: id('async-1'), state: 'committed', txId: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('fails only the caller whose model version is suspended; the others of the batch commit', async () => {
    const suspend = await gw.call('opOfficer', 'POST', `/models/${modelId}/versions/2.0.0/status`, { body: { status: 'suspended', reason: 'e2e: refuse decisions' } });
    expect([200, 201]).toContain(suspend.status);
    const [ok, bad, ok2] = await Promise.all([
      gw.call('opRecorder', 'POST', '/decisions', { body: decision('m1') }),
      gw.call('opRecorder', 'POST', '/decisions', { body: { decisions: [decision('m2'), decision('m3', { modelVersion: '2.0.0' })] } }),
      gw.call('opRecorder', 'POST', '/decisions', { body: decision('m4') }),
    ]);
    expect([ok.status, bad.status, ok2.status]).toEqual([201, 422, 201]);
    expect(bad.body.errors[0].field).toBe('decisions[1].modelVersion');
    const missing = await gw.call('opOfficer', 'GET', `/decisions/${id('m2')}`);
    expect(missing.status).toBe(404);
  });

  it('copies open drift alert ids onto later decisions and finds them by alert', async () => {
    const alert = exampleDriftAlert({ alertId: `dec-alert-${runTag}`, modelId, modelVersion: '1.0.0', metric: 'psi', value: 0.15 });
    const raised = await gw.call('opRecorder', 'POST', '/drift-alerts', { body: alert });
    expect(raised.status).toBe(201);
    const res = await gw.call('opRecorder', 'POST', '/decisions', { body: { decisions: [decision('al1'), decision('al2')] } });
    expect(res.status).toBe(201);
    const found = await gw.call('opOfficer', 'GET', `/decisions?alertId=${alert.alertId}`);
    expect(found.body.decisions.map((d: { decision: { decisionId: string; openDriftAlertIds: string[] } }) => [d.decision.decisionId, d.decision.openDriftAlertIds])).toEqual([
      [id('al1'), [alert.alertId]],
      [id('al2'), [alert.alertId]],
    ]);
  });

  it('refuses a bad record with 400 naming the field and writes nothing', async () => {
    const res = await gw.call('opRecorder', 'POST', '/decisions', { body: { decisions: [decision('b1'), { ...decision('b2'), subjectRef: 'alice@example.com' }] } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'decisions[1].subjectRef' });
    const status = await gw.call('opRecorder', 'GET', `/decisions/${id('b1')}/status`);
    expect(status.status).toBe(404);
  });
});
