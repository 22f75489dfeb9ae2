// The block-derived index against the real ledger, for any index database: deleted while the gateway is down it is
// rebuilt and answers the same; `index:check` finds tampered, missing and foreign-chain indexes (exit 1), `reindex` repairs.
// (That the gateway itself rebuilds an index of another chain at start is tested with synthetic chains: chain-id.test.ts.)
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDecision, exampleModel } from '../../chaincode/src/domain/examples.js';
import { eventually, newDataDir, startDecisionGateway, type DecisionGateway } from './decision-gateway.js';
import { runTag } from './ledger.js';
import { profilePath } from './network.js';
import { repoRoot } from './script.js';

/** One index database as the scenario needs it: where it is, and raw access to break it. */
export interface IndexBackend {
  name: string;
  /** Creates the (empty) index database for a gateway with data folder `dataDir`; returns AIAUDIT_INDEX_DATABASE_URL. */
  create(dataDir: string): Promise<string>;
  /** Removes the whole index while no gateway runs (the next start rebuilds it). */
  remove(): Promise<void>;
  /** Runs SQL on the index's tables (both databases understand the statements used here). */
  exec(statement: string, values: string[]): Promise<void>;
  /** SQL placeholder of the n-th value (1-based). */
  placeholder(n: number): string;
  dispose(): Promise<void>;
}

/** Time for one full replay of the chain (a gateway start, a check, a reindex): minutes on a ledger with 10^5 decisions. */
const REPLAYS_MS = 300_000;

/**
 * Runs `gateway/src/index/cli.ts` on the index at `databaseUrl`. Asynchronous on purpose: a replay of a long
 * chain takes minutes, and a blocked event loop makes the vitest worker miss its RPC deadline.
 */
export function indexCli(command: 'check' | 'reindex', databaseUrl: string, ...args: string[]): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'gateway/src/index/cli.ts', command, ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, AIAUDIT_CONNECTION_PROFILE: profilePath(), AIAUDIT_INDEX_DATABASE_URL: databaseUrl },
        encoding: 'utf8',
        timeout: REPLAYS_MS,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err !== null && typeof err.code !== 'number') reject(new Error(`index ${command} did not finish: ${err.message}\n${stderr}`));
        else resolve({ status: err === null ? 0 : Number(err.code), out: stdout, err: stderr });
      },
    );
  });
}

