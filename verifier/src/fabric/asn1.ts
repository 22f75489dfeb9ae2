// The little DER Fabric needs: the block header encoding that is hashed and signed, and ECDSA signature (r, s) decoding.

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** A non-negative integer as DER INTEGER content: big-endian, minimal, with a 0x00 when the top bit is set. */
function unsignedIntegerContent(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/**
 * Fabric's BlockHeaderBytes: ASN.1 DER of SEQUENCE { number INTEGER, previousHash OCTET STRING,
 * dataHash OCTET STRING } (protoutil/blockutils.go). Its SHA-256 is the block's header hash.
 */
export function blockHeaderBytes(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  const content = Buffer.concat([tlv(0x02, unsignedIntegerContent(number)), tlv(0x04, previousHash), tlv(0x04, dataHash)]);
  return tlv(0x30, content);
}

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

interface Tlv {
  tag: number;
  content: Uint8Array;
  end: number;
}

function readTlv(bytes: Uint8Array, at: number): Tlv {
  const tag = bytes[at];
  let length = bytes[at + 1];
  if (tag === undefined || length === undefined) throw new DerError('truncated');
  let offset = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3) throw new DerError('unsupported length');
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = bytes[offset + i];
      if (byte === undefined) throw new DerError('truncated length');
      length = length * 256 + byte;
    }
    offset += count;
  }
  const end = offset + length;
  if (end > bytes.length) throw new DerError('truncated content');
  return { tag, content: bytes.subarray(offset, end), end };
}

function toBigInt(content: Uint8Array): bigint {
  if (content.length === 0) throw new DerError('empty integer');
  if ((content[0] ?? 0) & 0x80) throw new DerError('negative integer');
  return BigInt(`0x${Buffer.from(content).toString('hex')}`);
}

/** r and s of a DER ECDSA-Sig-Value; throws DerError on anything else (including trailing bytes). */
export function ecdsaSignatureValues(signature: Uint8Array): { r: bigint; s: bigint } {
  const sequence = readTlv(signature, 0);
  if (sequence.tag !== 0x30 || sequence.end !== signature.length) throw new DerError('not a DER sequence');
  const r = readTlv(sequence.content, 0);
  const s = readTlv(sequence.content, r.end);
  if (r.tag !== 0x02 || s.tag !== 0x02 || s.end !== sequence.content.length) throw new DerError('not two DER integers');
  return { r: toBigInt(r.content), s: toBigInt(s.content) };
}
