// An export taken from the real network verifies offline; each kind of tampering (and a forged endorsement) fails naming what broke.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FabricLedger } from '../../gateway/src/fabric/ledger-client.js';
import { ExportService } from '../../gateway/src/export/export-service.js';
import type { ExportJob } from '../../gateway/src/export/export-store.js';
import { qsccBlocks } from '../../gateway/src/export/ledger-blocks.js';
import { createLogger } from '../../gateway/src/logger.js';
import { readBundle } from '../../verifier/src/bundle/read-bundle.js';
import { runCli } from '../../verifier/src/cli.js';
import { parseBlock } from '../../verifier/src/fabric/block.js';
import { channelConfigOf } from '../../verifier/src/fabric/channel-config.js';
import { file, flipByte, offsetOf, recordLines, rehash, setRecordLines } from '../../verifier/src/testing/fixture.js';
import { forgeEndorsement } from '../../verifier/src/testing/tamper.js';
import { throwawayCa } from '../../verifier/src/testing/throwaway-ca.js';
import { grantRole, runTag, submitJson } from '../support/ledger.js';
import { TestNetwork } from '../support/network.js';
import { decisions, lineageFixture } from '../support/records.js';
import { repoRoot } from '../support/script.js';

const work = mkdtempSync(join(tmpdir(), 'aiaudit-verify-it-'));
const regulator = { principalId: 'it', org: 'RegulatorOrgMSP', role: 'regulator', fabricUser: 'User3' };