export function describeIndexRebuild(backend: IndexBackend): void {
  describe(`the decision index in ${backend.name}, rebuilt from the ledger`, () => {
    const dataDir = newDataDir();
    const modelId = `idx-${backend.name.toLowerCase()}-${runTag}`;
    const ids = Array.from({ length: 30 }, (_, i) => `${modelId}-${i}`);
    const p = (n: number) => backend.placeholder(n);
    let url = '';
    let gw: DecisionGateway | undefined;
    const start = () => startDecisionGateway(dataDir, { AIAUDIT_INDEX_DATABASE_URL: url });

    beforeAll(async () => {
      url = await backend.create(dataDir);
      gw = await start();
      expect((await gw.call('opRecorder', 'POST', '/models', { body: exampleModel({ modelId, version: '1.0.0', datasets: [] }) })).status).toBe(201);
      const decisions = ids.map((decisionId, i) => exampleDecision({ decisionId, modelId, subjectRef: (i % 2 === 0 ? 'a' : 'b').repeat(64) }));
      const posted = await Promise.all([
        gw.call('opRecorder', 'POST', '/decisions', { body: { decisions: decisions.slice(0, 20) } }),
        ...decisions.slice(20).map((body) => gw?.call('opRecorder', 'POST', '/decisions', { body })),
      ]);
      expect(posted.map((a) => a?.status)).toEqual(posted.map(() => 201));
    });
    afterAll(async () => {
      await gw?.close();
      await backend.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function answers(g: DecisionGateway) {
      // Every decision is committed; wait until the follower has indexed the last of them (a busy machine lags).
      await eventually(async () => ((await g.call('opOfficer', 'GET', `/decisions/${ids.at(-1)}`)).status === 200 ? true : undefined), 60_000, 250);
      const byId = await Promise.all(ids.map(async (id) => (await g.call('opOfficer', 'GET', `/decisions/${id}`)).body));
      const bySubject = (await g.call('opOfficer', 'GET', `/decisions?subjectRef=${'a'.repeat(64)}&modelId=${modelId}`)).body;
      const byModel = (await g.call('regulator', 'GET', `/decisions?modelId=${modelId}&modelVersion=1.0.0&pageSize=500`)).body;
      const firstPage = (await g.call('regulator', 'GET', `/decisions?modelId=${modelId}&pageSize=7`)).body;
      return { byId, bySubject, byModel, firstPage };
    }

    it('answers reads and searches from the index, and the same after the index is deleted while the gateway is down', async () => {
      if (gw === undefined) throw new Error('no gateway');
      const before = await answers(gw);
      expect(before.byId.map((d: { decision?: { decisionId?: string }; anchor?: unknown }) => [d.decision?.decisionId, d.anchor !== undefined])).toEqual(ids.map((id) => [id, true]));
      expect(before.bySubject.decisions).toHaveLength(15);
      expect(before.byModel.decisions.map((d: { decision: { decisionId: string } }) => d.decision.decisionId).sort()).toEqual([...ids].sort());
      expect(before.firstPage.decisions).toHaveLength(7);
      expect(typeof before.firstPage.bookmark).toBe('string');
      await gw.close();
      gw = undefined;
      await backend.remove();

      gw = await start();
      expect(await answers(gw)).toEqual(before);
      await gw.close();
      gw = undefined;
    }, REPLAYS_MS * 2);

    it('index:check passes on a faithful index and names each tampered or missing decision (exit 1)', async () => {
      const clean = await indexCli('check', url);
      expect(clean.out, clean.err).toMatch(/OK: the index matches the ledger/);
      expect(clean.status).toBe(0);

      await backend.exec(`UPDATE decisions SET record_sha256 = 'tampered', subject_ref = NULL WHERE decision_id = ${p(1)}`, [ids[3] ?? '']);
      await backend.exec(`DELETE FROM decisions WHERE decision_id = ${p(1)}`, [ids[7] ?? '']);
      const dirty = await indexCli('check', url);
      expect(dirty.status).toBe(1);
      expect(dirty.out).toMatch(new RegExp(`DIFFERENT ${ids[3]} .*subjectRef.*recordSha256`));
      expect(dirty.out).toMatch(new RegExp(`MISSING ${ids[7]} `));
      expect(dirty.out).toMatch(/FAILED: 2 finding\(s\)/);
    }, REPLAYS_MS * 2);

    it('index:check reports an index built from another chain without comparing its rows (exit 1)', async () => {
      await backend.exec(`UPDATE meta SET value = ${p(1)} WHERE key = 'chain_id'`, ['ff'.repeat(32)]);
      const foreign = await indexCli('check', url);
      expect(foreign.status, foreign.err).toBe(1);
      expect(foreign.out).toMatch(new RegExp(`^CHAIN MISMATCH: the index was built from another chain: its block 0 data hash is ${'ff'.repeat(32)}, the ledger's is [0-9a-f]{64}`));
      expect(foreign.out).not.toMatch(/DIFFERENT|MISSING/);
    });

    it('reindex rebuilds from block 0 with a progress line, from the regulator’s own peer, and the check passes again', async () => {
      const rebuilt = await indexCli('reindex', url, '--msp', 'RegulatorOrgMSP', '--user', 'User3');
      expect(rebuilt.status, rebuilt.err).toBe(0);
      expect(rebuilt.err).toMatch(/reindex: block \d+\/\d+ \(100\.0%\)/);
      expect(rebuilt.out).toMatch(/reindexed \d+ blocks \(through block \d+\): \d+ batches, \d+ decisions/);
      const check = await indexCli('check', url, '--msp', 'RegulatorOrgMSP', '--user', 'User3');
      expect(check.out, check.err).toMatch(/OK: the index matches the ledger/);
      expect(check.status).toBe(0);
    }, REPLAYS_MS * 2);
  });
}
