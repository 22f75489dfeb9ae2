// The index's chain identity: block 0's data hash, stored with block 0 and compared with the ledger's block 0.
import { decodeBlock, type DecodedBlock } from '../blocks/index.js';
import type { BlockSource } from './block-source.js';
import type { IndexStore } from './store.js';

/**
 * The identity of the chain a block 0 founds: the hex DataHash of its header, i.e. the SHA-256 of the
 * channel's genesis config transaction. That transaction carries its creation time and a random
 * nonce, so a channel created again (network cleaned and recreated) has another. Block 0's header
 * hash would do as well (it is a function of this hash alone), but needs the header's DER form.
 * Undefined for any other block, and for a block 0 without a data hash (synthetic test blocks).
 */
export function chainIdOf(block: Pick<DecodedBlock, 'number' | 'dataHash'>): string | undefined {
  if (block.number !== 0 || block.dataHash.length === 0) return undefined;
  return Buffer.from(block.dataHash).toString('hex');
}

/** Reads block 0 from `source` and returns its chain id. */
export async function ledgerChainId(source: BlockSource): Promise<string | undefined> {
  const stream = await source.blocks(0);
  try {
    for await (const raw of stream) {
      const block = decodeBlock(raw);
      if (block.number !== 0) throw new Error(`asked the peer for block 0, got block ${block.number}`);
      return chainIdOf(block);
    }
  } finally {
    stream.close();
  }
  throw new Error('the block stream ended before block 0');
}

export interface ChainComparison {
  /** The chain id the index holds (undefined: nothing to compare, e.g. an empty index). */
  index: string | undefined;
  /** Block 0's chain id on the ledger; not read when the index holds none. */
  ledger: string | undefined;
  /** False only when both are known and differ: the index was built from another chain. */
  same: boolean;
}

/** Compares the chain the index was built from with the ledger's; reads block 0 only when the index has a chain id. */
export async function compareChain(store: Pick<IndexStore, 'chainId'>, source: BlockSource): Promise<ChainComparison> {
  const index = await store.chainId();
  if (index === undefined) return { index, ledger: undefined, same: true };
  const ledger = await ledgerChainId(source);
  return { index, ledger, same: ledger === undefined || ledger === index };
}
