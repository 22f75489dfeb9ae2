// Protobuf wire format, read directly: the few Fabric messages the verifier decodes, without generated code to load at start-up.

/** Malformed protobuf bytes, or a field of the wrong wire type. */
export class ProtoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoError';
  }
}

/**
 * Which fields of a message are messages themselves, with their own schema. They are decoded along
 * with it, as generated code does, so that a malformed embedded message fails the whole decode even
 * when the verifier never reads it.
 */
export interface Schema {
  readonly [field: number]: Schema;
}

/** A `map<string, V>` field's entry: key 1, value 2. */
export const mapEntry = (value: Schema): Schema => ({ 2: value });

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const EMPTY = new Uint8Array();
const utf8 = new TextDecoder('utf-8');

/** A varint is a number while it is exact (below 2^53), a bigint beyond (negative int32s and int64s, huge uint64s). */
type Value = number | bigint | Uint8Array | ProtoMessage;

/**
 * One decoded message: its fields by number. Bytes fields are views of the input (no copy). Absent
 * fields read as proto3 defaults; a singular field given more than once reads as its last value.
 */
export class ProtoMessage {
  /** The message's own bytes. */
  readonly raw: Uint8Array;
  readonly #fields = new Map<number, Value[]>();
  readonly #wireTypes = new Map<number, number>();
  /** Field → the wire position of its last occurrence (which member of a oneof was set last). */
  readonly #order = new Map<number, number>();

  /** Decodes `bytes`; throws ProtoError when they are not a protobuf message (of `schema`'s shape). */
  constructor(bytes: Uint8Array, schema: Schema = {}) {
    this.raw = bytes;
    let at = 0;
    while (at < bytes.length) {
      const key = readVarint(bytes, at);
      const afterKey = varintEnd;
      if (typeof key !== 'number' || key > 0xffffffff) throw new ProtoError('field key out of range');
      const field = Math.floor(key / 8);
      const wireType = key % 8;
      if (field === 0) throw new ProtoError('field number 0');
      let value: Value;
      if (wireType === VARINT) {
        value = readVarint(bytes, afterKey);
        at = varintEnd;
      } else if (wireType === LENGTH_DELIMITED) {
        const length = readVarint(bytes, afterKey);
        const start = varintEnd;
        if (typeof length !== 'number') throw new ProtoError(`field ${field} is too long`);
        at = start + length;
        if (at > bytes.length) throw new ProtoError(`field ${field} runs past the end of the message`);
        value = bytes.subarray(start, at);
        const nested = schema[field];
        if (nested !== undefined) value = new ProtoMessage(value, nested);
      } else if (wireType === FIXED64 || wireType === FIXED32) {
        at = afterKey + (wireType === FIXED64 ? 8 : 4);
        if (at > bytes.length) throw new ProtoError(`field ${field} runs past the end of the message`);
        value = bytes.subarray(afterKey, at);
      } else throw new ProtoError(`field ${field} has unsupported wire type ${wireType}`);
      if (schema[field] !== undefined && wireType !== LENGTH_DELIMITED) throw new ProtoError(`field ${field} is a message but has wire type ${wireType}`);
      const known = this.#wireTypes.get(field);
      if (known !== undefined && known !== wireType) throw new ProtoError(`field ${field} appears with two wire types`);
      this.#wireTypes.set(field, wireType);
      this.#order.set(field, at);
      const values = this.#fields.get(field);
      if (values === undefined) this.#fields.set(field, [value]);
      else values.push(value);
    }
  }

  #values(field: number, wireType: number): readonly Value[] {
    const values = this.#fields.get(field);
    if (values === undefined) return [];
    if (this.#wireTypes.get(field) !== wireType) throw new ProtoError(`field ${field} has wire type ${this.#wireTypes.get(field)}, expected ${wireType}`);
    return values;
  }

