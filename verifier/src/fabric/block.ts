// A block as the verifier needs it: header and the hashes Fabric computes, orderer signatures, last config, validation codes.
import { createHash } from 'node:crypto';
import { blockHeaderBytes } from './asn1.js';
import { decodeConfigGroup, type ConfigGroup } from './config-group.js';
import { BLOCK, BlockMetadataIndex, CHANNEL_HEADER, CONFIG_ENVELOPE, HeaderType, METADATA, ORDERER_BLOCK_METADATA, PAYLOAD } from './messages.js';
import { ProtoMessage } from './protobuf.js';

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
  // Block: header 1 (number 1, previous_hash 2, data_hash 3), data 2 (data 1), metadata 3 (metadata 1).
  let parts;
  try {
    const block = new ProtoMessage(bytes, BLOCK);
    const header = block.message(1);
    parts = {
      header: header && { number: header.uint(1), previousHash: header.bytes(2), dataHash: header.bytes(3) },
      envelopes: block.message(2)?.bytesList(1) ?? [],
      metadata: block.message(3)?.bytesList(1) ?? [],
    };
  } catch (err) {
    throw new BlockParseError('not a Fabric block (protobuf decoding failed)', { cause: err });
  }
  const { header, envelopes, metadata } = parts;
  if (header === undefined) throw new BlockParseError('the block has no header');
  return {
    number: header.number,
    previousHash: Buffer.from(header.previousHash),
    dataHash: Buffer.from(header.dataHash),
    envelopes,
    validationCodes: metadata[BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array(),
    signaturesMetadata: metadata[BlockMetadataIndex.SIGNATURES],
  };
}

function decodeSignatures(bytes: Uint8Array | undefined): { value: Uint8Array; signatures: OrdererSignature[]; lastConfig: number | undefined } {
  if (bytes === undefined || bytes.length === 0) return { value: new Uint8Array(), signatures: [], lastConfig: undefined };
  // Metadata: value 1 (an OrdererBlockMetadata: last_config 1, index 1), signatures 2 (signature_header 1, signature 2).
  let metadata;
  try {
    const message = new ProtoMessage(bytes, METADATA);
    metadata = { value: message.bytes(1), entries: message.messages(2).map((entry) => ({ signatureHeader: entry.bytes(1), signature: entry.bytes(2) })) };
  } catch (err) {
    throw new BlockParseError('the SIGNATURES metadata cannot be decoded', { cause: err });
  }
  const { value } = metadata;
  let lastConfig: number | undefined;
  if (value.length > 0) {
    try {
      lastConfig = new ProtoMessage(value, ORDERER_BLOCK_METADATA).message(1)?.uint(1);
    } catch (err) {
      throw new BlockParseError('the orderer block metadata cannot be decoded', { cause: err });
    }
  }
  const signatures = metadata.entries.map(({ signatureHeader, signature }) => {
    let creator: Uint8Array = new Uint8Array();
    if (signatureHeader.length > 0) {
      try {
        // SignatureHeader: creator 1, nonce 2.
        creator = new ProtoMessage(signatureHeader).bytes(1);
      } catch (err) {
        throw new BlockParseError('an orderer signature header cannot be decoded', { cause: err });
      }
    }
    return { signatureHeader, creator, signature };
  });
  return { value, signatures, lastConfig };
}

/** What a config block's only envelope carries: the channel, the config sequence and the /Channel group. */
export interface BlockConfig {
  readonly channelId: string;
  readonly sequence: number;
  readonly root: ConfigGroup | undefined;
}

/** The config carried by a config block's only envelope. */
export function configOfBlock(block: ParsedBlock): BlockConfig {
  const [envelope] = block.envelopes;
  if (envelope === undefined || block.envelopes.length !== 1) throw new BlockParseError('a config block holds exactly one envelope');
  try {
    // Envelope: payload 1. Payload: header 1 (channel_header 1), data 2 (a ConfigEnvelope: config 1, sequence 1, channel_group 2).
    const payload = new ProtoMessage(new ProtoMessage(envelope).bytes(1), PAYLOAD);
    const channelHeader = new ProtoMessage(payload.message(1)?.bytes(1) ?? new Uint8Array(), CHANNEL_HEADER);
    if (channelHeader.int32(1) !== HeaderType.CONFIG) throw new BlockParseError(`block ${block.number} is not a config block`);
    const config = new ProtoMessage(payload.bytes(2), CONFIG_ENVELOPE).message(1);
    if (config === undefined) throw new BlockParseError('the config envelope has no config');
    const root = config.message(2);
    return { channelId: channelHeader.string(4), sequence: config.uint(1), root: root === undefined ? undefined : decodeConfigGroup(root) };
  } catch (err) {
    if (err instanceof BlockParseError) throw err;
    throw new BlockParseError('the config transaction cannot be decoded', { cause: err });
  }
}
