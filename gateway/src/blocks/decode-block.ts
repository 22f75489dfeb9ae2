// Pure decoding of a Fabric block into its transactions: id, position, validation code, creator, time, events and KV writes.
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';

/** One key written (or deleted) by a transaction in a namespace's public state. */
export interface KvWrite {
  readonly key: string;
  readonly isDelete: boolean;
  /** The value's exact bytes (empty for a delete). */
  readonly value: Uint8Array;
}

/** A namespace's public writes (e.g. the chaincode `aiaudit`, or `_lifecycle`) and the private collections it touched. */
export interface NamespaceWrites {
  readonly namespace: string;
  readonly writes: readonly KvWrite[];
  /** Names of private data collections with hashed writes (their contents are not in the block). */
  readonly collections: readonly string[];
}

/** The chaincode event an endorsed action carries (at most one per action). */
export interface ChaincodeEventData {
  readonly chaincodeId: string;
  readonly txId: string;
  readonly eventName: string;
  readonly payload: Uint8Array;
}

export interface DecodedTransaction {
  /** Position of the envelope in the block's data. */
  readonly index: number;
  readonly txId: string;
  readonly channelId: string;
  /** common.HeaderType name, e.g. ENDORSER_TRANSACTION or CONFIG. */
  readonly type: string;
  /** Fabric's TxValidationCode from the block metadata (TRANSACTIONS_FILTER). */
  readonly validationCode: number;
  /** Its name, e.g. VALID or MVCC_READ_CONFLICT. */
  readonly validation: string;
  readonly valid: boolean;
  /** The MSP id of the identity that signed the transaction; '' when the header has none. */
  readonly creatorMspId: string;
  /** The transaction timestamp (client-proposed, the chaincode's ledger time) as RFC 3339 UTC with milliseconds. */
  readonly timestamp: string | undefined;
  /** Public writes per namespace, over all actions, in order (endorser transactions only). */
  readonly namespaces: readonly NamespaceWrites[];
  readonly events: readonly ChaincodeEventData[];
}

export interface DecodedBlock {
  readonly number: number;
  readonly previousHash: Uint8Array;
  readonly dataHash: Uint8Array;
  readonly transactions: readonly DecodedTransaction[];
}

