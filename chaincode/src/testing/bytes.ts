// Byte handling at the stub's edge: what the shim accepts as a value, and copies so callers cannot alias state.

/** The shim takes a Uint8Array, and (untyped) a string it encodes as UTF-8. */
export function toBytes(value: unknown): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  throw new TypeError('value must be a Uint8Array');
}

/** A value as the shim hands it to chaincode: a fresh Buffer. */
export function toBuffer(value: Uint8Array): Buffer {
  return Buffer.from(value);
}

export function emptyBuffer(): Buffer {
  return Buffer.alloc(0);
}
