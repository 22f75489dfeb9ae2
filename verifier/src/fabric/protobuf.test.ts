// The protobuf reader against bytes written by the generated Fabric code, and against malformed bytes.
import { common, msp } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { bytesField, message, varintField } from '../testing/wire.js';
import { mapEntry, ProtoError, ProtoMessage } from './protobuf.js';

describe('ProtoMessage', () => {
  it('reads what the generated code wrote: numbers, strings, bytes, embedded and repeated messages', () => {
    const header = new common.BlockHeader();
    header.setNumber(2 ** 40 + 7);
    header.setPreviousHash(Uint8Array.from([1, 2, 3]));
    const block = new common.Block();
    block.setHeader(header);
    const data = new common.BlockData();
    data.setDataList([Uint8Array.from([9]), Uint8Array.from([8, 7])]);
    block.setData(data);
    const decoded = new ProtoMessage(block.serializeBinary(), { 1: {}, 2: {} });
    expect(decoded.message(1)?.uint(1)).toBe(2 ** 40 + 7);
    expect([...(decoded.message(1)?.bytes(2) ?? [])]).toEqual([1, 2, 3]);
    expect(decoded.message(1)?.bytes(3)).toHaveLength(0);
    expect(decoded.message(2)?.bytesList(1).map((b) => [...b])).toEqual([[9], [8, 7]]);
    expect(decoded.message(3)).toBeUndefined();
    // An embedded message still reads as its bytes.
    expect([...decoded.bytes(1)]).toEqual([...header.serializeBinary()]);
    const identity = new msp.SerializedIdentity();
    identity.setMspid('OrgMSP ü');
    expect(new ProtoMessage(identity.serializeBinary()).string(1)).toBe('OrgMSP ü');
  });

  it('reads int32 and int64 as signed, uint64 above 2^53 rounded as generated code does, bool', () => {
    const decoded = new ProtoMessage(message(varintField(1, -2n), varintField(2, -(2n ** 40n)), varintField(3, 2n ** 63n + 1n), varintField(4, 1n), varintField(5, 2n ** 32n + 5n)));
    expect(decoded.int32(1)).toBe(-2);
    expect(decoded.int64(2)).toBe(-(2 ** 40));
    expect(decoded.uint(3)).toBe(2 ** 63);
    expect(decoded.bool(4)).toBe(true);
    expect(decoded.bool(9)).toBe(false);
    // An int32 keeps the low 32 bits.
    expect(decoded.int32(5)).toBe(5);
  });

  it('keeps the last of a repeated singular field, and tells which member of a oneof came last', () => {
    const decoded = new ProtoMessage(message(varintField(1, 4n), bytesField(2, []), varintField(1, 5n)));
    expect(decoded.int32(1)).toBe(5);
    expect(decoded.lastOf([1, 2])).toBe(1);
    expect(new ProtoMessage(message(varintField(1, 4n), bytesField(2, []))).lastOf([1, 2])).toBe(2);
    expect(new ProtoMessage(message(varintField(3, 4n))).lastOf([1, 2])).toBeUndefined();
  });

  it('iterates a map in key order, as generated code does, a later entry for a key replacing an earlier one', () => {
    const entry = (key: string, value: number) => bytesField(2, message(bytesField(1, [...Buffer.from(key)]), bytesField(2, message(varintField(1, BigInt(value))))));
    const decoded = new ProtoMessage(message(entry('b', 1), entry('a', 2), entry('b', 3)), { 2: mapEntry({}) });
    expect([...decoded.messageMap(2)].map(([key, value]) => [key, value.uint(1)])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });

  it.each([
    ['a truncated varint', message([0x08, 0x80])],
    ['a length past the end', message([0x0a, 0x05, 0x01])],
    ['field number 0', message([0x00, 0x01])],
    ['a group (wire type 3)', message([0x0b])],
    ['a varint longer than 10 bytes', message([0x08, ...new Array<number>(10).fill(0x80), 0x01])],
    ['a field given with two wire types', message(varintField(1, 1n), bytesField(1, []))],
  ])('refuses %s', (_name, bytes) => {
    expect(() => new ProtoMessage(bytes)).toThrow(ProtoError);
  });

  it('refuses a field read as another wire type than it came with', () => {
    expect(() => new ProtoMessage(message(varintField(1, 1n))).bytes(1)).toThrow(/wire type 0, expected 2/);
    expect(() => new ProtoMessage(message(bytesField(1, []))).uint(1)).toThrow(ProtoError);
  });

  it('decodes the embedded messages its schema names at once, so a malformed one fails the whole message', () => {
    const bytes = message(bytesField(1, [0x0a, 0x05]));
    expect(() => new ProtoMessage(bytes)).not.toThrow();
    expect(() => new ProtoMessage(bytes, { 1: {} })).toThrow(ProtoError);
    expect(() => new ProtoMessage(message(varintField(1, 1n)), { 1: {} })).toThrow(/is a message/);
  });
});
