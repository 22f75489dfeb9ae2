// A Fabric block as the index reads it (transactions with validation, creator, time, events, KV writes), over the verifier's decoder.
import { common, peer } from '@hyperledger/fabric-protos';
import {
  BlockParseError,
  decodeChaincodeEvent,
  decodeTransaction,
  readBlock,
  serializedIdentityOf,
  TransactionDecodeError,
  type ChaincodeEventData,
  type DecodedTransaction as VerifierTransaction,
  type Write,
} from '@aiaudit/verifier';

export type { ChaincodeEventData };

/** One key written (or deleted) by a transaction in a namespace's public state; the value's exact bytes (empty for a delete). */
export type KvWrite = Write;

/** A namespace's public writes (e.g. the chaincode `aiaudit`, or `_lifecycle`) and the private collections it touched. */
export interface NamespaceWrites {
  readonly namespace: string;
  readonly writes: readonly KvWrite[];
  /** Names of private data collections with hashed writes (their contents are not in the block). */
  readonly collections: readonly string[];
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
  let contents;
  try {
    contents = readBlock(block instanceof Uint8Array ? block : block.serializeBinary());
  } catch (err) {
    if (err instanceof BlockParseError) throw new BlockDecodeError(err.message, { cause: err.cause });
    throw err;
  }
  const { number, envelopes, validationCodes } = contents;
  const transactions = envelopes.map((bytes, index) => {
    try {
      return transactionOf(decodeTransaction(bytes, index), validationCodes[index]);
    } catch (err) {
      if (err instanceof TransactionDecodeError) throw new BlockDecodeError(`block ${number} transaction ${index}: ${err.where}`, { cause: err.cause });
      throw err;
    }
  });
  return { number, previousHash: contents.previousHash, dataHash: contents.dataHash, transactions };
}

function transactionOf(tx: VerifierTransaction, code: number | undefined): DecodedTransaction {
  // A block without a filter entry (never the case for committed blocks) counts as not validated.
  const validationCode = code ?? peer.TxValidationCode.NOT_VALIDATED;
  return {
    index: tx.index,
    txId: tx.txId,
    channelId: tx.channelId,
    type: HEADER_TYPE_NAMES.get(tx.type) ?? `UNKNOWN(${tx.type})`,
    validationCode,
    validation: validationName(validationCode),
    valid: validationCode === peer.TxValidationCode.VALID,
    creatorMspId: creatorMspIdOf(tx.creator),
    timestamp: tx.timestamp,
    namespaces: namespacesOf(tx),
    events: tx.actions.flatMap((action, i) => {
      try {
        return decodeChaincodeEvent(action.event) ?? [];
      } catch (err) {
        throw err instanceof TransactionDecodeError ? new TransactionDecodeError(`action ${i} ${err.where}`, { cause: err.cause }) : err;
      }
    }),
  };
}

function creatorMspIdOf(creator: Uint8Array): string {
  if (creator.length === 0) return '';
  try {
    return serializedIdentityOf(creator).mspId;
  } catch (err) {
    throw new TransactionDecodeError('creator', { cause: err });
  }
}

/** One entry per namespace, writes in action order (transactions almost always have one action). */
function namespacesOf(tx: VerifierTransaction): NamespaceWrites[] {
  const merged = new Map<string, { writes: KvWrite[]; collections: string[] }>();
  for (const action of tx.actions) {
    for (const [namespace, writes] of action.writes) {
      const entry = merged.get(namespace) ?? { writes: [], collections: [] };
      entry.writes.push(...writes);
      entry.collections.push(...(action.collections.get(namespace) ?? []).filter((c) => !entry.collections.includes(c)));
      merged.set(namespace, entry);
    }
  }
  return [...merged].map(([namespace, { writes, collections }]) => ({ namespace, writes, collections }));
}

/** A write's value as UTF-8 text; throws on bytes that are not UTF-8. */
export function valueText(write: KvWrite): string {
  return utf8.decode(write.value);
}
