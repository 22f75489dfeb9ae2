// Export jobs: queued → running → done with a bundle that verifies; persisted across restarts; failures recorded, nothing left behind.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyBundlePath } from '@aiaudit/verifier';
import { fixtureBlocks, fixtureIndex } from '../../../verifier/src/testing/fixture-ledger.js';
import type { Ledger } from '../fabric/ledger.js';
import { ExportService, type ExportServiceOptions } from './export-service.js';
import { ExportStore, type ExportJob } from './export-store.js';

const dirs: string[] = [];
const services: ExportService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const unusedLedger: Ledger = { submit: () => Promise.reject(new Error('unused')), evaluate: () => Promise.reject(new Error('unused')), close: () => undefined };
const regulator = { principalId: 'apikey:r', org: 'RegulatorOrgMSP', role: 'regulator', fabricUser: 'User3' };
const index = fixtureIndex();

function service(overrides: Partial<ExportServiceOptions> = {}, dataDir?: string): { service: ExportService; dataDir: string } {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'aiaudit-exports-'));
  if (dataDir === undefined) dirs.push(dir);
  const created = new ExportService({ dataDir: dir, channel: 'aiaudit', chaincode: 'aiaudit', blocksFor: () => fixtureBlocks(), index, ledger: unusedLedger, logger: pino({ level: 'silent' }), ...overrides });
  services.push(created);
  created.start();
  return { service: created, dataDir: dir };
}

