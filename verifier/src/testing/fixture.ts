// Test-only: the fixture bundle (blocks from the real local network: public certificates and test records only) and ways to alter it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Bundle } from '../bundle/read-bundle.js';
import { MANIFEST_DIGEST_FILE, MANIFEST_FILE } from '../bundle/layout.js';

export const FIXTURE_DIR = join(__dirname, 'fixtures', 'bundle');

/** A fresh, mutable copy of the fixture bundle's files. */
export function fixtureFiles(): Map<string, Buffer> {
  const entries = readdirSync(FIXTURE_DIR, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(entries.map((e) => {
    const path = join(e.parentPath, e.name);
    return [relative(FIXTURE_DIR, path).split(sep).join('/'), readFileSync(path)];
  }));
}

export const bundleOf = (files: Map<string, Buffer>): Bundle => ({ source: 'fixture', kind: 'directory', files });

export function file(files: Map<string, Buffer>, path: string): Buffer {
  const data = files.get(path);
  if (data === undefined) throw new Error(`the fixture has no ${path}`);
  return data;
}

/** The fixture's data block numbers, ascending. */
export const blockNumbers = (files: Map<string, Buffer>): number[] =>
  [...files.keys()].flatMap((p) => /^blocks\/(\d+)\.block$/.exec(p)?.[1] ?? []).map(Number).sort((a, b) => a - b);

/** Flips one bit of the byte at `offset` (a copy; the map is updated). */
export function flipByte(files: Map<string, Buffer>, path: string, offset: number): void {
  const data = Buffer.from(file(files, path));
  data[offset] = (data[offset] ?? 0) ^ 0x01;
  files.set(path, data);
}

/** Offset of `needle` in a file (throws when absent), optionally the n-th occurrence. */
export function offsetOf(files: Map<string, Buffer>, path: string, needle: Uint8Array | string, occurrence = 0): number {
  const data = file(files, path);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = data.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`${path} does not hold the bytes looked for`);
  }
  return at;
}

/** What a careful forger would do after altering files: rewrite the manifest's hashes and manifest.sha256 to match. */
export function rehash(files: Map<string, Buffer>): void {
  const manifest: { files: { path: string; sha256: string; bytes: number }[] } = JSON.parse(file(files, MANIFEST_FILE).toString('utf8'));
  manifest.files = manifest.files.filter((f) => files.has(f.path)).map((f) => {
    const data = file(files, f.path);
    return { path: f.path, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
  });
  const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  files.set(MANIFEST_FILE, text);
  files.set(MANIFEST_DIGEST_FILE, Buffer.from(`${createHash('sha256').update(text).digest('hex')}  ${MANIFEST_FILE}\n`));
}

/** Edits manifest.json as JSON (then `rehash` to make it self-consistent). */
export function editManifest(files: Map<string, Buffer>, edit: (manifest: Record<string, unknown>) => void): void {
  const manifest: Record<string, unknown> = JSON.parse(file(files, MANIFEST_FILE).toString('utf8'));
  edit(manifest);
  files.set(MANIFEST_FILE, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
}

/** records.ndjson as lines (without the final newline) and back. */
export const recordLines = (files: Map<string, Buffer>): string[] => file(files, 'records.ndjson').toString('utf8').trimEnd().split('\n');
export const setRecordLines = (files: Map<string, Buffer>, lines: readonly string[]): void => {
  files.set('records.ndjson', Buffer.from(`${lines.join('\n')}\n`));
};
