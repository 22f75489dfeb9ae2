// Writing a bundle folder from selected records: byte-exact records from the blocks, each block fetched once, the result verifies.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBundle, verifyBundle } from '@aiaudit/verifier';
import { fixtureBlocks, fixtureIndex } from '../../../verifier/src/testing/fixture-ledger.js';
import { FIXTURE_DIR } from '../../../verifier/src/testing/fixture.js';
import { BundleWriteError, writeBundleDir, type BundleSpec } from './bundle-writer.js';
import { indexSelection, type BlockSelection } from './selection.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'aiaudit-bundle-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const index = fixtureIndex();
const spec = (height: number): BundleSpec => ({
  exportId: 'exp-test',
  createdAt: '2025-01-01T00:00:00.000Z',
  requestedBy: { org: 'RegulatorOrgMSP', role: 'regulator' },
  filter: { modelId: index.modelId },
  ownerMsp: undefined,
  channel: 'aiaudit',
  fabricVersion: 'v3.1.5',
  chaincode: 'aiaudit',
  definition: { version: '1', sequence: 1, endorsementPolicy: '/Channel/Application/Endorsement' },
  height,
  selectedBy: 'index',
  archiveName: 'x.tar.gz',
});

async function* only(selections: BlockSelection[]): AsyncGenerator<BlockSelection> {
  yield* selections;
}

describe('writeBundleDir', () => {
  it('writes the records with the ledger bytes, every block once, the config chain and a manifest that verifies', async () => {
    const blocks = fixtureBlocks();
    const height = await blocks.height();
    const dir = tempDir();
    const written = await writeBundleDir(dir, spec(height), indexSelection(index, { filter: { modelId: index.modelId }, ownerMsp: undefined, throughBlock: height - 1 }), blocks);
    expect(written.counts).toEqual({ records: 7, blocks: 2, configBlocks: 1, transactions: 2 });
    expect(readFileSync(join(dir, 'records.ndjson'))).toEqual(readFileSync(join(FIXTURE_DIR, 'records.ndjson')));
    expect(written.files.slice(0, 4)).toEqual(['README.txt', 'manifest.json', 'manifest.sha256', 'records.ndjson']);
    const dataBlocks = blocks.fetched.filter((n) => n !== 0 && n !== height - 1);
    expect(new Set(dataBlocks).size).toBe(dataBlocks.length);
    const report = verifyBundle(await readBundle(dir));
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('stops at the first record the ledger does not hold where the selection says', async () => {
    const blocks = fixtureBlocks();
    const height = await blocks.height();
    const [row] = index.rows;
    const base = { decisionId: row!.decisionId, txId: row!.anchor.txId, txIndex: row!.anchor.txIndex, batchId: row!.anchor.batchId, position: 0 };
    const blockNumber = row!.anchor.blockNumber;
    await expect(writeBundleDir(tempDir(), spec(height), only([{ blockNumber, records: [{ ...base, txId: 'f'.repeat(64) }] }]), blocks)).rejects.toThrow(BundleWriteError);
    await expect(writeBundleDir(tempDir(), spec(height), only([{ blockNumber, records: [{ ...base, position: 99 }] }]), blocks)).rejects.toThrow(/has no position 99/);
    await expect(writeBundleDir(tempDir(), spec(height), only([{ blockNumber, records: [{ ...base, batchId: 'other' }] }]), blocks)).rejects.toThrow(/writes no batch other/);
  });
});