async function settled(exports: ExportService, id: string): Promise<ExportJob> {
  for (let i = 0; i < 200; i++) {
    const job = exports.get(id);
    if (job?.state === 'done' || job?.state === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`export ${id} did not finish`);
}

describe('ExportService', () => {
  it('runs a queued export to a .tar.gz that verifies and whose digests it reports', async () => {
    const { service: exports } = service();
    const queued = exports.request(regulator, { modelId: index.modelId }, undefined);
    expect(queued).toMatchObject({ state: 'queued', records: 0, ownerMsp: undefined });
    const job = await settled(exports, queued.id);
    expect(job).toMatchObject({ state: 'done', records: 7, blocks: 2, configBlocks: 1, error: undefined });
    const archive = readFileSync(exports.archivePath(job.id));
    expect(job.bytes).toBe(archive.length);
    expect(job.bundleSha256).toBe(createHash('sha256').update(archive).digest('hex'));
    const report = await verifyBundlePath(exports.archivePath(job.id), { expectedManifestSha256: job.manifestSha256 });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('exports only the own org for an officer scope', async () => {
    const { service: exports } = service();
    const job = await settled(exports, exports.request({ ...regulator, org: 'RegulatorOrgMSP', role: 'officer' }, {}, 'RegulatorOrgMSP').id);
    expect(job).toMatchObject({ state: 'done', records: 0, blocks: 0 });
  });

  it('keeps finished exports across a restart and runs again those a stop interrupted', async () => {
    const first = service();
    const done = await settled(first.service, first.service.request(regulator, { modelId: index.modelId }, undefined).id);
    await first.service.close();
    services.splice(services.indexOf(first.service), 1);
    const store = new ExportStore(join(first.dataDir, 'exports', 'exports.sqlite'));
    const left = store.create({ id: 'exp-00000000-0000-4000-8000-000000000000', filter: { modelId: index.modelId }, ownerMsp: undefined, requester: regulator, createdAt: new Date().toISOString() });
    store.markRunning(left.id, new Date().toISOString());
    store.close();
    const second = service({}, first.dataDir);
    expect(second.service.get(done.id)).toMatchObject({ state: 'done', bundleSha256: done.bundleSha256 });
    expect(await settled(second.service, left.id)).toMatchObject({ state: 'done', records: 7 });
  });

  it('records a failure with its reason and leaves no partial bundle', async () => {
    const { service: exports, dataDir } = service({ blocksFor: () => fixtureBlocks({ failAt: 701 }) });
    const job = await settled(exports, exports.request(regulator, { modelId: index.modelId }, undefined).id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/peer unavailable for block 701/);
    expect(existsSync(exports.archivePath(job.id))).toBe(false);
    expect(readdirSync(join(dataDir, 'exports')).filter((n) => n.startsWith(job.id))).toEqual([]);
  });

  it('selects through the chaincode queries when the index lags the channel', async () => {
    const calls: string[] = [];
    const batches = new Map<string, { batchId: string; txId: string; decisions: { position: number; decision: unknown }[] }>();
    for (const row of index.rows) {
      const batch = batches.get(row.anchor.txId) ?? { batchId: row.anchor.batchId, txId: row.anchor.txId, decisions: [] };
      batch.decisions.push({ position: row.anchor.position, decision: JSON.parse(row.recordJson) });
      batches.set(row.anchor.txId, batch);
    }
    const ledger: Ledger = {
      ...unusedLedger,
      evaluate: async <T>(_who: unknown, contract: string, transaction: string, args: string[]): Promise<T> => {
        calls.push(`${contract}.${transaction} ${args[0] ?? ''}`);
        const page: unknown = { batches: [...batches.values()], bookmark: '' };
        return page as T;
      },
    };
    const { service: exports } = service({ index: fixtureIndex(5), indexWaitMs: 50, ledger });
    const version = index.rows[0]?.modelVersion ?? '';
    const job = await settled(exports, exports.request(regulator, { modelId: index.modelId, modelVersion: version }, undefined).id);
    expect(job).toMatchObject({ state: 'done', records: 7, blocks: 2 });
    expect(calls).toEqual([expect.stringMatching(/^decisions\.QueryDecisionsByModel \{"modelId":"model-vfix-a-\w+","modelVersion":"1\.0\.0","pageSize":20,"bookmark":""\}$/)]);
    expect((await verifyBundlePath(exports.archivePath(job.id))).ok).toBe(true);
  });

  it('deletes bundles past the retention period, keeps the job and its digests as expired, and leaves newer ones', async () => {
    const day = 86_400_000;
    const { service: exports, dataDir } = service({ retentionMs: 30 * day });
    const old = await settled(exports, exports.request(regulator, { modelId: index.modelId }, undefined).id);
    const failed = await settled(exports, exports.request(regulator, { subjectRef: 'b'.repeat(64) }, undefined).id);
    // An archive left behind by a crash between marking a job expired and deleting its file.
    const orphan = join(dataDir, 'exports', 'aiaudit-export-exp-orphan.tar.gz');
    writeFileSync(orphan, 'left over');
    expect(await exports.expire(Date.now() + 29 * day)).toEqual([]);
    expect(existsSync(exports.archivePath(old.id))).toBe(true);
    expect(existsSync(orphan)).toBe(false);
    const expired = await exports.expire(Date.now() + 31 * day);
    expect(expired.sort()).toEqual([old.id, failed.id].sort());
    expect(existsSync(exports.archivePath(old.id))).toBe(false);
    expect(exports.get(old.id)).toMatchObject({ state: 'expired', bundleSha256: old.bundleSha256, manifestSha256: old.manifestSha256, records: 7 });
    expect(exports.get(failed.id)?.state).toBe('expired');
    const fresh = await settled(exports, exports.request(regulator, { modelId: index.modelId }, undefined).id);
    expect(await exports.expire()).toEqual([]);
    expect(existsSync(exports.archivePath(fresh.id))).toBe(true);
  });

  it('keeps every bundle when retention is off', async () => {
    const { service: exports } = service({ retentionMs: 0 });
    const job = await settled(exports, exports.request(regulator, { modelId: index.modelId }, undefined).id);
    expect(await exports.expire(Date.now() + 3650 * 86_400_000)).toEqual([]);
    expect(existsSync(exports.archivePath(job.id))).toBe(true);
  });

  it('refuses, without the index, a filter the chaincode queries cannot serve', async () => {
    const { service: exports } = service({ index: undefined });
    const job = await settled(exports, exports.request(regulator, { subjectRef: 'a'.repeat(64) }, undefined).id);
    expect(job).toMatchObject({ state: 'failed', error: 'without the decision index an export needs modelId and modelVersion, or from' });
  });
});
