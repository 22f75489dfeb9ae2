// Protobuf wire bytes written by hand, for tests that need bytes the generated code would not write.

/** A varint's bytes (a negative value as its 64-bit two's complement, as int64 fields are written). */
export function varint(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, value);
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return bytes;
}

export const field = (number: number, wireType: number): number[] => varint(BigInt(number * 8 + wireType));
export const varintField = (number: number, value: bigint): number[] => [...field(number, 0), ...varint(value)];
export const bytesField = (number: number, bytes: Uint8Array | number[]): number[] => [...field(number, 2), ...varint(BigInt(bytes.length)), ...bytes];
export const message = (...fields: number[][]): Uint8Array => Uint8Array.from(fields.flat());
