// The block-derived index against the real ledger: deleted while the gateway is down, it is rebuilt and answers the same;
// `index:check` finds a tampered or missing row (exit 1) and `reindex` repairs it (exit 0), also from the regulator's peer.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDecision, exampleModel } from '../../chaincode/src/domain/examples.js';
import { newDataDir, startDecisionGateway, type DecisionGateway } from '../support/decision-gateway.js';
import { runTag } from '../support/ledger.js';
import { profilePath } from '../support/network.js';
import { repoRoot } from '../support/script.js';

function indexCli(command: 'check' | 'reindex', indexFile: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'gateway/src/index/cli.ts', command, ...args], {
    cwd: repoRoot,
    env: { ...process.env, AIAUDIT_CONNECTION_PROFILE: profilePath(), AIAUDIT_INDEX_DATABASE_URL: `sqlite:${indexFile}` },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

describe('the decision index, rebuilt from the ledger', () => {
  const dataDir = newDataDir();
  const indexFile = join(dataDir, 'gateway', 'index.sqlite');
  const modelId = `idx-${runTag}`;
  const ids = Array.from({ length: 30 }, (_, i) => `${modelId}-${i}`);
  let gw: DecisionGateway | undefined;

  beforeAll(async () => {
    gw = await startDecisionGateway(dataDir);
    expect((await gw.call('opRecorder', 'POST', '/models', { body: exampleModel({ modelId, version: '1.0.0', datasets: [] }) })).status).toBe(201);
    const decisions = ids.map((decisionId, i) => exampleDecision({ decisionId, modelId, subjectRef: (i % 2 === 0 ? 'a' : 'b').repeat(64) }));
    const answers = await Promise.all([
      gw.call('opRecorder', 'POST', '/decisions', { body: { decisions: decisions.slice(0, 20) } }),
      ...decisions.slice(20).map((body) => gw?.call('opRecorder', 'POST', '/decisions', { body })),
    ]);
    expect(answers.map((a) => a?.status)).toEqual(answers.map(() => 201));
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function answers(g: DecisionGateway) {
    const byId = await Promise.all(ids.map(async (id) => (await g.call('opOfficer', 'GET', `/decisions/${id}`)).body));
    const bySubject = (await g.call('opOfficer', 'GET', `/decisions?subjectRef=${'a'.repeat(64)}&modelId=${modelId}`)).body;
    const byModel = (await g.call('regulator', 'GET', `/decisions?modelId=${modelId}&modelVersion=1.0.0&pageSize=500`)).body;
    return { byId, bySubject, byModel };
  }

  it('answers the same after the index file is deleted while the gateway is down', async () => {
    if (gw === undefined) throw new Error('no gateway');
    const before = await answers(gw);
    expect(before.byId.every((d: { anchor?: unknown }) => d.anchor !== undefined)).toBe(true);
    expect(before.bySubject.decisions).toHaveLength(15);
    await gw.close();
    gw = undefined;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${indexFile}${suffix}`, { force: true });

    gw = await startDecisionGateway(dataDir);
    expect(await answers(gw)).toEqual(before);
    await gw.close();
    gw = undefined;
  });

  it('index:check passes on a faithful index and names each tampered or missing decision (exit 1)', () => {
    const clean = indexCli('check', indexFile);
    expect(clean.out).toMatch(/OK: the index matches the ledger/);
    expect(clean.status).toBe(0);

    const db = new Database(indexFile);
    db.prepare("UPDATE decisions SET record_sha256 = 'tampered', subject_ref = NULL WHERE decision_id = ?").run(ids[3]);
    db.prepare('DELETE FROM decisions WHERE decision_id = ?').run(ids[7]);
    db.close();
    const dirty = indexCli('check', indexFile);
    expect(dirty.status).toBe(1);
    expect(dirty.out).toMatch(new RegExp(`DIFFERENT ${ids[3]} .*subjectRef.*recordSha256`));
    expect(dirty.out).toMatch(new RegExp(`MISSING ${ids[7]} `));
    expect(dirty.out).toMatch(/FAILED: 2 finding\(s\)/);
  });

  it('reindex rebuilds from block 0 with a progress line, from the regulator’s own peer, and the check passes again', () => {
    const rebuilt = indexCli('reindex', indexFile, '--msp', 'RegulatorOrgMSP', '--user', 'User3');
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.err).toMatch(/reindex: block \d+\/\d+ \(100\.0%\)/);
    expect(rebuilt.out).toMatch(/reindexed \d+ blocks \(through block \d+\): \d+ batches, \d+ decisions/);
    const check = indexCli('check', indexFile, '--msp', 'RegulatorOrgMSP', '--user', 'User3');
    expect(check.out).toMatch(/OK/);
    expect(check.status).toBe(0);
  });
});
