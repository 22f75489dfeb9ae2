import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { exampleDecision } from '@aiaudit/chaincode/domain';
import { FakeDecisionLedger } from '../../../test/support/fake-ledger.js';
import { startPipelineApp, type PipelineApp } from '../../../test/support/pipeline-app.js';
import { readEvents } from '../../../test/support/sse-client.js';

const running: { app: PipelineApp; server: Server }[] = [];
afterEach(async () => {
  for (const { app, server } of running.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await app.close();
  }
});

async function serve(options: Parameters<typeof startPipelineApp>[0] = {}) {
  const app = await startPipelineApp(options);
  const server = createServer(app.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({ app, server });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return { ...app, base, server };
}

const post = (base: string, auth: string, ids: string[]) =>
  fetch(`${base}/decisions`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ decisions: ids.map((decisionId) => exampleDecision({ decisionId })) }) });

describe('GET /events', () => {
  it('streams DecisionsRecorded summaries with block:txIndex ids, from the live edge', async () => {
    const { base, auth } = await serve();
    const events = readEvents(`${base}/events?types=DecisionsRecorded`, { authorization: auth('officer') });
    await events.opened;
    expect((await post(base, auth('recorder'), ['e-1', 'e-2'])).status).toBe(201);
    const [first] = await events.next(1);
    events.close();
    expect(first?.id).toBe('101:0');
    expect(first?.event).toBe('DecisionsRecorded');
    expect(JSON.parse(first?.data ?? '{}')).toMatchObject({ event: 'DecisionsRecorded', blockNumber: '101', txIndex: 0, payload: { count: 2, ownerMsp: 'OperatorOrgMSP' } });
  });

  it('resumes after Last-Event-ID across a restart, losing no event', async () => {
    const ledger = new FakeDecisionLedger();
    const one = await serve({ ledger });
    const events = readEvents(`${one.base}/events?types=DecisionsRecorded`, { authorization: one.auth('regulator', 'RegulatorOrgMSP') });
    await events.opened;
    await post(one.base, one.auth('recorder'), ['x-1']);
    const [seen] = await events.next(1);
    events.close();
    // Stop the gateway; two more batches commit while it is down.
    const done = running.splice(0);
    for (const { app, server } of done) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.pipeline.stop();
    }
    await ledger.submit({ mspId: 'OperatorOrgMSP', fabricUser: 'User1' }, 'decisions', 'RecordDecisions', [JSON.stringify({ batchId: 'down-1', decisions: [exampleDecision({ decisionId: 'x-2' })] })]);
    await ledger.submit({ mspId: 'OperatorOrgMSP', fabricUser: 'User1' }, 'decisions', 'RecordDecisions', [JSON.stringify({ batchId: 'down-2', decisions: [exampleDecision({ decisionId: 'x-3' })] })]);

    // The second gateway reuses the first one's data folder, which neither deletes.
    onTestFinished(() => rmSync(one.dir, { recursive: true, force: true }));
    const two = await serve({ ledger, dir: one.dir });
    const resumed = readEvents(`${two.base}/events?types=DecisionsRecorded`, { authorization: two.auth('regulator', 'RegulatorOrgMSP'), 'last-event-id': seen?.id ?? '' });
    const after = await resumed.next(2);
    resumed.close();
    expect(after.map((e) => e.id)).toEqual(['102:0', '103:0']);
    expect(after.map((e) => JSON.parse(e.data).payload.batchId)).toEqual(['down-1', 'down-2']);
  });

  it('hides another org’s events from an officer and refuses a malformed Last-Event-ID with 400', async () => {
    const { base, auth } = await serve();
    const bad = await fetch(`${base}/events`, { headers: { authorization: auth('officer'), 'last-event-id': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('Last-Event-ID');
    const unknownType = await fetch(`${base}/events?types=Nope`, { headers: { authorization: auth('officer') } });
    expect(unknownType.status).toBe(400);
    const unauthenticated = await fetch(`${base}/events`);
    expect(unauthenticated.status).toBe(401);

    const foreign = readEvents(`${base}/events?types=DecisionsRecorded&lastEventId=0:0`, { authorization: auth('admin', 'RegulatorOrgMSP') });
    await foreign.opened;
    await post(base, auth('recorder'), ['h-1']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(foreign.received()).toEqual([]);
    foreign.close();
  });

  it('ends open streams when the pipeline stops, so shutdown does not wait for them', async () => {
    const { base, auth, pipeline } = await serve();
    const stream = readEvents(`${base}/events`, { authorization: auth('officer') });
    await stream.opened;
    await pipeline.stop();
    await stream.ended;
    expect(stream.received()).toEqual([]);
  });
});
