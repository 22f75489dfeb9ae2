// Paged reads over composite-key indexes: opaque bookmarks and a filtered page collector.
import { z } from 'zod';
import { canonicalJson } from '../domain/canonical-json.js';
import { invalidArgument } from '../domain/errors.js';
import { splitKey, type KeyType } from './keys.js';
import type { Stub } from './stub.js';

/** Where a paged read resumes: Fabric's bookmark, and for day-bucketed scans the day it is in. */
const Cursor = z.strictObject({ b: z.string(), d: z.string().optional() });
export type Cursor = z.output<typeof Cursor>;

/** Bookmarks cross the API as base64url of canonical JSON, so Fabric's raw key never leaks into URLs. */
export function encodeCursor(cursor: Cursor | undefined): string {
  return cursor === undefined ? '' : Buffer.from(canonicalJson(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(bookmark: string): Cursor | undefined {
  if (bookmark === '') return undefined;
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the refusal
  }
  throw invalidArgument('bookmark', 'is not a bookmark returned by this query');
}

export interface IndexEntry {
  key: string;
  attributes: string[];
  value: Uint8Array;
}

export type Verdict = 'take' | 'skip' | 'stop';

export interface Collected {
  entries: IndexEntry[];
  /** Fabric bookmark to resume from; '' when the range is exhausted or the scan was stopped. */
  bookmark: string;
  /** True when `judge` said stop: nothing further in this range (or later ranges) matches. */
  stopped: boolean;
}

/**
 * Reads index entries under a partial composite key, page by page, until `want` entries
 * were taken, the range ends, `judge` says stop, or `maxScanned` entries were looked at.
 * Each page asks only for what is still wanted, so every fetched entry is judged and the
 * returned bookmark resumes exactly after the last one.
 */
export async function collect(
  stub: Stub,
  type: KeyType,
  prefix: readonly string[],
  want: number,
  startBookmark: string,
  judge: (entry: IndexEntry) => Verdict,
  maxScanned = want * 20,
): Promise<Collected> {
  const entries: IndexEntry[] = [];
  let bookmark = startBookmark;
  let scanned = 0;
  while (entries.length < want && scanned < maxScanned) {
    const asked = want - entries.length;
    const { iterator, metadata } = await stub.getStateByPartialCompositeKeyWithPagination(type, [...prefix], asked, bookmark);
    let fetched = 0;
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        fetched++;
        scanned++;
        const entry: IndexEntry = { key: next.value.key, attributes: splitKey(next.value.key)?.attributes ?? [], value: next.value.value };
        const verdict = judge(entry);
        if (verdict === 'stop') return { entries, bookmark: '', stopped: true };
        if (verdict === 'take') entries.push(entry);
      }
    } finally {
      await iterator.close();
    }
    if (fetched < asked || metadata.bookmark === '') return { entries, bookmark: '', stopped: false };
    bookmark = metadata.bookmark;
  }
  return { entries, bookmark, stopped: false };
}

/** Every entry under a partial composite key (for small, bounded sets such as one decision's oversight). */
export async function listAll(stub: Stub, type: KeyType, prefix: readonly string[], limit = 1000): Promise<IndexEntry[]> {
  const entries: IndexEntry[] = [];
  const iterator = await stub.getStateByPartialCompositeKey(type, [...prefix]);
  try {
    for (let next = await iterator.next(); !next.done && entries.length < limit; next = await iterator.next()) {
      entries.push({ key: next.value.key, attributes: splitKey(next.value.key)?.attributes ?? [], value: next.value.value });
    }
  } finally {
    await iterator.close();
  }
  return entries;
}
