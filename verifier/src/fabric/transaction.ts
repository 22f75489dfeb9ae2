// An endorser transaction decoded with the exact bytes that are signed and hashed: creator, endorsements, writes per namespace.
import { CHAINCODE_ACTION, CHAINCODE_ACTION_PAYLOAD, CHANNEL_HEADER, HeaderType, KV_RW_SET, PAYLOAD, TRANSACTION, TX_READ_WRITE_SET } from './messages.js';
import { ProtoMessage } from './protobuf.js';

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

/** Decodes envelope `index` of a block. */
export function decodeTransaction(envelopeBytes: Uint8Array, index: number): DecodedTransaction {
  // Envelope: payload 1, signature 2. Payload: header 1 (channel_header 1, signature_header 2), data 2.
  const envelope = parse('envelope', () => {
    const message = new ProtoMessage(envelopeBytes);
    return { payload: message.bytes(1), signature: message.bytes(2) };
  });
  const payload = parse('payload', () => {
    const message = new ProtoMessage(envelope.payload, PAYLOAD);
    const header = message.message(1);
    return { header: header && { channelHeader: header.bytes(1), signatureHeader: header.bytes(2) }, data: message.bytes(2) };
  });
  const { header } = payload;
  if (header === undefined) throw new TransactionDecodeError('payload header (missing)');
  // ChannelHeader: type 1, timestamp 3 (seconds 1, nanos 2), channel_id 4, tx_id 5. SignatureHeader: creator 1, nonce 2.
  const channelHeader = parse('channel header', () => {
    const message = new ProtoMessage(header.channelHeader, CHANNEL_HEADER);
    const timestamp = message.message(3);
    return { type: message.int32(1), timestamp: timestamp && { seconds: timestamp.int64(1), nanos: timestamp.int32(2) }, channelId: message.string(4), txId: message.string(5) };
  });
  const signatureHeader = parse('signature header', () => {
    const message = new ProtoMessage(header.signatureHeader);
    return { creator: message.bytes(1), nonce: message.bytes(2) };
  });
  const { type } = channelHeader;
  return {
    index,
    txId: channelHeader.txId,
    channelId: channelHeader.channelId,
    type,
    timestamp: timestampOf(channelHeader.timestamp),
    payload: envelope.payload,
    signature: envelope.signature,
    channelHeader: header.channelHeader,
    signatureHeader: header.signatureHeader,
    creator: signatureHeader.creator,
    nonce: signatureHeader.nonce,
    actions: type === HeaderType.ENDORSER_TRANSACTION ? decodeActions(payload.data) : [],
  };
}

function decodeActions(data: Uint8Array): TransactionAction[] {
  // Transaction: actions 1 (TransactionAction: header 1, payload 2).
  const actions = parse('transaction', () => new ProtoMessage(data, TRANSACTION).messages(1).map((action) => ({ header: action.bytes(1), payload: action.bytes(2) })));
  return actions.map((action, i) => {
    // ChaincodeActionPayload: chaincode_proposal_payload 1, action 2 (ChaincodeEndorsedAction: proposal_response_payload 1, endorsements 2 — endorser 1, signature 2).
    const actionPayload = parse(`action ${i} payload`, () => {
      const message = new ProtoMessage(action.payload, CHAINCODE_ACTION_PAYLOAD);
      const endorsed = message.message(2);
      return {
        chaincodeProposalPayload: message.bytes(1),
        endorsed: endorsed && { proposalResponsePayload: endorsed.bytes(1), endorsements: endorsed.messages(2).map((e) => ({ endorser: e.bytes(1), signature: e.bytes(2) })) },
      };
    });
    const { endorsed } = actionPayload;
    if (endorsed === undefined) throw new TransactionDecodeError(`action ${i} (no endorsed action)`);
    // ProposalResponsePayload: proposal_hash 1, extension 2 (a ChaincodeAction: results 1, events 2).
    const response = parse(`action ${i} proposal response payload`, () => {
      const message = new ProtoMessage(endorsed.proposalResponsePayload);
      return { proposalHash: message.bytes(1), extension: message.bytes(2) };
    });
    const chaincodeAction = parse(`action ${i} chaincode action`, () => {
      const message = new ProtoMessage(response.extension, CHAINCODE_ACTION);
      return { results: message.bytes(1), events: message.bytes(2) };
    });
    return {
      signatureHeader: action.header,
      chaincodeProposalPayload: actionPayload.chaincodeProposalPayload,
      proposalResponsePayload: endorsed.proposalResponsePayload,
      proposalHash: response.proposalHash,
      endorsements: endorsed.endorsements,
      ...decodeWrites(chaincodeAction.results, i),
      event: chaincodeAction.events,
    };
  });
}

function decodeWrites(results: Uint8Array, action: number): { writes: Map<string, Write[]>; collections: Map<string, string[]> } {
  const writes = new Map<string, Write[]>();
  const collections = new Map<string, string[]>();
  if (results.length === 0) return { writes, collections };
  // TxReadWriteSet: ns_rwset 2 (NsReadWriteSet: namespace 1, rwset 2, collection_hashed_rwset 3 — collection_name 1).
  const namespaces = parse(`action ${action} read-write set`, () =>
    new ProtoMessage(results, TX_READ_WRITE_SET).messages(2).map((ns) => ({ namespace: ns.string(1), rwset: ns.bytes(2), collections: ns.messages(3).map((c) => c.string(1)) })),
  );
  for (const ns of namespaces) {
    const { namespace } = ns;
    // KVRWSet: writes 3 (KVWrite: key 1, is_delete 2, value 3).
    const list = writes.get(namespace) ?? [];
    const kvWrites = parse(`action ${action} ${namespace} writes`, () => new ProtoMessage(ns.rwset, KV_RW_SET).messages(3).map((w) => ({ key: w.string(1), isDelete: w.bool(2), value: w.bytes(3) })));
    for (const write of kvWrites) list.push(write);
    writes.set(namespace, list);
    collections.set(namespace, [...(collections.get(namespace) ?? []), ...ns.collections]);
  }
  return { writes, collections };
}

/** The chaincode event in an action's event bytes; undefined when there is none (no bytes, or no event name). */
export function decodeChaincodeEvent(bytes: Uint8Array): ChaincodeEventData | undefined {
  if (bytes.length === 0) return undefined;
  // ChaincodeEvent: chaincode_id 1, tx_id 2, event_name 3, payload 4.
  const event = parse('chaincode event', () => {
    const message = new ProtoMessage(bytes);
    return { chaincodeId: message.string(1), txId: message.string(2), eventName: message.string(3), payload: message.bytes(4) };
  });
  return event.eventName === '' ? undefined : event;
}

const MAX_DATE_MS = 8.64e15;

function timestampOf(timestamp: { seconds: number; nanos: number } | undefined): string | undefined {
  if (timestamp === undefined) return undefined;
  const millis = timestamp.seconds * 1000 + Math.floor(timestamp.nanos / 1_000_000);
  // A Date holds ±8.64e15 ms (about 273,790 years either side of 1970); a time beyond it has no ISO form.
  return Number.isFinite(millis) && Math.abs(millis) <= MAX_DATE_MS ? new Date(millis).toISOString() : undefined;
}
