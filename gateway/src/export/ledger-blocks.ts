// Raw blocks and the chaincode definition from a peer, through the system chaincodes qscc and _lifecycle.
import type { Network } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';

export interface ChaincodeDefinition {
  version: string;
  sequence: number;
  /** A channel policy path (e.g. /Channel/Application/Endorsement) or `signature policy`. */
  endorsementPolicy: string;
}

/** What an export reads from the ledger; one per exporting identity (qscc checks the caller is a channel reader). */
export interface LedgerBlocks {
  /** The number of blocks on the channel. */
  height(): Promise<number>;
  /** The block's protobuf bytes, exactly as the peer stores them. */
  block(blockNumber: number): Promise<Uint8Array>;
  /** The block holding a transaction. */
  blockByTxId(txId: string): Promise<Uint8Array>;
  /** The committed definition of `name`, or undefined when the caller may not read it. */
  chaincodeDefinition(name: string): Promise<ChaincodeDefinition | undefined>;
}

export function qsccBlocks(network: Network): LedgerBlocks {
  const channel = network.getName();
  const qscc = network.getContract('qscc');
  return {
    async height() {
      return common.BlockchainInfo.deserializeBinary(await qscc.evaluateTransaction('GetChainInfo', channel)).getHeight();
    },
    block: (blockNumber) => qscc.evaluateTransaction('GetBlockByNumber', channel, String(blockNumber)),
    blockByTxId: (txId) => qscc.evaluateTransaction('GetBlockByTxID', channel, txId),
    async chaincodeDefinition(name) {
      const args = new peer.lifecycle.QueryChaincodeDefinitionArgs();
      args.setName(name);
      try {
        const bytes = await network.getContract('_lifecycle').evaluateTransaction('QueryChaincodeDefinition', args.serializeBinary());
        const result = peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(bytes);
        const policy = peer.ApplicationPolicy.deserializeBinary(result.getValidationParameter_asU8());
        const reference = policy.getChannelConfigPolicyReference();
        return { version: result.getVersion(), sequence: result.getSequence(), endorsementPolicy: reference === '' ? 'signature policy' : reference };
      } catch {
        return undefined;
      }
    },
  };
}

/** The config block in force for a block (the LAST_CONFIG index the orderer signs into the block metadata). */
export function lastConfigOf(block: common.Block): number {
  const signatures = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  const value = signatures === undefined || signatures.length === 0 ? undefined : common.Metadata.deserializeBinary(signatures).getValue_asU8();
  const index = value === undefined || value.length === 0 ? undefined : common.OrdererBlockMetadata.deserializeBinary(value).getLastConfig()?.getIndex();
  if (index === undefined) throw new Error(`block ${block.getHeader()?.getNumber() ?? '?'} names no last config block`);
  return index;
}
