// A gateway killed with SIGKILL while decisions sit in its outbox comes back and commits each exactly once:
// (a) killed before any batch was formed, (b) killed right after its batch committed but before it learned so.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDecision, exampleModel } from '../../chaincode/src/domain/examples.js';
import { spawnGateway, type ChildGateway } from '../support/child-gateway.js';
import { eventually, newDataDir } from '../support/decision-gateway.js';
import { evaluateJson, grantRole, runTag, submitJson } from '../support/ledger.js';
import { TestNetwork } from '../support/network.js';

const RECORDER = 'OperatorOrgMSP/recorder';
const OFFICER = 'OperatorOrgMSP/officer';

async function call(gw: ChildGateway, who: string, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${gw.key(who)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The decisions of the submissions in the outbox as the dead process left them, with their batch id. */
function outboxDecisions(dataDir: string): { decisionId: string; batchId: string | null }[] {
  const db = new Database(join(dataDir, 'gateway', 'outbox.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT decision_ids, batch_id FROM pending_submissions').all() as { decision_ids: string; batch_id: string | null }[];
    const decisions = rows.flatMap((r) => (JSON.parse(r.decision_ids) as string[]).map((decisionId) => ({ decisionId, batchId: r.batch_id })));
    return decisions.sort((a, b) => a.decisionId.localeCompare(b.decisionId));
  } finally {
    db.close();
  }
}

describe('SIGKILL with decisions in the outbox', () => {
  const net = new TestNetwork();
  const modelId = `crash-${runTag}`;
  const dirs: string[] = [];
  const children: ChildGateway[] = [];
  const decision = (id: string) => exampleDecision({ decisionId: `${modelId}-${id}`, modelId, modelVersion: '1.0.0' });

  beforeAll(async () => {
    await grantRole(net, 'operator', 'User1', 'recorder');
    await submitJson(net.contract('operator', 'User1', 'lineage'), 'RegisterModelVersion', JSON.stringify(exampleModel({ modelId, version: '1.0.0', datasets: [] })));
  });
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) await child.kill();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    net.close();
  });

  /** A child gateway on `dataDir`, once ready: its index has caught up (it refuses submissions until then). */
  async function start(dataDir: string, env: Record<string, string> = {}): Promise<ChildGateway> {
    const child = await spawnGateway(dataDir, env);
    children.push(child);
    await eventually(async () => ((await fetch(`${child.url}/readyz`)).status === 200 ? true : undefined), 240_000, 250);
    return child;
  }

  /** Every id committed, each exactly once on the ledger (the index sees every appearance of an id). */
  async function expectCommittedOnce(gw: ChildGateway, ids: string[]): Promise<Set<string>> {
    const batches = new Set<string>();
    for (const id of ids) {
      const status = await eventually(async () => {
        const s = await call(gw, RECORDER, 'GET', `/decisions/${id}/status`);
        return s.body['state'] === 'committed' ? s.body : undefined;
      }, 60_000);
      batches.add(String(status['batchId']));
      const read = await call(gw, OFFICER, 'GET', `/decisions/${id}`);
      expect(read.status).toBe(200);
      expect(read.body['duplicateAnchors']).toEqual([]);
    }
    return batches;
  }

  it('replays decisions accepted (202) but not yet batched when the gateway died', async () => {
    const dataDir = newDataDir();
    dirs.push(dataDir);
    const first = await start(dataDir, { AIAUDIT_BATCH_LINGER_MS: '10000' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const list = Array.from({ length: 10 }, (_, j) => decision(`a${i}-${j}`));
      const res = await call(first, RECORDER, 'POST', '/decisions', { decisions: list }, { Prefer: 'respond-async' });
      expect(res.status).toBe(202);
      ids.push(...list.map((d) => d.decisionId));
    }
    expect(await first.kill()).toBe('SIGKILL');
    const left = outboxDecisions(dataDir);
    expect(left).toEqual([...ids].sort((a, b) => a.localeCompare(b)).map((decisionId) => ({ decisionId, batchId: null })));

    const second = await start(dataDir);
    const batches = await expectCommittedOnce(second, ids);
    expect(batches.size).toBeGreaterThanOrEqual(1);
    await second.kill();
  });

  it('recognises a batch that committed just before the crash and marks it committed under the same batch id, never a second batch', async () => {
    const dataDir = newDataDir();
    dirs.push(dataDir);
    const first = await start(dataDir, { AIAUDIT_TEST_CRASH_AFTER_COMMIT: '1', AIAUDIT_BATCH_LINGER_MS: '300' });
    const lists = [0, 1].map((i) => Array.from({ length: 10 }, (_, j) => decision(`b${i}-${j}`)));
    const answers = await Promise.all(lists.map((list) => call(first, RECORDER, 'POST', '/decisions', { decisions: list }, { Prefer: 'respond-async' })));
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(await first.exited).toBe('SIGKILL');
    expect(first.stderr()).toMatch(/crashing after commit/);

    const left = outboxDecisions(dataDir);
    const ids = lists.flat().map((d) => d.decisionId);
    expect(left.map((r) => r.decisionId)).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
    expect(left.every((r) => r.batchId !== null)).toBe(true);
    const batchIds = [...new Set(left.map((r) => r.batchId))];
    const onLedger = await Promise.all(
      batchIds.map((batchId) => evaluateJson<{ decisions: { decisionId: string }[] }>(net.contract('operator', 'User1', 'decisions'), 'GetDecisionBatch', String(batchId)).catch(() => undefined)),
    );
    // At least the first batch committed before the crash.
    expect(onLedger.some((b) => b !== undefined)).toBe(true);

    const second = await start(dataDir);
    const batches = await expectCommittedOnce(second, ids);
    expect([...batches].sort()).toEqual([...batchIds].sort());
    await second.kill();
  });
});
