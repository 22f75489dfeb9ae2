// Reads one committed block from a peer and decodes it, to check an anchor against the ledger itself.
import { decodeBlock, valueText, type DecodedBlock } from '../../gateway/src/blocks/index.js';
import { DecisionBatch, type DecisionRecord } from '../../chaincode/src/domain/index.js';
import { keys } from '../../chaincode/src/ledger/keys.js';
import type { TestNetwork } from './network.js';

export async function readBlock(net: TestNetwork, blockNumber: number | string): Promise<DecodedBlock> {
  const network = net.gateway('regulator', 'User3').getNetwork(net.profile.channel);
  const events = await network.getBlockEvents({ startBlock: BigInt(blockNumber) });
  try {
    for await (const block of events) return decodeBlock(block);
  } finally {
    events.close();
  }
  throw new Error(`no block ${blockNumber}`);
}

/** The decision at an anchor, read from the block: the batch value written by a VALID transaction. */
export async function decisionAt(net: TestNetwork, anchor: { blockNumber: string; txIndex: number; txId: string; batchId: string; position: number }): Promise<DecisionRecord | undefined> {
  const block = await readBlock(net, anchor.blockNumber);
  const tx = block.transactions[anchor.txIndex];
  if (tx === undefined || !tx.valid || tx.txId !== anchor.txId) return undefined;
  const write = tx.namespaces.find((ns) => ns.namespace === net.profile.chaincode)?.writes.find((w) => w.key === keys.batch(anchor.batchId));
  if (write === undefined) return undefined;
  return DecisionBatch.parse(JSON.parse(valueText(write))).decisions[anchor.position];
}
