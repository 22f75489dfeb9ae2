// Protobuf details the ledger client needs: a proposal's ledger time, and a commit-status request for a known txId.
import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';
import type { Identity } from '@hyperledger/fabric-gateway';

/**
 * The transaction time a proposal carries (its channel header timestamp), rendered exactly as
 * the chaincode renders its ledger time: RFC 3339 UTC with milliseconds.
 */
export function proposalTimestamp(proposalBytes: Uint8Array): string {
  const proposed = gateway.ProposedTransaction.deserializeBinary(proposalBytes);
  const signed = proposed.getProposal();
  if (signed === undefined) throw new Error('the proposal has no signed proposal');
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const timestamp = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getTimestamp();
  if (timestamp === undefined) throw new Error('the proposal header has no timestamp');
  const ms = timestamp.getSeconds() * 1000 + Math.floor(timestamp.getNanos() / 1_000_000);
  return new Date(ms).toISOString();
}

/**
 * The unsigned bytes of a commit-status request for `txId`, as fabric-gateway's Gateway.newCommit
 * expects them: lets the client ask for the status of a transaction whose submit call failed.
 */
export function commitStatusRequestBytes(channel: string, txId: string, identity: Identity): Uint8Array {
  const creator = new msp.SerializedIdentity();
  creator.setMspid(identity.mspId);
  creator.setIdBytes(identity.credentials);
  const request = new gateway.CommitStatusRequest();
  request.setChannelId(channel);
  request.setTransactionId(txId);
  request.setIdentity(creator.serializeBinary());
  const signed = new gateway.SignedCommitStatusRequest();
  signed.setRequest(request.serializeBinary());
  return signed.serializeBinary();
}
