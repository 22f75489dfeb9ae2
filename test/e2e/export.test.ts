// HTTP end to end, exports: decisions posted through the gateway are exported by a regulator and an officer, downloaded,
// verified offline by the aiaudit-verify command (also as installed: npm's bin link), and the finished export survives a gateway restart.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDecision, exampleModel } from '../../chaincode/src/domain/examples.js';
import { decisionPipelineModule } from '../../gateway/src/decisions/index.js';
import { exportModule } from '../../gateway/src/export/index.js';
import { eventually, newDataDir, startDecisionGateway } from '../support/decision-gateway.js';
import type { PrincipalName } from '../support/gateway.js';
import { runTag } from '../support/ledger.js';
import { repoRoot } from '../support/script.js';

interface ExportGateway {
  call(who: PrincipalName, method: 'GET' | 'POST', path: string, body?: object): Promise<request.Response>;
  download(who: PrincipalName, path: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** The gateway with the decision pipeline and the export module, as main wires them, on 127.0.0.1:0. */
async function startExportGateway(dataDir: string): Promise<ExportGateway> {
  const gw = await startDecisionGateway(dataDir, { AIAUDIT_BATCH_LINGER_MS: '20' }, [decisionPipelineModule(), exportModule()]);
  const agent = request(gw.baseUrl);
  return {
    call: (who, method, path, body) => gw.call(who, method, path, method === 'GET' ? {} : { body: body ?? {} }),
    download: async (who, path) => {
      const answer = await agent
        .get(path)
        .set('Authorization', `Bearer ${gw.keyOf(who)}`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/gzip');
      return answer.body;
    },
    close: gw.close,
  };
}

const work = mkdtempSync(join(tmpdir(), 'aiaudit-export-e2e-'));

function saved(archive: Buffer): string {
  const path = join(work, `bundle-${Date.now()}-${Math.random().toString(36).slice(2)}.tar.gz`);
  writeFileSync(path, archive);
  return path;
}

function verifyCli(archive: Buffer, ...flags: string[]): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'verifier/src/cli.ts', saved(archive), ...flags], { cwd: repoRoot, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout };
}

/** The installed command, as `npx aiaudit-verify` runs it: npm's bin link to the launcher, the compiled verifier. */
function verifyInstalled(archive: Buffer, env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(join(repoRoot, 'node_modules/.bin/aiaudit-verify'), [saved(archive)], { cwd: work, env, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function settled(gw: ExportGateway, who: PrincipalName, statusUrl: string): Promise<request.Response> {
  const path = statusUrl.replace(/^\/api\/v1/, '');
  return eventually(async () => {
    const status = await gw.call(who, 'GET', path);
    return status.body.state === 'done' || status.body.state === 'failed' ? status : undefined;
  }, 120_000, 250);
}

describe('exports over HTTP on the local network', () => {
  const dataDir = newDataDir();
  let gw: ExportGateway;
  const modelId = `e2e-exp-${runTag}`;

  beforeAll(async () => {
    gw = await startExportGateway(dataDir);
    expect((await gw.call('opRecorder', 'POST', '/models', exampleModel({ modelId, version: '1.0.0', datasets: [] }))).status).toBe(201);
    for (const part of ['a', 'b']) {
      const list = Array.from({ length: 30 }, (_, i) => exampleDecision({ decisionId: `exp-${runTag}-${part}${i}`, modelId, modelVersion: '1.0.0' }));
      expect((await gw.call('opRecorder', 'POST', '/decisions', { decisions: list })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  let regulatorExport: { statusUrl: string; manifestSha256: string; bundleUrl: string };

  it("exports a model's decisions for the regulator into a bundle aiaudit-verify accepts", async () => {
    const accepted = await gw.call('regulator', 'POST', '/exports', { modelId });
    expect(accepted.status).toBe(202);
    const status = await settled(gw, 'regulator', accepted.body.statusUrl);
    expect(status.body).toMatchObject({ state: 'done', counts: { records: 60, configBlocks: 1 }, requestedBy: { org: 'RegulatorOrgMSP', role: 'regulator' } });
    regulatorExport = { statusUrl: accepted.body.statusUrl, manifestSha256: status.body.manifestSha256, bundleUrl: status.body.bundleUrl };
    const archive = await gw.download('regulator', status.body.bundleUrl);
    const verified = verifyCli(archive, '--manifest-sha256', status.body.manifestSha256);
    expect(verified.stdout).toMatch(/^VERIFIED: 60 records in \d+ blocks and 2 transactions/m);
    expect(verified.status).toBe(0);
  });

  it("scopes an officer's export to its org and keeps it from the regulator", async () => {
    const accepted = await gw.call('opOfficer', 'POST', '/exports', { modelId, from: '2020-01-01T00:00:00Z' });
    const status = await settled(gw, 'opOfficer', accepted.body.statusUrl);
    expect(status.body).toMatchObject({ state: 'done', ownerMsp: 'OperatorOrgMSP', counts: { records: 60 } });
    // NODE_EXTRA_CA_CERTS naming no file: node warns at start-up when it reads it; the launcher starts node without it.
    const installed = verifyInstalled(await gw.download('opOfficer', status.body.bundleUrl), { ...process.env, NODE_EXTRA_CA_CERTS: join(work, 'no-such-ca.pem') });
    expect(installed.stdout).toMatch(/^VERIFIED: 60 records/m);
    expect(installed.stderr).not.toMatch(/extra certs/);
    expect(installed.status).toBe(0);
    expect((await gw.call('regulator', 'GET', accepted.body.statusUrl.replace(/^\/api\/v1/, ''))).status).toBe(404);
    expect((await gw.call('opRecorder', 'POST', '/exports', { modelId })).status).toBe(403);
  });

  it('still serves a finished export after a restart', async () => {
    await gw.close();
    gw = await startExportGateway(dataDir);
    const status = await gw.call('regulator', 'GET', regulatorExport.statusUrl.replace(/^\/api\/v1/, ''));
    expect(status.body).toMatchObject({ state: 'done', manifestSha256: regulatorExport.manifestSha256 });
    const archive = await gw.download('regulator', regulatorExport.bundleUrl);
    expect(verifyCli(archive, '--manifest-sha256', regulatorExport.manifestSha256).status).toBe(0);
    const tampered = Buffer.from(archive);
    tampered[tampered.length - 40] = (tampered[tampered.length - 40] ?? 0) ^ 0xff;
    const broken = verifyCli(tampered);
    expect(broken.status).not.toBe(0);
  });
});
