// Where committed blocks come from: a peer's block event stream (fabric-gateway) and the channel height (qscc).
import { readFileSync } from 'node:fs';
import type { Client } from '@grpc/grpc-js';
import type { Gateway, Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { connectGateway, newGrpcClient } from '../fabric/connection.js';
import { cryptogenUserMsp, loadMspIdentity } from '../fabric/identity.js';
import { orgByMsp, type ConnectionProfile } from '../fabric/profile.js';
import type { FabricSigner } from '../fabric/ledger.js';

/** An ordered stream of committed blocks that can be closed from outside. */
export interface BlockStream extends AsyncIterable<common.Block | Uint8Array> {
  close(): void;
}

export interface BlockSource {
  /** Committed blocks from `startBlock` on, in order, waiting for new ones until closed. */
  blocks(startBlock: number): Promise<BlockStream>;
  /** The number of blocks on the channel (the next block's number). */
  height(): Promise<number>;
  close(): void;
}

/** Blocks of a fabric-gateway Network (the caller owns and closes the gateway). */
export function networkBlockSource(network: Network): BlockSource {
  return {
    blocks: (startBlock) => network.getBlockEvents({ startBlock: BigInt(startBlock) }),
    async height() {
      const bytes = await network.getContract('qscc').evaluateTransaction('GetChainInfo', network.getName());
      return common.BlockchainInfo.deserializeBinary(bytes).getHeight();
    },
    close: () => undefined,
  };
}

/**
 * Connects to the peer of `reader.mspId` as a cryptogen user of that org and follows the
 * profile's channel. Any member of the channel may read blocks: no chaincode role is needed.
 */
export function peerBlockSource(profile: ConnectionProfile, reader: FabricSigner): BlockSource {
  const org = orgByMsp(profile, reader.mspId);
  const domain = org.peerHostAlias.replace(/^peer0\./, '');
  const identity = loadMspIdentity(org.mspId, cryptogenUserMsp(org.usersDir, reader.fabricUser, domain));
  // Fail early on an unreadable TLS root rather than on the first block.
  readFileSync(org.tlsCaCert);
  const client: Client = newGrpcClient(org);
  const gateway: Gateway = connectGateway(client, identity);
  const source = networkBlockSource(gateway.getNetwork(profile.channel));
  return {
    ...source,
    close() {
      gateway.close();
      client.close();
    },
  };
}
