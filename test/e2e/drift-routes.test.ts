// HTTP end to end, drift: the policy of a version, alerts graded by it (a critical one suspends the model), listing, paging and transitions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDriftAlert, exampleModel } from '../../chaincode/src/domain/examples.js';
import { runTag } from '../support/ledger.js';
import { seg, startTestGateway, type TestGateway } from '../support/gateway.js';

describe('drift routes', () => {
  let gw: TestGateway;
  const modelId = `e2e-drift-${runTag}`;
  const versionPath = `/models/${seg(modelId)}/versions/1.0.0`;
  const alert = (alertId: string, value: number) => exampleDriftAlert({ alertId: `${alertId}-${runTag}`, modelId, modelVersion: '1.0.0', metric: 'psi', value });

  beforeAll(async () => {
    gw = await startTestGateway();
    const model = await gw.call('opRecorder', 'POST', '/models', { body: exampleModel({ modelId, version: '1.0.0', datasets: [] }) });
    expect(model.status).toBe(201);
  });
  afterAll(async () => gw?.close());

  it('reads the default policy, sets one as the org admin, and reads it back from the regulator', async () => {
    const before = await gw.call('opRecorder', 'GET', `${versionPath}/drift-policy`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ modelId, version: '1.0.0', source: 'default', onCritical: 'flag' });

    const put = await gw.call('opAdmin', 'PUT', `${versionPath}/drift-policy`, { body: { thresholds: { psi: { warning: 0.1, critical: 0.3 } }, onCritical: 'suspend' } });
    expect(put.status).toBe(200);
    expect(put.body.result).toMatchObject({ source: 'ledger', onCritical: 'suspend', thresholds: { psi: { warning: 0.1, critical: 0.3 } } });
    expect(put.body.receipt.txId).toMatch(/^[0-9a-f]{64}$/);

    const read = await gw.call('regulator', 'GET', `${versionPath}/drift-policy`);
    expect(read.body).toEqual(put.body.result);
  });

  it('refuses an inconsistent policy with 400 naming the metric, leaving the policy as it was', async () => {
    const bad = await gw.call('opAdmin', 'PUT', `${versionPath}/drift-policy`, { body: { thresholds: { psi: { warning: 0.3, critical: 0.1 } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'thresholds.psi', message: expect.stringContaining('critical must be above warning') })]);
    const read = await gw.call('opAdmin', 'GET', `${versionPath}/drift-policy`);
    expect(read.body.thresholds.psi).toEqual({ warning: 0.1, critical: 0.3 });
  });

  it('raises a warning alert (201) that leaves the model running, and replays it as 200', async () => {
    const warning = alert('warn', 0.2);
    const raised = await gw.call('opRecorder', 'POST', '/drift-alerts', { body: warning });
    expect(raised.status).toBe(201);
    expect(raised.headers['location']).toBe(`/api/v1/drift-alerts/${seg(warning.alertId)}`);
    expect(raised.body.result).toMatchObject({ alert: { alertId: warning.alertId, severity: 'warning', threshold: 0.1, state: 'open' }, modelStatus: 'registered' });
    expect(raised.body.result.modelStatusChange).toBeUndefined();

    const replay = await gw.call('opRecorder', 'POST', '/drift-alerts', { body: warning });
    expect(replay.status).toBe(200);
    expect(replay.body.result.alert).toEqual(raised.body.result.alert);
    const conflict = await gw.call('opRecorder', 'POST', '/drift-alerts', { body: { ...warning, value: 0.25 } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.errors).toEqual([expect.objectContaining({ field: 'alertId' })]);
  });

  it('refuses a value that crosses no threshold with 422, writing no alert', async () => {
    const quiet = alert('quiet', 0.01);
    const res = await gw.call('opRecorder', 'POST', '/drift-alerts', { body: quiet });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'value' })]);
    expect((await gw.call('opRecorder', 'GET', `/drift-alerts/${seg(quiet.alertId)}`)).status).toBe(404);
  });

  it('raises a critical alert that suspends the model in the same transaction', async () => {
    const critical = alert('crit', 0.5);
    const raised = await gw.call('opRecorder', 'POST', '/drift-alerts', { body: critical });
    expect(raised.status).toBe(201);
    expect(raised.body.result).toMatchObject({ alert: { severity: 'critical', threshold: 0.3 }, modelStatus: 'suspended', modelStatusChange: { from: 'registered', to: 'suspended', alertId: critical.alertId } });
    const model = await gw.call('opOfficer', 'GET', versionPath);
    expect(model.body.status).toBe('suspended');
    expect(model.body.openDriftAlertIds).toEqual([alert('warn', 0).alertId, critical.alertId]);
    const history = await gw.call('regulator', 'GET', `/history/model/${seg(`${modelId}@1.0.0`)}`);
    expect(history.body.entries.at(-1).txId).toBe(raised.body.receipt.txId);
  });

  it('lists the alerts of the model by state and pages with bookmarks', async () => {
    const all = await gw.call('regulator', 'GET', `/drift-alerts?modelId=${seg(modelId)}&modelVersion=1.0.0`);
    expect(all.status).toBe(200);
    expect(all.body.alerts.map((a: { alertId: string }) => a.alertId).sort()).toEqual([alert('crit', 0).alertId, alert('warn', 0).alertId].sort());
    const first = await gw.call('opOfficer', 'GET', `/drift-alerts?modelId=${seg(modelId)}&state=open&pageSize=1`);
    expect(first.body.alerts).toHaveLength(1);
    expect(first.body.bookmark).not.toBe('');
    const second = await gw.call('opOfficer', 'GET', `/drift-alerts?modelId=${seg(modelId)}&state=open&pageSize=1&bookmark=${seg(first.body.bookmark)}`);
    expect(second.body.alerts).toHaveLength(1);
    expect(second.body.alerts[0].alertId).not.toBe(first.body.alerts[0].alertId);
  });

  it('acknowledges and resolves an alert, closing it on the model, and refuses a move out of a final state with 422', async () => {
    const path = `/drift-alerts/${seg(alert('warn', 0).alertId)}/transitions`;
    const ack = await gw.call('opOfficer', 'POST', path, { body: { to: 'acknowledged', note: 'looking into income drift' } });
    expect(ack.status).toBe(200);
    expect(ack.body.result.state).toBe('acknowledged');
    expect(ack.body.result.transitions.at(-1)).toMatchObject({ state: 'acknowledged', note: 'looking into income drift', actorRef: 'apikey:OperatorOrgMSP.officer' });
    const resolved = await gw.call('opOfficer', 'POST', path, { body: { to: 'resolved' } });
    expect(resolved.status).toBe(200);
    const again = await gw.call('opOfficer', 'POST', path, { body: { to: 'acknowledged' } });
    expect(again.status).toBe(422);
    expect(again.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);

    const read = await gw.call('regulator', 'GET', `/drift-alerts/${seg(alert('warn', 0).alertId)}`);
    expect(read.body.state).toBe('resolved');
    const model = await gw.call('opOfficer', 'GET', versionPath);
    expect(model.body.openDriftAlertIds).toEqual([alert('crit', 0).alertId]);
  });
});
