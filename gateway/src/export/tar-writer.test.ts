// The tar writer: GNU tar and the verifier read its archives back byte for byte; long paths use the ustar prefix.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundle } from '@aiaudit/verifier';
import { tarHeader, writeTarGz } from './tar-writer.js';

const work = mkdtempSync(join(tmpdir(), 'aiaudit-tar-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('writeTarGz', () => {
  const dir = join(work, 'in');
  const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
  mkdirSync(join(dir, deep), { recursive: true });
  mkdirSync(join(dir, 'blocks'));
  const files: Record<string, Buffer> = {
    'manifest.json': Buffer.from('{"a":1}\n'),
    'blocks/1.block': Buffer.alloc(1_000, 7),
    'empty.txt': Buffer.alloc(0),
    [`${deep}/long-name.bin`]: Buffer.from('x'.repeat(513)),
  };
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);

  it('writes an archive GNU tar lists and the verifier reads back exactly, and reports its digest', async () => {
    const out = join(work, 'out.tar.gz');
    const result = await writeTarGz(dir, Object.keys(files), 'root', out, 1_700_000_000);
    expect(result.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    expect(result.bytes).toBe(readFileSync(out).length);
    const listed = execFileSync('tar', ['tzf', out], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(Object.keys(files).map((n) => `root/${n}`));
    const bundle = await readBundle(out);
    // The one top folder holding manifest.json is the bundle's root.
    expect(Object.fromEntries(bundle.files)).toEqual(files);
  });

  it('refuses a path that fits no ustar header', () => {
    expect(() => tarHeader(`${'x'.repeat(101)}`, 0, 0)).toThrow(/too long for ustar/);
  });
});
