// An endorser transaction decoded with the exact bytes that are signed and hashed: creator, endorsements, writes per namespace.
import { common, ledger, peer } from '@hyperledger/fabric-protos';

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
  /** Public writes by namespace. */
  readonly writes: ReadonlyMap<string, readonly Write[]>;
}

export interface DecodedTransaction {
  readonly index: number;
  readonly txId: string;
  readonly channelId: string;
  readonly type: number;
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
  const transaction = parse('transaction', () => peer.Transaction.deserializeBinary(data));
  return transaction.getActionsList().map((action, i) => {
    const actionPayload = parse(`action ${i} payload`, () => peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()));
    const endorsed = actionPayload.getAction();
    if (endorsed === undefined) throw new TransactionDecodeError(`action ${i} (no endorsed action)`);
    const proposalResponsePayload = endorsed.getProposalResponsePayload_asU8();
    const response = parse(`action ${i} proposal response payload`, () => peer.ProposalResponsePayload.deserializeBinary(proposalResponsePayload));
    const chaincodeAction = parse(`action ${i} chaincode action`, () => peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8()));
    return {
      signatureHeader: action.getHeader_asU8(),
      chaincodeProposalPayload: actionPayload.getChaincodeProposalPayload_asU8(),
      proposalResponsePayload,
      proposalHash: response.getProposalHash_asU8(),
      endorsements: endorsed.getEndorsementsList().map((e) => ({ endorser: e.getEndorser_asU8(), signature: e.getSignature_asU8() })),
      writes: decodeWrites(chaincodeAction.getResults_asU8(), i),
    };
  });
}

function decodeWrites(results: Uint8Array, action: number): Map<string, Write[]> {
  const byNamespace = new Map<string, Write[]>();
  if (results.length === 0) return byNamespace;
  const rwset = parse(`action ${action} read-write set`, () => ledger.rwset.TxReadWriteSet.deserializeBinary(results));
  for (const ns of rwset.getNsRwsetList()) {
    const namespace = ns.getNamespace();
    const kv = parse(`action ${action} ${namespace} writes`, () => ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()));
    const writes = byNamespace.get(namespace) ?? [];
    for (const w of kv.getWritesList()) writes.push({ key: w.getKey(), isDelete: w.getIsDelete(), value: w.getValue_asU8() ?? EMPTY });
    byNamespace.set(namespace, writes);
  }
  return byNamespace;
}