/** Raised for bytes that are not a well-formed block; names the part that failed. */
export class BlockDecodeError extends Error {
  constructor(
    readonly where: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot decode block: ${where}`, options);
    this.name = 'BlockDecodeError';
  }
}

const VALIDATION_NAMES = new Map<number, string>(Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name]));
const HEADER_TYPE_NAMES = new Map<number, string>(Object.entries(common.HeaderType).map(([name, code]) => [code, name]));
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The name of a TxValidationCode, e.g. 11 → MVCC_READ_CONFLICT. */
export const validationName = (code: number): string => VALIDATION_NAMES.get(code) ?? `UNKNOWN(${code})`;

/** Decodes a block from its protobuf bytes (as stored in a block file or bundle) or an already parsed common.Block. */
export function decodeBlock(block: Uint8Array | common.Block): DecodedBlock {
  const parsed = block instanceof common.Block ? block : parse('block', () => common.Block.deserializeBinary(block));
  const header = parsed.getHeader();
  if (header === undefined) throw new BlockDecodeError('block has no header');
  const number = header.getNumber();
  const filter = parsed.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const envelopes = parsed.getData()?.getDataList_asU8() ?? [];
  const transactions = envelopes.map((bytes, index) => {
    try {
      return decodeEnvelope(bytes, index, filter[index]);
    } catch (err) {
      if (err instanceof BlockDecodeError) throw new BlockDecodeError(`block ${number} transaction ${index}: ${err.where}`, { cause: err.cause });
      throw err;
    }
  });
  return { number, previousHash: header.getPreviousHash_asU8(), dataHash: header.getDataHash_asU8(), transactions };
}

function decodeEnvelope(bytes: Uint8Array, index: number, code: number | undefined): DecodedTransaction {
  const envelope = parse('envelope', () => common.Envelope.deserializeBinary(bytes));
  const payload = parse('payload', () => common.Payload.deserializeBinary(envelope.getPayload_asU8()));
  const header = payload.getHeader();
  if (header === undefined) throw new BlockDecodeError('payload has no header');
  const channelHeader = parse('channel header', () => common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()));
  const signatureHeader = parse('signature header', () => common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()));
  const creatorBytes = signatureHeader.getCreator_asU8();
  const creatorMspId = creatorBytes.length === 0 ? '' : parse('creator', () => msp.SerializedIdentity.deserializeBinary(creatorBytes)).getMspid();
  const type = channelHeader.getType();
  // A block without a filter entry (never the case for committed blocks) counts as not validated.
  const validationCode = code ?? peer.TxValidationCode.NOT_VALIDATED;
  const actions = type === common.HeaderType.ENDORSER_TRANSACTION ? decodeActions(payload.getData_asU8()) : [];
  return {
    index,
    txId: channelHeader.getTxId(),
    channelId: channelHeader.getChannelId(),
    type: HEADER_TYPE_NAMES.get(type) ?? `UNKNOWN(${type})`,
    validationCode,
    validation: validationName(validationCode),
    valid: validationCode === peer.TxValidationCode.VALID,
    creatorMspId,
    timestamp: timestampOf(channelHeader),
    namespaces: mergeNamespaces(actions.flatMap((a) => a.namespaces)),
    events: actions.flatMap((a) => (a.event === undefined ? [] : [a.event])),
  };
}

interface DecodedAction {
  namespaces: NamespaceWrites[];
  event: ChaincodeEventData | undefined;
}

function decodeActions(data: Uint8Array): DecodedAction[] {
  const transaction = parse('transaction', () => peer.Transaction.deserializeBinary(data));
  return transaction.getActionsList().map((action, i) => {
    const actionPayload = parse(`action ${i} payload`, () => peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()));
    const endorsed = actionPayload.getAction();
    if (endorsed === undefined) throw new BlockDecodeError(`action ${i} has no endorsed action`);
    const responsePayload = parse(`action ${i} proposal response`, () => peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8()));
    const chaincodeAction = parse(`action ${i} chaincode action`, () => peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8()));
    return { namespaces: decodeReadWriteSet(chaincodeAction.getResults_asU8(), i), event: decodeEvent(chaincodeAction.getEvents_asU8(), i) };
  });
}

function decodeReadWriteSet(results: Uint8Array, action: number): NamespaceWrites[] {
  if (results.length === 0) return [];
  const rwset = parse(`action ${action} read-write set`, () => ledger.rwset.TxReadWriteSet.deserializeBinary(results));
  return rwset.getNsRwsetList().map((ns) => {
    const namespace = ns.getNamespace();
    const kv = parse(`action ${action} namespace ${namespace} KV set`, () => ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()));
    return {
      namespace,
      writes: kv.getWritesList().map((w) => ({ key: w.getKey(), isDelete: w.getIsDelete(), value: w.getValue_asU8() })),
      collections: ns.getCollectionHashedRwsetList().map((c) => c.getCollectionName()),
    };
  });
}

function decodeEvent(bytes: Uint8Array, action: number): ChaincodeEventData | undefined {
  if (bytes.length === 0) return undefined;
  const event = parse(`action ${action} chaincode event`, () => peer.ChaincodeEvent.deserializeBinary(bytes));
  if (event.getEventName() === '') return undefined;
  return { chaincodeId: event.getChaincodeId(), txId: event.getTxId(), eventName: event.getEventName(), payload: event.getPayload_asU8() };
}

/** One entry per namespace, writes in action order (transactions almost always have one action). */
function mergeNamespaces(all: readonly NamespaceWrites[]): NamespaceWrites[] {
  const merged = new Map<string, { writes: KvWrite[]; collections: string[] }>();
  for (const ns of all) {
    const entry = merged.get(ns.namespace) ?? { writes: [], collections: [] };
    entry.writes.push(...ns.writes);
    entry.collections.push(...ns.collections.filter((c) => !entry.collections.includes(c)));
    merged.set(ns.namespace, entry);
  }
  return [...merged].map(([namespace, { writes, collections }]) => ({ namespace, writes, collections }));
}

/** google.protobuf.Timestamp as the generated class exposes it. */
interface ProtoTimestamp {
  getSeconds(): number;
  getNanos(): number;
}

function timestampOf(header: common.ChannelHeader): string | undefined {
  const ts: ProtoTimestamp | undefined = header.getTimestamp();
  if (ts === undefined) return undefined;
  const millis = ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1_000_000);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined;
}

function parse<T>(where: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw new BlockDecodeError(where, { cause: err });
  }
}

/** A write's value as UTF-8 text; throws on bytes that are not UTF-8. */
export function valueText(write: KvWrite): string {
  return utf8.decode(write.value);
}
