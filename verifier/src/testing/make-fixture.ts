// Regenerates the unit-test fixture bundle from the running local network: node --import tsx verifier/src/testing/make-fixture.ts
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import pino from 'pino';
import { TestNetwork } from '../../../test/support/network.js';
import { grantRole, runTag, submitJson } from '../../../test/support/ledger.js';
import { decisions, lineageFixture } from '../../../test/support/records.js';
import { ExportService } from '../../../gateway/src/export/export-service.js';
import { qsccBlocks } from '../../../gateway/src/export/ledger-blocks.js';
import { openSqliteIndex } from '../../../gateway/src/index/sqlite-store.js';
import { replayBlocks } from '../../../gateway/src/index/replay.js';
import { networkBlockSource } from '../../../gateway/src/index/block-source.js';
import type { Ledger } from '../../../gateway/src/fabric/ledger.js';

const target = resolve(__dirname, 'fixtures/bundle');

async function main(): Promise<void> {
  const net = new TestNetwork();
  try {
    await grantRole(net, 'operator', 'User1', 'recorder');
    await grantRole(net, 'regulator', 'User3', 'regulator');
    const a = lineageFixture('vfix-a');
    const b = lineageFixture('vfix-b');
    const lineage = net.contract('operator', 'User1', 'lineage');
    for (const f of [a, b]) {
      await submitJson(lineage, 'RegisterDatasetVersion', JSON.stringify(f.dataset));
      await submitJson(lineage, 'RegisterModelVersion', JSON.stringify(f.model));
    }
    const dec = net.contract('operator', 'User1', 'decisions');
    const batch = (id: string, modelId: string, n: number) => submitJson(dec, 'RecordDecisions', JSON.stringify({ batchId: `${id}-${runTag}`, decisions: decisions(modelId, n, id) }));
    // Two batches in one block (one not exported), then one more in the next.
    await Promise.all([batch('fix-a0', a.modelId, 4), batch('fix-b0', b.modelId, 2)]);
    await batch('fix-a1', a.modelId, 3);
    const network = net.gateway('regulator', 'User3').getNetwork('aiaudit');
    const index = openSqliteIndex(':memory:');
    await replayBlocks({ source: networkBlockSource(network), store: index, namespace: 'aiaudit' });
    const dir = mkdtempSync(join(tmpdir(), 'vfix-'));
    const ledger: Ledger = { submit: () => Promise.reject(new Error('unused')), evaluate: () => Promise.reject(new Error('unused')), close: () => undefined };
    const service = new ExportService({ dataDir: dir, channel: 'aiaudit', chaincode: 'aiaudit', blocksFor: () => qsccBlocks(network), index, ledger, logger: pino({ level: 'warn' }) });
    service.start();
    const job = service.request({ principalId: 'fixture', org: 'RegulatorOrgMSP', role: 'regulator', fabricUser: 'User3' }, { modelId: a.modelId }, undefined);
    for (let state = job.state; state !== 'done'; state = service.get(job.id)?.state ?? 'failed') {
      if (state === 'failed') throw new Error(`export failed: ${service.get(job.id)?.error}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const unpacked = join(dir, 'unpacked');
    cpSync(service.archivePath(job.id), `${unpacked}.tar.gz`);
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['xzf', `${unpacked}.tar.gz`, '-C', unpacked, '--strip-components=1']);
    rmSync(target, { recursive: true, force: true });
    cpSync(unpacked, target, { recursive: true });
    await service.close();
    rmSync(dir, { recursive: true, force: true });
    console.log(`fixture bundle written to ${target}`);
  } finally {
    net.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
