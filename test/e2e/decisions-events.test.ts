// GET /events on the local network: drift alerts, alert transitions and model status changes as server-sent events,
// and a client resuming with Last-Event-ID after a gateway restart gets every event committed while it was down.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDriftAlert, exampleModel } from '../../chaincode/src/domain/examples.js';
import { newDataDir, startDecisionGateway, type DecisionGateway } from '../support/decision-gateway.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { runTag } from '../support/ledger.js';
import { readEvents, type SseEvent } from '../support/sse-client.js';

const payloadOf = (e: SseEvent | undefined): Record<string, unknown> => (e === undefined ? {} : JSON.parse(e.data).payload);

describe('server-sent events across a gateway restart', () => {
  const dataDir = newDataDir();
  const modelId = `sse-${runTag}`;
  const alert = (n: string, value: number) => exampleDriftAlert({ alertId: `sse-${runTag}-${n}`, modelId, modelVersion: '1.0.0', metric: 'psi', value });
  let writer: TestGateway;
  let gw: DecisionGateway | undefined;

  beforeAll(async () => {
    writer = await startTestGateway();
    const model = await writer.call('opRecorder', 'POST', '/models', { body: exampleModel({ modelId, version: '1.0.0', datasets: [] }) });
    expect(model.status).toBe(201);
  });
  afterAll(async () => {
    await gw?.close();
    await writer?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams a raised alert, then after a restart resumes from Last-Event-ID with nothing lost', async () => {
    gw = await startDecisionGateway(dataDir);
    const stream = readEvents(`${gw.baseUrl}/api/v1/events`, { authorization: `Bearer ${gw.keyOf('regulator')}` });
    await stream.opened;
    const first = alert('a1', 0.15);
    expect((await writer.call('opRecorder', 'POST', '/drift-alerts', { body: first })).status).toBe(201);
    const [raised] = await stream.next(1, 30_000);
    stream.close();
    expect(raised?.event).toBe('DriftAlertRaised');
    expect(payloadOf(raised)).toMatchObject({ alertId: first.alertId, modelId, severity: 'warning' });
    expect(raised?.id).toMatch(/^\d+:\d+$/);

    await gw.close();
    gw = undefined;
    // While the gateway is down: an acknowledgement, a second alert, a model status change.
    expect((await writer.call('opOfficer', 'POST', `/drift-alerts/${first.alertId}/transitions`, { body: { to: 'acknowledged', note: 'looking' } })).status).toBe(200);
    const second = alert('a2', 0.12);
    expect((await writer.call('opRecorder', 'POST', '/drift-alerts', { body: second })).status).toBe(201);
    expect((await writer.call('opOfficer', 'POST', `/models/${modelId}/versions/1.0.0/status`, { body: { status: 'approved', reason: 'validated' } })).status).toBe(200);

    gw = await startDecisionGateway(dataDir);
    const resumed = readEvents(`${gw.baseUrl}/api/v1/events`, { authorization: `Bearer ${gw.keyOf('opOfficer')}`, 'last-event-id': raised?.id ?? '' });
    const missed: SseEvent[] = [];
    // Other tests may write to the shared channel meanwhile: keep this model's events.
    while (missed.length < 3) missed.push(...(await resumed.next(1, 30_000)).filter((e) => payloadOf(e)['modelId'] === modelId));
    resumed.close();
    expect(missed.map((e) => e.event)).toEqual(['DriftAlertChanged', 'DriftAlertRaised', 'ModelStatusChanged']);
    expect(payloadOf(missed[0])).toMatchObject({ alertId: first.alertId, from: 'open', to: 'acknowledged' });
    expect(payloadOf(missed[1])).toMatchObject({ alertId: second.alertId });
    expect(payloadOf(missed[2])).toMatchObject({ change: { to: 'approved' } });
    const positions = missed.map((e) => (e.id ?? '').split(':').map(Number));
    const after = (raised?.id ?? '').split(':').map(Number);
    for (const [i, [block = 0]] of positions.entries()) {
      expect(block).toBeGreaterThan(after[0] ?? 0);
      if (i > 0) expect(block).toBeGreaterThan(positions[i - 1]?.[0] ?? 0);
    }
  });
});
