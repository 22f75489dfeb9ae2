// An endorser transaction decoded with the exact bytes that are signed and hashed: creator, endorsements, writes per namespace.
import * as common from '@hyperledger/fabric-protos/lib/common/common_pb.js';
import * as chaincodeEvent from '@hyperledger/fabric-protos/lib/peer/chaincode_event_pb.js';
import * as kvrwset from '@hyperledger/fabric-protos/lib/ledger/rwset/kvrwset/kv_rwset_pb.js';
import * as rwsetPb from '@hyperledger/fabric-protos/lib/ledger/rwset/rwset_pb.js';
import * as proposal from '@hyperledger/fabric-protos/lib/peer/proposal_pb.js';
import * as proposalResponse from '@hyperledger/fabric-protos/lib/peer/proposal_response_pb.js';
import * as transactionPb from '@hyperledger/fabric-protos/lib/peer/transaction_pb.js';

export interface Endorsement {
  /** The endorser's msp.SerializedIdentity. */
  readonly endorser: Uint8Array;
  /** Signature over proposalResponsePayload ‖ endorser. */
  readonly signature: Uint8Array;
}

export interface Write {
  readonly key: string;
  readonly isDelete: boolean;
  readonly value: Uint8Array;
}

export interface TransactionAction {
  /** The action's SignatureHeader bytes (with the channel header, part of the proposal hash). */
  readonly signatureHeader: Uint8Array;
  readonly chaincodeProposalPayload: Uint8Array;
  readonly proposalResponsePayload: Uint8Array;
  /** The proposal hash the endorsers signed (inside the proposal response payload). */
  readonly proposalHash: Uint8Array;
  readonly endorsements: readonly Endorsement[];
  /** Public writes by namespace (every namespace of the read-write set, in its order). */
  readonly writes: ReadonlyMap<string, readonly Write[]>;
  /** Names of the private data collections with hashed writes, by namespace (their contents are not in the block). */
  readonly collections: ReadonlyMap<string, readonly string[]>;
  /** The chaincode event's bytes (a peer.ChaincodeEvent; empty when none): decodeChaincodeEvent reads them. */
  readonly event: Uint8Array;
}

/** A chaincode event as an endorsed action carries it. */
export interface ChaincodeEventData {
  readonly chaincodeId: string;
  readonly txId: string;
  readonly eventName: string;
  readonly payload: Uint8Array;
}

export interface DecodedTransaction {
  readonly index: number;
  readonly txId: string;
  readonly channelId: string;
  /** common.HeaderType. */
  readonly type: number;
  /** The channel header's time (client-proposed; the chaincode's ledger time) as RFC 3339 UTC with milliseconds. */
  readonly timestamp: string | undefined;
  /** Signed by the creator: the envelope's payload bytes. */
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  readonly channelHeader: Uint8Array;
  readonly signatureHeader: Uint8Array;
  readonly creator: Uint8Array;
  readonly nonce: Uint8Array;
  /** Only for ENDORSER_TRANSACTION. */
  readonly actions: readonly TransactionAction[];
}

export class TransactionDecodeError extends Error {
  constructor(readonly where: string, options?: { cause?: unknown }) {
    super(`cannot decode ${where}`, options);
    this.name = 'TransactionDecodeError';
  }
}

function parse<T>(where: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw new TransactionDecodeError(where, { cause: err });
  }
}

const EMPTY = new Uint8Array();