  #last(field: number, wireType: number): Value | undefined {
    const values = this.#values(field, wireType);
    return values[values.length - 1];
  }

  #varint(field: number): number | bigint {
    const value = this.#last(field, VARINT);
    return typeof value === 'number' || typeof value === 'bigint' ? value : 0;
  }

  /** A `bytes` field (or an embedded message's bytes). */
  bytes(field: number): Uint8Array {
    const value = this.#last(field, LENGTH_DELIMITED);
    return value === undefined ? EMPTY : asBytes(value);
  }

  /** A repeated `bytes` field. */
  bytesList(field: number): Uint8Array[] {
    return this.#values(field, LENGTH_DELIMITED).map(asBytes);
  }

  string(field: number): string {
    return utf8.decode(this.bytes(field));
  }

  /** A uint64 or uint32 as a number: above 2^53 it is rounded, as generated JavaScript code does. */
  uint(field: number): number {
    return Number(this.#varint(field));
  }

  /** An int64 as a number (rounded beyond 2^53). */
  int64(field: number): number {
    const value = this.#varint(field);
    return typeof value === 'number' ? value : Number(BigInt.asIntN(64, value));
  }

  /** An int32 or enum: the varint's low 32 bits, signed (a negative int32 is sign-extended to 64 bits on the wire). */
  int32(field: number): number {
    const value = this.#varint(field);
    return typeof value === 'number' ? value | 0 : Number(BigInt.asIntN(32, value));
  }

  bool(field: number): boolean {
    const value = this.#varint(field);
    return value !== 0 && value !== 0n;
  }

  /** Of `fields` (a oneof's members), the one that came last on the wire; undefined when none is present. */
  lastOf(fields: readonly number[]): number | undefined {
    let last: number | undefined;
    for (const field of fields) {
      const at = this.#order.get(field);
      if (at !== undefined && (last === undefined || at > (this.#order.get(last) ?? -1))) last = field;
    }
    return last;
  }

  /** An embedded message (of the schema given for it); undefined when absent. */
  message(field: number): ProtoMessage | undefined {
    const value = this.#last(field, LENGTH_DELIMITED);
    return value === undefined ? undefined : toMessage(value);
  }

  /** A repeated embedded message. */
  messages(field: number): ProtoMessage[] {
    return this.#values(field, LENGTH_DELIMITED).map(toMessage);
  }

  /** A `map<string, Message>` field, in key order as generated code iterates it; a later entry for a key replaces an earlier one. */
  messageMap(field: number): Map<string, ProtoMessage> {
    const entries = new Map<string, ProtoMessage>();
    for (const entry of this.messages(field)) entries.set(entry.string(1), entry.message(2) ?? new ProtoMessage(EMPTY));
    return new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

const toMessage = (value: Value): ProtoMessage => (value instanceof ProtoMessage ? value : new ProtoMessage(asBytes(value)));
const asBytes = (value: Value): Uint8Array => (value instanceof ProtoMessage ? value.raw : value instanceof Uint8Array ? value : EMPTY);

/** Where the varint readVarint last read ends (a second result without allocating a pair per field). */
let varintEnd = 0;

/** Reads the varint at `at` (64 bits at most): a number while exact, a bigint beyond 2^53. */
function readVarint(bytes: Uint8Array, at: number): number | bigint {
  let value = 0;
  let scale = 1;
  // Seven bytes carry 49 bits: exact as a number.
  for (let i = at; i < at + 7; i++) {
    const byte = bytes[i];
    if (byte === undefined) throw new ProtoError('truncated varint');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      varintEnd = i + 1;
      return value;
    }
    scale *= 128;
  }
  return readLongVarint(bytes, at);
}

function readLongVarint(bytes: Uint8Array, at: number): number | bigint {
  let value = 0n;
  for (let i = at; i < at + 10; i++) {
    const byte = bytes[i];
    if (byte === undefined) throw new ProtoError('truncated varint');
    value |= BigInt(byte & 0x7f) << BigInt(7 * (i - at));
    if (byte < 0x80) {
      varintEnd = i + 1;
      const exact = BigInt.asUintN(64, value);
      return exact <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(exact) : exact;
    }
  }
  throw new ProtoError('varint longer than 10 bytes');
}
