import { describe, expect, it } from 'vitest';
import { batchBlockBytes, record } from '../../../test/support/index-store-contract.js';
import { decodeBlock } from '../blocks/index.js';
import type { BlockSource, BlockStream } from './block-source.js';
import { chainIdOf, compareChain } from './chain-id.js';
import { checkIndex, reindex } from './cli.js';
import { BlockFollower } from './follower.js';
import { rowsOfBlock } from './rows.js';
import { openSqliteIndex } from './sqlite-store.js';

const CHAIN_A = 'aa'.repeat(32);
const CHAIN_B = 'bb'.repeat(32);

const rowsOf = (bytes: Uint8Array) => rowsOfBlock(decodeBlock(bytes), 'aiaudit');

/** A chain of synthetic blocks whose block 0 carries `genesisHash`; block n holds one batch of decisions `${prefix}-n`. */
function chain(genesisHash: string, prefix: string, length: number): Uint8Array[] {
  return Array.from({ length }, (_, n) => batchBlockBytes(n, [{ batchId: `${prefix}-batch-${n}`, records: [record(`${prefix}-${n}`)] }], n === 0 ? genesisHash : undefined));
}

/** Serves `blocks`; a stream waits (until closed) after the last one, as a peer's does. */
function listBlockSource(blocks: readonly Uint8Array[]): BlockSource & { starts: number[] } {
  const starts: number[] = [];
  return {
    starts,
    async blocks(start): Promise<BlockStream> {
      starts.push(start);
      let closed = false;
      let wake: (() => void) | undefined;
      return {
        async *[Symbol.asyncIterator]() {
          for (let n = start; n < blocks.length && !closed; n++) yield blocks[n] ?? new Uint8Array();
          if (!closed) await new Promise<void>((resolve) => (wake = resolve));
        },
        close() {
          closed = true;
          wake?.();
        },
      };
    },
    height: async () => blocks.length,
    close: () => undefined,
  };
}

function recordingLogger() {
  const warnings: { fields: unknown; message: string }[] = [];
  const ignore = () => undefined;
  const logger = { info: ignore, error: ignore, debug: ignore, warn: (fields: unknown, message: string) => void warnings.push({ fields, message }) };
  return { logger: logger as unknown as ConstructorParameters<typeof BlockFollower>[0]['logger'], warnings };
}

function captureIo() {
  const out: string[] = [];
  return { out, io: { out: (line: string) => void out.push(line), err: () => undefined, tty: false } };
}

describe('chain identity', () => {
  it('is the data hash of block 0, and nothing for other blocks or a block 0 without one', () => {
    expect(chainIdOf(decodeBlock(batchBlockBytes(0, [], CHAIN_A)))).toBe(CHAIN_A);
    expect(chainIdOf(decodeBlock(batchBlockBytes(1, [], CHAIN_A)))).toBeUndefined();
    expect(chainIdOf(decodeBlock(batchBlockBytes(0, [])))).toBeUndefined();
  });

  it('an index of another chain is detected at start, logged, dropped and rebuilt from block 0', async () => {
    const store = openSqliteIndex(':memory:');
    const old = listBlockSource(chain(CHAIN_A, 'old', 3));
    const first = new BlockFollower({ source: old, store, namespace: 'aiaudit', logger: recordingLogger().logger });
    await first.start();
    expect(await first.waitForBlock(2, 2_000)).toBe(true);
    await first.stop();
    expect(await store.chainId()).toBe(CHAIN_A);

    const recreated = listBlockSource(chain(CHAIN_B, 'new', 2));
    const { logger, warnings } = recordingLogger();
    const second = new BlockFollower({ source: recreated, store, namespace: 'aiaudit', logger });
    await second.start();
    expect(second.lastBlock).toBeUndefined();
    expect(await second.waitForBlock(1, 2_000)).toBe(true);
    await second.stop();

    expect(warnings).toEqual([{ fields: { indexChain: CHAIN_A, ledgerChain: CHAIN_B, indexedThrough: 2 }, message: expect.stringMatching(/built from another chain.*rebuilding from block 0/) }]);
    expect(await store.chainId()).toBe(CHAIN_B);
    expect(await store.stats()).toEqual({ lastBlock: 1, batches: 2, decisions: 2, events: 2 });
    expect(await store.findDecision('old-1')).toEqual([]);
    expect((await store.findDecision('new-1')).map((d) => d.anchor.batchId)).toEqual(['new-batch-1']);
  });

  it('an index of the same chain is kept and followed from its checkpoint', async () => {
    const store = openSqliteIndex(':memory:');
    const blocks = chain(CHAIN_A, 'same', 4);
    const source = listBlockSource(blocks.slice(0, 2));
    const first = new BlockFollower({ source, store, namespace: 'aiaudit', logger: recordingLogger().logger });
    await first.start();
    await first.waitForBlock(1, 2_000);
    await first.stop();

    const grown = listBlockSource(blocks);
    const { logger, warnings } = recordingLogger();
    const second = new BlockFollower({ source: grown, store, namespace: 'aiaudit', logger });
    await second.start();
    expect(await second.waitForBlock(3, 2_000)).toBe(true);
    await second.stop();
    expect(warnings).toEqual([]);
    expect(grown.starts).toEqual([0, 2]);
    expect(await store.stats()).toMatchObject({ lastBlock: 3, decisions: 4 });
  });

  it('index:check reports an index of another chain (exit 1) until reindex rebuilds it', async () => {
    const store = openSqliteIndex(':memory:');
    for (const bytes of chain(CHAIN_A, 'old', 3)) await store.applyBlock(rowsOf(bytes));
    const source = listBlockSource(chain(CHAIN_B, 'new', 2));
    expect(await compareChain(store, source)).toEqual({ index: CHAIN_A, ledger: CHAIN_B, same: false });

    const text = captureIo();
    expect(await checkIndex({ store, source, namespace: 'aiaudit', io: text.io })).toBe(1);
    expect(text.out).toEqual([
      `CHAIN MISMATCH: the index was built from another chain: its block 0 data hash is ${CHAIN_A}, the ledger's is ${CHAIN_B} (was the network recreated?)`,
      'FAILED: rebuild the index with `npm run reindex` (the gateway also rebuilds it when it starts)',
    ]);
    const json = captureIo();
    expect(await checkIndex({ store, source, namespace: 'aiaudit', io: json.io, json: true })).toBe(1);
    expect(JSON.parse(json.out[0] ?? '')).toMatchObject({ chainMismatch: { index: CHAIN_A, ledger: CHAIN_B }, throughBlock: 2, ledgerHeight: 2 });

    expect(await reindex({ store, source, namespace: 'aiaudit', io: captureIo().io })).toBe(0);
    const after = captureIo();
    expect(await checkIndex({ store, source, namespace: 'aiaudit', io: after.io })).toBe(0);
    expect(after.out.at(-1)).toBe('OK: the index matches the ledger');
    await store.close();
  });
});
