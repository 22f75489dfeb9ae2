// Replays committed blocks from the store's checkpoint up to a target height into an index store (reindex, check).
import { decodeBlock } from '../blocks/index.js';
import type { BlockSource } from './block-source.js';
import { rowsOfBlock } from './rows.js';
import type { IndexStore } from './store.js';

export interface ReplayOptions {
  source: BlockSource;
  store: IndexStore;
  namespace: string;
  /** Stop after block `untilHeight - 1`; default: the channel height when the replay starts. */
  untilHeight?: number;
  /** Called after each block with the number of the block applied and the target height. */
  onProgress?: (blockNumber: number, height: number) => void;
  onProblem?: (problem: string) => void;
}

export interface ReplayResult {
  /** The blocks applied by this replay. */
  blocks: number;
  decisions: number;
  height: number;
}

/** Applies every block after the store's checkpoint below the target height; resumable (the checkpoint moves with each block). */
export async function replayBlocks(options: ReplayOptions): Promise<ReplayResult> {
  const { source, store, namespace } = options;
  const height = options.untilHeight ?? (await source.height());
  const last = await store.lastBlock();
  const start = last === undefined ? 0 : last + 1;
  const result: ReplayResult = { blocks: 0, decisions: 0, height };
  if (start >= height) return result;
  const stream = await source.blocks(start);
  try {
    for await (const raw of stream) {
      const block = decodeBlock(raw);
      const rows = rowsOfBlock(block, namespace);
      for (const problem of rows.problems) options.onProblem?.(problem);
      await store.applyBlock(rows);
      result.blocks += 1;
      result.decisions += rows.decisions.length;
      options.onProgress?.(block.number, height);
      if (block.number >= height - 1) break;
    }
  } finally {
    stream.close();
  }
  return result;
}