async function finished(service: ExportService, id: string): Promise<ExportJob> {
  for (let i = 0; i < 600; i++) {
    const job = service.get(id);
    if (job?.state === 'done' || job?.state === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`export ${id} did not finish`);
}

let counter = 0;
/** Writes a (tampered) bundle to a new folder and runs aiaudit-verify on it. */
async function verifyFiles(files: Map<string, Buffer>, ...flags: string[]): Promise<{ code: number; out: string }> {
  const dir = join(work, `bundle-${counter++}`);
  for (const [path, data] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  let out = '';
  const code = await runCli([dir, ...flags], { out: (t) => (out += t), err: (t) => (out += t) });
  return { code, out };
}

describe('export from the real network, verified offline', () => {
  const net = new TestNetwork();
  const ledger = new FabricLedger({ profile: net.profile, logger: createLogger('silent') });
  const service = new ExportService({
    dataDir: work,
    channel: net.profile.channel,
    chaincode: net.profile.chaincode,
    blocksFor: (signer) => qsccBlocks(ledger.network(signer)),
    ledger,
    logger: createLogger('silent'),
  });
  const a = lineageFixture('verify-a');
  const b = lineageFixture('verify-b');
  let jobA: ExportJob;
  let filesA: Map<string, Buffer>;
  let filesB: Map<string, Buffer>;

  beforeAll(async () => {
    await grantRole(net, 'operator', 'User1', 'recorder');
    await grantRole(net, 'regulator', 'User3', 'regulator');
    const lineage = net.contract('operator', 'User1', 'lineage');
    for (const f of [a, b]) {
      await submitJson(lineage, 'RegisterDatasetVersion', JSON.stringify(f.dataset));
      await submitJson(lineage, 'RegisterModelVersion', JSON.stringify(f.model));
    }
    const contract = net.contract('operator', 'User1', 'decisions');
    const batch = (name: string, modelId: string, n: number) =>
      submitJson(contract, 'RecordDecisions', JSON.stringify({ batchId: `${name}-${runTag}`, decisions: decisions(modelId, n, name) }));
    await Promise.all([batch('va0', a.modelId, 25), batch('va1', a.modelId, 25), batch('vb0', b.modelId, 5)]);
    await batch('va2', a.modelId, 25);
    service.start();
    jobA = await finished(service, service.request(regulator, { modelId: a.modelId, modelVersion: '1.0.0' }, undefined).id);
    const jobB = await finished(service, service.request(regulator, { modelId: b.modelId, modelVersion: '1.0.0' }, undefined).id);
    expect(jobA).toMatchObject({ state: 'done', records: 75 });
    expect(jobB).toMatchObject({ state: 'done', records: 5 });
    filesA = new Map((await readBundle(service.archivePath(jobA.id))).files);
    filesB = new Map((await readBundle(service.archivePath(jobB.id))).files);
  });

  afterAll(async () => {
    await service.close();
    ledger.close();
    net.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('verifies with the aiaudit-verify command, pinned to the manifest digest the export reported', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'verifier/src/cli.ts', service.archivePath(jobA.id), '--manifest-sha256', jobA.manifestSha256 ?? ''], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^VERIFIED: 75 records in \d+ blocks and 3 transactions/m);
    expect(run.stdout).toMatch(/endorsements satisfy \/Channel\/Application\/Endorsement/);
  });

  const firstAnchor = (files: Map<string, Buffer>): { blockNumber: number; txIndex: number } => JSON.parse(recordLines(files)[0] ?? '{}');
  const firstBlockPath = (files: Map<string, Buffer>): string => `blocks/${firstAnchor(files).blockNumber}.block`;

  const cases: { name: string; tamper: (files: Map<string, Buffer>) => void; expected: RegExp[] }[] = [
    {
      name: 'one byte of a record',
      tamper: (f) => flipByte(f, 'records.ndjson', offsetOf(f, 'records.ndjson', '"inputSha256":"') + 15),
      expected: [/record va\d-\w+-0: bytes differ from write in tx [0-9a-f]{16}… block \d+/, /records.ndjson: SHA-256 differs from the manifest/],
    },
    {
      name: "one byte of a block's data",
      tamper: (f) => flipByte(f, firstBlockPath(f), offsetOf(f, firstBlockPath(f), '"recordedBy":"') + 20),
      expected: [/block \d+: data hash mismatch/],
    },
    {
      name: "one byte of the orderer's signature",
      tamper: (f) => {
        const path = firstBlockPath(f);
        flipByte(f, path, offsetOf(f, path, parseBlock(file(f, path)).signatures[0]?.signature ?? new Uint8Array()) + 12);
        rehash(f);
      },
      expected: [/block \d+: orderer signature invalid \(by orderer0\.orderer\.aiaudit\.local \(OrdererMSP\)\)/],
    },
    {
      name: 'one byte of a CA certificate in the config block',
      tamper: (f) => {
        // A line from the middle of the operator org's root CA certificate (PEM inside the MSP config).
        const root = channelConfigOf(parseBlock(file(f, 'config/0.block'))).msps.get('OperatorOrgMSP')?.roots[0]?.toString() ?? '';
        flipByte(f, 'config/0.block', offsetOf(f, 'config/0.block', root.split('\n')[4] ?? '-') + 10);
        rehash(f);
      },
      expected: [
        /config block 0: data hash mismatch/,
        /config block 0: OperatorOrgMSP root certificate 0 .*(cannot be parsed|is not a valid self-signed CA certificate)/,
        /endorsement by OperatorOrgMSP: certificate not issued by any channel CA/,
      ],
    },
    {
      name: 'one byte of the manifest',
      tamper: (f) => flipByte(f, 'manifest.json', offsetOf(f, 'manifest.json', '"exportId": "') + 20),
      expected: [/manifest.json: SHA-256 differs from manifest.sha256 \(the manifest was changed\)/],
    },
    {
      name: 'a dropped block',
      tamper: (f) => {
        f.delete(firstBlockPath(f));
        rehash(f);
      },
      expected: [/record va\d-\w+-0: block \d+ is not in the bundle/],
    },
    {
      name: 'reordered records',
      tamper: (f) => {
        const lines = recordLines(f);
        setRecordLines(f, [...lines].reverse());
        rehash(f);
      },
      expected: [/out of ledger order/],
    },
    {
      name: 'a record substituted from another export',
      tamper: (f) => {
        setRecordLines(f, [recordLines(filesB)[0] ?? '', ...recordLines(f).slice(1)]);
        rehash(f);
      },
      expected: [/record vb0-\w+-0: does not match the export's filter \(modelId is "model-verify-b-\w+", not "model-verify-a-\w+"\)/, /decision va\d-\w+-0 at block \d+ .* is missing from records.ndjson/],
    },
  ];

  it.each(cases)('fails on $name, naming it', async ({ tamper, expected }) => {
    const files = new Map(filesA);
    tamper(files);
    const { code, out } = await verifyFiles(files);
    expect(code).toBe(1);
    expect(out).toMatch(/^FAILED: /m);
    for (const pattern of expected) expect(out).toMatch(pattern);
  });

  it('fails a bundle whose transaction is endorsed by an org that is not on the channel', async () => {
    const files = new Map(filesA);
    const { txIndex } = firstAnchor(files);
    const signer = throwawayCa('evil.example').issue('peer0.evil.example');
    files.set(firstBlockPath(files), forgeEndorsement(file(files, firstBlockPath(files)), txIndex, 1, signer, 'EvilOrgMSP'));
    rehash(files);
    const { code, out } = await verifyFiles(files);
    expect(code).toBe(1);
    expect(out).toMatch(/endorsement by EvilOrgMSP: EvilOrgMSP is not an organisation of the channel/);
    expect(out).toMatch(/endorsements do not satisfy \/Channel\/Application\/Endorsement \(MAJORITY Endorsement: 1 of 2 satisfied, 2 needed/);
    const json = await verifyFiles(files, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out);
    expect(report.records.filter((r: { ok: boolean }) => !r.ok).length).toBeGreaterThanOrEqual(25);
  });
});
