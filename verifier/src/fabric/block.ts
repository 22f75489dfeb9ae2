// A block as the verifier needs it: header and the hashes Fabric computes, orderer signatures, last config, validation codes.
import { createHash } from 'node:crypto';
import * as common from '@hyperledger/fabric-protos/lib/common/common_pb.js';
import * as configtx from '@hyperledger/fabric-protos/lib/common/configtx_pb.js';
import { blockHeaderBytes } from './asn1.js';

export interface OrdererSignature {
  /** The common.SignatureHeader bytes (signed along with the metadata value and header). */
  readonly signatureHeader: Uint8Array;
  /** The signer's msp.SerializedIdentity; empty when the signature names a BFT consenter id instead. */
  readonly creator: Uint8Array;
  readonly signature: Uint8Array;
}

/** A block's parts as stored, nothing computed: what a reader of the chain (the gateway's index) needs. */
export interface BlockContents {
  readonly number: number;
  readonly previousHash: Buffer;
  readonly dataHash: Buffer;
  readonly envelopes: readonly Uint8Array[];
  /** Peer-written TxValidationCode per envelope (TRANSACTIONS_FILTER). */
  readonly validationCodes: Uint8Array;
  /** The SIGNATURES metadata (a common.Metadata), undefined when absent. */
  readonly signaturesMetadata: Uint8Array | undefined;
}

export interface ParsedBlock {
  readonly number: number;
  readonly previousHash: Buffer;
  readonly dataHash: Buffer;
  /** SHA-256 of the concatenated envelopes (protoutil.ComputeBlockDataHash). */
  readonly computedDataHash: Buffer;
  /** The DER header bytes that are hashed and signed (protoutil.BlockHeaderBytes). */
  readonly headerBytes: Buffer;
  /** SHA-256 of headerBytes: what the next block's previous hash must be. */
  readonly headerHash: Buffer;
  readonly envelopes: readonly Uint8Array[];
  /** The SIGNATURES metadata value (an OrdererBlockMetadata): part of what the orderer signs. */
  readonly signedMetadataValue: Uint8Array;
  readonly signatures: readonly OrdererSignature[];
  /** The config block in force for this block (from the signed orderer metadata). */
  readonly lastConfig: number | undefined;
  /** Peer-written TxValidationCode per envelope (TRANSACTIONS_FILTER). */
  readonly validationCodes: Uint8Array;
}

export class BlockParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BlockParseError';
  }
}

export const sha256 = (...parts: readonly Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** Parses block bytes (a bundle's `blocks/<n>.block`) and computes its data hash and header hash. */
export function parseBlock(bytes: Uint8Array): ParsedBlock {
  const { number, previousHash, dataHash, envelopes, validationCodes, signaturesMetadata } = readBlock(bytes);
  const headerBytes = blockHeaderBytes(BigInt(number), previousHash, dataHash);
  const signed = decodeSignatures(signaturesMetadata);
  return {
    number,
    previousHash,
    dataHash,
    computedDataHash: sha256(...envelopes),
    headerBytes,
    headerHash: sha256(headerBytes),
    envelopes,
    signedMetadataValue: signed.value,
    signatures: signed.signatures,
    lastConfig: signed.lastConfig,
    validationCodes,
  };
}

/** Decodes block bytes into their parts (no hash computed, no signature decoded); throws BlockParseError. */
export function readBlock(bytes: Uint8Array): BlockContents {
  let block: common.Block;
  try {
    block = common.Block.deserializeBinary(bytes);
  } catch (err) {
    throw new BlockParseError('not a Fabric block (protobuf decoding failed)', { cause: err });
  }
  const header = block.getHeader();
  if (header === undefined) throw new BlockParseError('the block has no header');
  const number = header.getNumber();
  const previousHash = Buffer.from(header.getPreviousHash_asU8());
  const dataHash = Buffer.from(header.getDataHash_asU8());
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const metadata = block.getMetadata()?.getMetadataList_asU8() ?? [];
  return {
    number,
    previousHash,
    dataHash,
    envelopes,
    validationCodes: metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array(),
    signaturesMetadata: metadata[common.BlockMetadataIndex.SIGNATURES],
  };
}

function decodeSignatures(bytes: Uint8Array | undefined): { value: Uint8Array; signatures: OrdererSignature[]; lastConfig: number | undefined } {
  if (bytes === undefined || bytes.length === 0) return { value: new Uint8Array(), signatures: [], lastConfig: undefined };
  let metadata: common.Metadata;
  try {
    metadata = common.Metadata.deserializeBinary(bytes);
  } catch (err) {
    throw new BlockParseError('the SIGNATURES metadata cannot be decoded', { cause: err });
  }
  const value = metadata.getValue_asU8();
  let lastConfig: number | undefined;
  if (value.length > 0) {
    try {
      lastConfig = common.OrdererBlockMetadata.deserializeBinary(value).getLastConfig()?.getIndex();
    } catch (err) {
      throw new BlockParseError('the orderer block metadata cannot be decoded', { cause: err });
    }
  }
  const signatures = metadata.getSignaturesList().map((entry) => {
    const signatureHeader = entry.getSignatureHeader_asU8();
    let creator: Uint8Array = new Uint8Array();
    if (signatureHeader.length > 0) {
      try {
        creator = common.SignatureHeader.deserializeBinary(signatureHeader).getCreator_asU8();
      } catch (err) {
        throw new BlockParseError('an orderer signature header cannot be decoded', { cause: err });
      }
    }
    return { signatureHeader, creator, signature: entry.getSignature_asU8() };
  });
  return { value, signatures, lastConfig };
}

/** The config (sequence and channel group) carried by a config block's only envelope. */
export function configOfBlock(block: ParsedBlock): { channelId: string; config: configtx.Config } {
  const [envelope] = block.envelopes;
  if (envelope === undefined || block.envelopes.length !== 1) throw new BlockParseError('a config block holds exactly one envelope');
  try {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelope).getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    if (channelHeader.getType() !== common.HeaderType.CONFIG) throw new BlockParseError(`block ${block.number} is not a config block`);
    const config = configtx.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
    if (config === undefined) throw new BlockParseError('the config envelope has no config');
    return { channelId: channelHeader.getChannelId(), config };
  } catch (err) {
    if (err instanceof BlockParseError) throw err;
    throw new BlockParseError('the config transaction cannot be decoded', { cause: err });
  }
}
