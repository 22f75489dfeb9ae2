// The command line: exit 0 only when verified, 1 on any failed check, 2 for usage errors and unreadable bundles; --json is the report.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { FIXTURE_DIR } from './testing/fixture.js';

const work = mkdtempSync(join(tmpdir(), 'aiaudit-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('aiaudit-verify', () => {
  it('prints a summary and exits 0 for an intact bundle', async () => {
    const { code, out } = await run(FIXTURE_DIR);
    expect(code).toBe(0);
    expect(out).toMatch(/^VERIFIED: 7 records in 2 blocks and 2 transactions/m);
    expect(out).toMatch(/trust anchor: config block 0/);
  });

  it('exits 1 and names what broke; --json carries every problem and record', async () => {
    const copy = join(work, 'tampered');
    cpSync(FIXTURE_DIR, copy, { recursive: true });
    writeFileSync(join(copy, 'records.ndjson'), '');
    const human = await run(copy);
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/^FAILED: /m);
    expect(human.out).toMatch(/records.ndjson: SHA-256 differs from the manifest/);
    const json = await run(copy, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({ check: 'record', message: 'records.ndjson holds 0 records, the manifest says 7' });
  });

  it('exits 2 on usage errors and unreadable bundles', async () => {
    expect((await run()).code).toBe(2);
    expect((await run(FIXTURE_DIR, '--manifest-sha256', 'xyz')).code).toBe(2);
    expect((await run(FIXTURE_DIR, '--bogus')).code).toBe(2);
    const missing = await run(join(work, 'missing'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read/);
  });
});
