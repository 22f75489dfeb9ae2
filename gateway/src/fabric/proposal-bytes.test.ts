import * as grpc from '@grpc/grpc-js';
import { connect } from '@hyperledger/fabric-gateway';
import { gateway as gatewayProtos, msp } from '@hyperledger/fabric-protos';
import { afterAll, describe, expect, it } from 'vitest';
import { commitStatusRequestBytes, proposalTimestamp } from './proposal-bytes.js';

// Proposals are built offline: no call reaches this address.
const client = new grpc.Client('127.0.0.1:1', grpc.credentials.createInsecure());
const identity = { mspId: 'OperatorOrgMSP', credentials: new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n') };
const gateway = connect({ client, identity });
const contract = gateway.getNetwork('aiaudit').getContract('aiaudit', 'lineage');
afterAll(() => {
  gateway.close();
  client.close();
});

describe('proposalTimestamp', () => {
  it('reads the proposal time in the chaincode\'s own format (RFC 3339 UTC, milliseconds)', () => {
    const before = Date.now();
    const proposal = contract.newProposal('RegisterDatasetVersion', { arguments: ['{}'] });
    const after = Date.now();
    const timestamp = proposalTimestamp(proposal.getBytes());
    expect(timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(timestamp)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(timestamp)).toBeLessThanOrEqual(after);
  });

  it('refuses bytes that hold no proposal', () => {
    expect(() => proposalTimestamp(new gatewayProtos.ProposedTransaction().serializeBinary())).toThrow(/no signed proposal/);
  });
});

describe('commitStatusRequestBytes', () => {
  it('asks about the given txId on the channel, as the signer, in the form Gateway.newCommit reads', () => {
    const txId = contract.newProposal('RegisterDatasetVersion').getTransactionId();
    const bytes = commitStatusRequestBytes('aiaudit', txId, identity);
    expect(gateway.newCommit(bytes).getTransactionId()).toBe(txId);
    const request = gatewayProtos.CommitStatusRequest.deserializeBinary(gatewayProtos.SignedCommitStatusRequest.deserializeBinary(bytes).getRequest_asU8());
    expect(request.getChannelId()).toBe('aiaudit');
    const creator = msp.SerializedIdentity.deserializeBinary(request.getIdentity_asU8());
    expect(creator.getMspid()).toBe('OperatorOrgMSP');
    expect(creator.getIdBytes_asU8()).toEqual(identity.credentials);
  });
});