/** Decodes envelope `index` of a block. */
export function decodeTransaction(envelopeBytes: Uint8Array, index: number): DecodedTransaction {
  const envelope = parse('envelope', () => common.Envelope.deserializeBinary(envelopeBytes));
  const payloadBytes = envelope.getPayload_asU8();
  const payload = parse('payload', () => common.Payload.deserializeBinary(payloadBytes));
  const header = payload.getHeader();
  if (header === undefined) throw new TransactionDecodeError('payload header (missing)');
  const channelHeaderBytes = header.getChannelHeader_asU8();
  const signatureHeaderBytes = header.getSignatureHeader_asU8();
  const channelHeader = parse('channel header', () => common.ChannelHeader.deserializeBinary(channelHeaderBytes));
  const signatureHeader = parse('signature header', () => common.SignatureHeader.deserializeBinary(signatureHeaderBytes));
  const type = channelHeader.getType();
  return {
    index,
    txId: channelHeader.getTxId(),
    channelId: channelHeader.getChannelId(),
    type,
    timestamp: timestampOf(channelHeader),
    payload: payloadBytes,
    signature: envelope.getSignature_asU8(),
    channelHeader: channelHeaderBytes,
    signatureHeader: signatureHeaderBytes,
    creator: signatureHeader.getCreator_asU8(),
    nonce: signatureHeader.getNonce_asU8(),
    actions: type === common.HeaderType.ENDORSER_TRANSACTION ? decodeActions(payload.getData_asU8()) : [],
  };
}

function decodeActions(data: Uint8Array): TransactionAction[] {
  const transaction = parse('transaction', () => transactionPb.Transaction.deserializeBinary(data));
  return transaction.getActionsList().map((action, i) => {
    const actionPayload = parse(`action ${i} payload`, () => transactionPb.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()));
    const endorsed = actionPayload.getAction();
    if (endorsed === undefined) throw new TransactionDecodeError(`action ${i} (no endorsed action)`);
    const proposalResponsePayload = endorsed.getProposalResponsePayload_asU8();
    const response = parse(`action ${i} proposal response payload`, () => proposalResponse.ProposalResponsePayload.deserializeBinary(proposalResponsePayload));
    const chaincodeAction = parse(`action ${i} chaincode action`, () => proposal.ChaincodeAction.deserializeBinary(response.getExtension_asU8()));
    return {
      signatureHeader: action.getHeader_asU8(),
      chaincodeProposalPayload: actionPayload.getChaincodeProposalPayload_asU8(),
      proposalResponsePayload,
      proposalHash: response.getProposalHash_asU8(),
      endorsements: endorsed.getEndorsementsList().map((e) => ({ endorser: e.getEndorser_asU8(), signature: e.getSignature_asU8() })),
      ...decodeWrites(chaincodeAction.getResults_asU8(), i),
      event: chaincodeAction.getEvents_asU8(),
    };
  });
}

function decodeWrites(results: Uint8Array, action: number): { writes: Map<string, Write[]>; collections: Map<string, string[]> } {
  const writes = new Map<string, Write[]>();
  const collections = new Map<string, string[]>();
  if (results.length === 0) return { writes, collections };
  const rwset = parse(`action ${action} read-write set`, () => rwsetPb.TxReadWriteSet.deserializeBinary(results));
  for (const ns of rwset.getNsRwsetList()) {
    const namespace = ns.getNamespace();
    const kv = parse(`action ${action} ${namespace} writes`, () => kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()));
    const list = writes.get(namespace) ?? [];
    for (const w of kv.getWritesList()) list.push({ key: w.getKey(), isDelete: w.getIsDelete(), value: w.getValue_asU8() ?? EMPTY });
    writes.set(namespace, list);
    collections.set(namespace, [...(collections.get(namespace) ?? []), ...ns.getCollectionHashedRwsetList().map((c) => c.getCollectionName())]);
  }
  return { writes, collections };
}

/** The chaincode event in an action's event bytes; undefined when there is none (no bytes, or no event name). */
export function decodeChaincodeEvent(bytes: Uint8Array): ChaincodeEventData | undefined {
  if (bytes.length === 0) return undefined;
  const event = parse('chaincode event', () => chaincodeEvent.ChaincodeEvent.deserializeBinary(bytes));
  if (event.getEventName() === '') return undefined;
  return { chaincodeId: event.getChaincodeId(), txId: event.getTxId(), eventName: event.getEventName(), payload: event.getPayload_asU8() };
}

function timestampOf(header: common.ChannelHeader): string | undefined {
  const ts = header.getTimestamp();
  if (ts === undefined) return undefined;
  const millis = ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1_000_000);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined;
}
