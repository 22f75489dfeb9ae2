// Loads a bundle from its directory or its .tar.gz (.tgz) archive into memory: relative path → bytes.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { MANIFEST_FILE } from './layout.js';
import { TarReader } from './tar-reader.js';

export interface Bundle {
  /** The path given, for the report. */
  readonly source: string;
  readonly kind: 'directory' | 'archive';
  /** Every file of the bundle by its path relative to the bundle root (`records.ndjson`, `blocks/42.block`, …). */
  readonly files: ReadonlyMap<string, Buffer>;
}

export class BundleReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BundleReadError';
  }
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
}

/**
 * A bundle is read from the folder holding manifest.json, or from a folder whose only entry is
 * such a folder (an extracted archive), or from a gzip-compressed tar of either layout.
 */
export async function readBundle(path: string): Promise<Bundle> {
  return (await readBundleHashed(path, false)).bundle;
}

/**
 * readBundle that also returns, for an archive, each file's SHA-256 computed while it was being
 * unpacked (undefined for a directory). Only for a caller that checks the files right away: the
 * digests describe the bytes as read, not whatever the map holds later.
 */
export async function readBundleHashed(path: string, hash = true): Promise<{ bundle: Bundle; sha256: ReadonlyMap<string, Buffer> | undefined }> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new BundleReadError(`cannot read ${path}`, { cause: err });
  }
  if (info.isDirectory()) {
    let root = path;
    let names = await listFiles(root);
    const top = new Set(names.map((n) => n.split('/')[0]));
    if (!names.includes(MANIFEST_FILE) && top.size === 1) {
      const [only = ''] = top;
      root = join(path, only);
      names = await listFiles(root);
    }
    const files = new Map<string, Buffer>();
    for (const name of names) files.set(name, await readFile(join(root, name)));
    return { bundle: { source: path, kind: 'directory', files }, sha256: undefined };
  }
  const tar = await readArchive(path, hash);
  const files = stripTopFolder(tar.files);
  return { bundle: { source: path, kind: 'archive', files }, sha256: hash ? stripTopFolder(tar.sha256) : undefined };
}

async function readArchive(path: string, hash: boolean): Promise<TarReader> {
  const tar = new TarReader({ sha256: hash });
  try {
    const compressed = await readFile(path);
    for await (const chunk of inflate(compressed)) tar.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    tar.finish();
    return tar;
  } catch (err) {
    throw new BundleReadError(`${path} is not a readable .tar.gz bundle: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Deflate expands at most about 1032 to 1: a size hint beyond that is not believed. */
const MAX_RATIO = 1032;
/** Compressed bytes per write: each inflates on the thread pool while the main thread hashes the previous one's output. */
const SLICE = 1 << 15;

/**
 * A gunzip stream over the whole archive. Its output buffer is sized from the gzip trailer's ISIZE (the
 * unpacked size mod 2^32), so every chunk it hands out continues the previous one in one buffer and the
 * tar entries are views of it, not copies; a wrong hint only costs copies.
 */
function inflate(compressed: Buffer): AsyncIterable<unknown> {
  const stated = compressed.length >= 18 ? compressed.readUInt32LE(compressed.length - 4) : 0;
  const gunzip = createGunzip({ chunkSize: Math.max(Math.min(stated + 1, compressed.length * MAX_RATIO), 1 << 16) });
  for (let at = 0; at < compressed.length; at += SLICE) gunzip.write(compressed.subarray(at, at + SLICE));
  gunzip.end();
  return gunzip;
}

/** `aiaudit-export-x/manifest.json` → `manifest.json` when every entry sits in that one folder. */
function stripTopFolder(files: Map<string, Buffer>): Map<string, Buffer> {
  if (files.has(MANIFEST_FILE)) return files;
  const tops = new Set([...files.keys()].map((name) => name.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || top === undefined || !files.has(`${top}/${MANIFEST_FILE}`)) return files;
  return new Map([...files].map(([name, data]) => [name.slice(top.length + 1), data]));
}
