// Reading bundles: a folder, an extracted archive's folder, a .tar.gz made by GNU tar; damaged archives are refused.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { file, FIXTURE_DIR, fixtureFiles } from '../testing/fixture.js';
import { verifyBundlePath } from '../verify.js';
import { BundleReadError, readBundle, readBundleHashed } from './read-bundle.js';
import { TarError, TarReader } from './tar-reader.js';

const work = mkdtempSync(join(tmpdir(), 'aiaudit-read-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('readBundle', () => {
  const expected = fixtureFiles();

  it('reads the folder holding manifest.json', async () => {
    const bundle = await readBundle(FIXTURE_DIR);
    expect(bundle.kind).toBe('directory');
    expect(new Map(bundle.files)).toEqual(expected);
  });

  it('reads a .tar.gz whose files sit in one top folder, and that folder once extracted', async () => {
    const archive = join(work, 'bundle.tar.gz');
    execFileSync('tar', ['czf', archive, '-C', join(FIXTURE_DIR, '..'), '--transform', 's,^bundle,aiaudit-export-x,', 'bundle']);
    const bundle = await readBundle(archive);
    expect(bundle.kind).toBe('archive');
    expect(new Map(bundle.files)).toEqual(expected);
    // Inflated into one buffer sized by the gzip trailer: every file is a view of it, none a copy.
    expect(new Set([...bundle.files.values()].map((data) => data.buffer)).size).toBe(1);
    const extracted = join(work, 'extracted');
    execFileSync('mkdir', ['-p', extracted]);
    execFileSync('tar', ['xzf', archive, '-C', extracted]);
    expect(new Map((await readBundle(extracted)).files)).toEqual(expected);
  });

  it('reads a gzip of several members, whose trailer states only the last one’s size (the output then comes in pieces)', async () => {
    const tar = execFileSync('tar', ['cf', '-', '-C', FIXTURE_DIR, '.']);
    const archive = join(work, 'members.tar.gz');
    writeFileSync(archive, Buffer.concat([gzipSync(tar.subarray(0, 5000)), gzipSync(tar.subarray(5000, 9000)), gzipSync(tar.subarray(9000))]));
    expect(new Map((await readBundle(archive)).files)).toEqual(expected);
    const { sha256 } = await readBundleHashed(archive);
    expect(sha256?.get('records.ndjson')).toEqual(createHash('sha256').update(file(expected, 'records.ndjson')).digest());
    expect((await verifyBundlePath(archive)).ok).toBe(true);
  });

  it('refuses a missing path, a file that is not gzip, and a truncated archive', async () => {
    await expect(readBundle(join(work, 'nope'))).rejects.toThrow(BundleReadError);
    writeFileSync(join(work, 'plain.tar.gz'), 'not gzip');
    await expect(readBundle(join(work, 'plain.tar.gz'))).rejects.toThrow(/not a readable .tar.gz bundle/);
    const archive = join(work, 'bundle.tar.gz');
    execFileSync('tar', ['czf', archive, '-C', FIXTURE_DIR, '.']);
    writeFileSync(join(work, 'short.tar.gz'), readFileSync(archive).subarray(0, 3000));
    await expect(readBundle(join(work, 'short.tar.gz'))).rejects.toThrow(BundleReadError);
  });
});

describe('TarReader', () => {
  it('refuses a header whose checksum does not match, and paths leaving the bundle', () => {
    const tar = execFileSync('tar', ['cf', '-', '-C', FIXTURE_DIR, 'manifest.json']);
    const damaged = Buffer.from(tar);
    damaged[10] = (damaged[10] ?? 0) ^ 1;
    expect(() => new TarReader().push(damaged)).toThrow(TarError);
    const escaping = execFileSync('tar', ['cf', '-', '-P', '--transform', 's,^,../,', '-C', FIXTURE_DIR, 'manifest.json']);
    const reader = new TarReader();
    expect(() => reader.push(escaping)).toThrow(/refusing the path/);
  });

  it('reads entries fed in chunks of any size', () => {
    const tar = execFileSync('tar', ['cf', '-', '-C', FIXTURE_DIR, 'manifest.json', 'records.ndjson']);
    const reader = new TarReader();
    for (let at = 0; at < tar.length; at += 7) reader.push(tar.subarray(at, at + 7));
    expect(reader.finish().get('records.ndjson')).toEqual(fixtureFiles().get('records.ndjson'));
  });

  it('makes files views of chunks that continue each other in memory, and copies of chunks that do not', () => {
    const tar = execFileSync('tar', ['cf', '-', '-C', FIXTURE_DIR, 'manifest.json', 'records.ndjson']);
    const views = new TarReader();
    for (let at = 0; at < tar.length; at += 700) views.push(tar.subarray(at, at + 700));
    const copies = new TarReader();
    for (let at = 0; at < tar.length; at += 700) copies.push(Buffer.from(tar.subarray(at, at + 700)));
    for (const reader of [views, copies]) expect(reader.finish().get('records.ndjson')).toEqual(fixtureFiles().get('records.ndjson'));
    expect(views.files.get('records.ndjson')?.buffer).toBe(tar.buffer);
    expect(copies.files.get('records.ndjson')?.buffer).not.toBe(tar.buffer);
  });

  it('hashes each file as it arrives: the digests are those of the bytes read, whole chunks or split ones', () => {
    const tar = execFileSync('tar', ['cf', '-', '-C', FIXTURE_DIR, 'manifest.json', 'records.ndjson']);
    for (const size of [7, tar.length]) {
      const reader = new TarReader({ sha256: true });
      for (let at = 0; at < tar.length; at += size) reader.push(tar.subarray(at, at + size));
      const files = reader.finish();
      expect([...reader.sha256.keys()]).toEqual([...files.keys()]);
      for (const [path, data] of files) expect(reader.sha256.get(path)).toEqual(createHash('sha256').update(data).digest());
    }
  });
});

describe('verifyBundlePath on an archive (file digests taken while unpacking)', () => {
  it('accepts the fixture archive and fails one whose records.ndjson changed by one byte', async () => {
    const good = join(work, 'good.tar.gz');
    execFileSync('tar', ['czf', good, '-C', FIXTURE_DIR, '.']);
    expect((await readBundleHashed(good)).sha256?.get('manifest.json')).toEqual(createHash('sha256').update(fixtureFiles().get('manifest.json') ?? '').digest());
    expect((await verifyBundlePath(good)).ok).toBe(true);
    const folder = join(work, 'changed');
    execFileSync('cp', ['-r', FIXTURE_DIR, folder]);
    const records = readFileSync(join(folder, 'records.ndjson'));
    const at = records.indexOf('"confidence":') + 14;
    records[at] = (records[at] ?? 0) ^ 1;
    writeFileSync(join(folder, 'records.ndjson'), records);
    const bad = join(work, 'bad.tar.gz');
    execFileSync('tar', ['czf', bad, '-C', folder, '.']);
    const report = await verifyBundlePath(bad);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({ check: 'manifest', message: 'records.ndjson: SHA-256 differs from the manifest' });
  });
});
