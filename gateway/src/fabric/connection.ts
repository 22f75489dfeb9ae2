// gRPC connections to an org's peer and Fabric Gateway sessions over them.
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { connect, type ConnectOptions, type Gateway } from '@hyperledger/fabric-gateway';
import type { OrgProfile } from './profile.js';
import type { SigningIdentity } from './identity.js';

export function newGrpcClient(org: OrgProfile): grpc.Client {
  const credentials = grpc.credentials.createSsl(readFileSync(org.tlsCaCert));
  return new grpc.Client(org.peerEndpoint, credentials, {
    'grpc.ssl_target_name_override': org.peerHostAlias,
    'grpc.max_receive_message_length': 100 * 1024 * 1024,
    'grpc.max_send_message_length': 100 * 1024 * 1024,
  });
}

export interface Timeouts {
  evaluateMs: number;
  endorseMs: number;
  submitMs: number;
  commitStatusMs: number;
}

export const defaultTimeouts: Timeouts = { evaluateMs: 10_000, endorseMs: 30_000, submitMs: 10_000, commitStatusMs: 60_000 };

export function connectGateway(client: grpc.Client, who: SigningIdentity, timeouts: Timeouts = defaultTimeouts): Gateway {
  const deadline = (ms: number): ConnectOptions['evaluateOptions'] => () => ({ deadline: Date.now() + ms });
  return connect({
    client,
    identity: who.identity,
    signer: who.signer,
    hash: who.hash,
    evaluateOptions: deadline(timeouts.evaluateMs),
    endorseOptions: deadline(timeouts.endorseMs),
    submitOptions: deadline(timeouts.submitMs),
    commitStatusOptions: deadline(timeouts.commitStatusMs),
  });
}
