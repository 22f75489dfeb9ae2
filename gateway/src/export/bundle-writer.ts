// Writes a bundle folder as records are selected: each block fetched once, its records cut from its writes, then config blocks and manifest.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { keys } from '@aiaudit/chaincode/keys';
import {
  batchRecordSpans,
  blockPath,
  BUNDLE_FORMAT,
  configBlockPath,
  MANIFEST_DIGEST_FILE,
  MANIFEST_FILE,
  README_FILE,
  RECORDS_FILE,
  recordLine,
  type ExportFilter,
  type Manifest,
  type ManifestFile,
  type Span,
} from '@aiaudit/verifier';
import { decodeBlock, type DecodedBlock } from '../blocks/index.js';
import { HashedFile, writeHashed } from './hashed-file.js';
import { lastConfigOf, type ChaincodeDefinition, type LedgerBlocks } from './ledger-blocks.js';
import { bundleReadme } from './readme-text.js';
import type { BlockSelection, SelectedRecord } from './selection.js';

export interface BundleSpec {
  exportId: string;
  createdAt: string;
  requestedBy: { org: string; role: string };
  filter: ExportFilter;
  ownerMsp: string | undefined;
  channel: string;
  fabricVersion: string;
  chaincode: string;
  definition: ChaincodeDefinition | undefined;
  /** Channel height when the export started. */
  height: number;
  selectedBy: 'index' | 'chaincode';
  /** The archive's file name, for the README. */
  archiveName: string;
}

export interface BundleCounts {
  records: number;
  blocks: number;
  configBlocks: number;
  transactions: number;
}

export interface WrittenBundle {
  /** File names relative to the folder, in archive order. */
  files: string[];
  manifestSha256: string;
  counts: BundleCounts;
}

/** The ledger disagrees with the selection (e.g. an index row points at a write that is not there). */
export class BundleWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleWriteError';
  }
}

export interface WriteBundleOptions {
  onProgress?: (counts: BundleCounts, bytes: number) => void;
  signal?: AbortSignal;
}

export async function writeBundleDir(dir: string, spec: BundleSpec, selections: AsyncIterable<BlockSelection>, blocks: LedgerBlocks, options: WriteBundleOptions = {}): Promise<WrittenBundle> {
  await mkdir(join(dir, 'blocks'), { recursive: true });
  await mkdir(join(dir, 'config'), { recursive: true });
  const digests = new Map<string, ManifestFile>();
  const counts: BundleCounts = { records: 0, blocks: 0, configBlocks: 0, transactions: 0 };
  let bytes = 0;
  const keep = (path: string, digest: { sha256: string; bytes: number }): void => {
    digests.set(path, { path, ...digest });
    bytes += digest.bytes;
  };
  const configsInForce = new Set<number>();
  const records = new HashedFile(join(dir, RECORDS_FILE));
  try {
    for await (const { selection, block: fetching } of prefetched(selections, blocks)) {
      options.signal?.throwIfAborted();
      const raw = await fetching;
      const block = common.Block.deserializeBinary(raw);
      const decoded = decodeBlock(block);
      if (decoded.number !== selection.blockNumber) throw new BundleWriteError(`the peer answered block ${decoded.number} for block ${selection.blockNumber}`);
      configsInForce.add(lastConfigOf(block));
      keep(blockPath(decoded.number), await writeHashed(join(dir, blockPath(decoded.number)), raw));
      counts.blocks++;
      const txs = new Set<string>();
      const spans = new Map<string, { value: Uint8Array; spans: Span[] }>();
      for (const record of selection.records) {
        const { value, span } = locate(decoded, record, spec.chaincode, spans);
        await records.write(recordLine({ ...record, blockNumber: decoded.number }, value.subarray(span.start, span.end)));
        counts.records++;
        txs.add(record.txId);
      }
      counts.transactions += txs.size;
      options.onProgress?.(counts, bytes + records.bytes);
    }
    keep(RECORDS_FILE, await records.close());
  } catch (err) {
    records.abandon();
    throw err;
  }

  for (const number of await configChain(blocks, spec.height, configsInForce)) {
    options.signal?.throwIfAborted();
    keep(configBlockPath(number), await writeHashed(join(dir, configBlockPath(number)), await blocks.block(number)));
    counts.configBlocks++;
  }
  keep(README_FILE, await writeHashed(join(dir, README_FILE), Buffer.from(bundleReadme(spec))));

  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    exportId: spec.exportId,
    createdAt: spec.createdAt,
    requestedBy: spec.requestedBy,
    filter: spec.filter,
    ...(spec.ownerMsp === undefined ? {} : { ownerMsp: spec.ownerMsp }),
    fabric: { version: spec.fabricVersion, channel: spec.channel },
    chaincode: { name: spec.chaincode, ...spec.definition },
    ledger: { height: spec.height, selectedBy: spec.selectedBy },
    counts,
    files: [...digests.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  const manifestDigest = await writeHashed(join(dir, MANIFEST_FILE), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  await writeHashed(join(dir, MANIFEST_DIGEST_FILE), Buffer.from(`${manifestDigest.sha256}  ${MANIFEST_FILE}\n`));
  options.onProgress?.(counts, bytes + manifestDigest.bytes);
  const byNumber = (dirName: string) => [...digests.keys()].filter((p) => p.startsWith(`${dirName}/`)).sort((a, b) => numberOf(a) - numberOf(b));
  return {
    files: [README_FILE, MANIFEST_FILE, MANIFEST_DIGEST_FILE, RECORDS_FILE, ...byNumber('config'), ...byNumber('blocks')],
    manifestSha256: manifestDigest.sha256,
    counts,
  };
}

/** How many blocks are fetched ahead of the one being written (each is held in memory until written). */
const PREFETCH = 2;

/** The selections with their blocks' fetches started up to PREFETCH ahead, so the peer's answer overlaps the writing. */
async function* prefetched(selections: AsyncIterable<BlockSelection>, blocks: LedgerBlocks): AsyncGenerator<{ selection: BlockSelection; block: Promise<Uint8Array> }> {
  const queue: { selection: BlockSelection; block: Promise<Uint8Array> }[] = [];
  for await (const selection of selections) {
    const block = blocks.block(selection.blockNumber);
    // Awaited in order below; until then a failure must not count as unhandled.
    block.catch(() => undefined);
    queue.push({ selection, block });
    if (queue.length > PREFETCH) yield queue.shift() ?? { selection, block };
  }
  yield* queue;
}

const numberOf = (path: string): number => Number(/(\d+)\.block$/.exec(path)?.[1] ?? 0);

/** The bytes of a selected record: the batch write of its transaction, cut at its position. */
function locate(block: DecodedBlock, record: SelectedRecord, chaincode: string, cache: Map<string, { value: Uint8Array; spans: Span[] }>): { value: Uint8Array; span: Span } {
  const where = `block ${block.number} tx ${record.txIndex}`;
  const cacheKey = `${record.txIndex}/${record.batchId}`;
  let entry = cache.get(cacheKey);
  if (entry === undefined) {
    const tx = block.transactions[record.txIndex];
    if (tx === undefined || tx.txId !== record.txId) throw new BundleWriteError(`${where} is not transaction ${record.txId}`);
    if (!tx.valid) throw new BundleWriteError(`${where} (${record.txId}) is not VALID but ${tx.validation}`);
    const key = keys.batch(record.batchId);
    const write = tx.namespaces.find((ns) => ns.namespace === chaincode)?.writes.find((w) => w.key === key && !w.isDelete);
    if (write === undefined) throw new BundleWriteError(`${where} writes no batch ${record.batchId}`);
    entry = { value: write.value, spans: batchRecordSpans(write.value) };
    cache.set(cacheKey, entry);
  }
  const span = entry.spans[record.position];
  if (span === undefined) throw new BundleWriteError(`batch ${record.batchId} in ${where} has no position ${record.position}`);
  return { value: entry.value, span };
}

/**
 * The config blocks from the one in force at the channel's head back to the genesis block: each
 * config block k > 0 is found through block k−1's last-config index. Every block the records sit in
 * names one of them.
 */
async function configChain(blocks: LedgerBlocks, height: number, inForce: ReadonlySet<number>): Promise<number[]> {
  const chain: number[] = [];
  let current = lastConfigOf(common.Block.deserializeBinary(await blocks.block(height - 1)));
  for (;;) {
    chain.unshift(current);
    if (current === 0) break;
    current = lastConfigOf(common.Block.deserializeBinary(await blocks.block(current - 1)));
  }
  const missing = [...inForce].filter((n) => !chain.includes(n));
  if (missing.length > 0) throw new BundleWriteError(`config blocks ${missing.join(', ')} are not on the config chain of block ${height - 1}`);
  return chain;
}
