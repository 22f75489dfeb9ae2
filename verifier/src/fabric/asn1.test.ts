// Fabric's header encoding and ECDSA signature decoding, checked against real blocks and known DER.
import { describe, expect, it } from 'vitest';
import { blockHeaderBytes, DerError, ecdsaSignatureValues } from './asn1.js';
import { parseBlock } from './block.js';
import { blockNumbers, file, fixtureFiles } from '../testing/fixture.js';

describe('blockHeaderBytes', () => {
  it('hashes to the previous hash the next real block carries', () => {
    const files = fixtureFiles();
    const [first, second] = blockNumbers(files).map((n) => parseBlock(file(files, `blocks/${n}.block`)));
    expect(second!.number).toBe(first!.number + 1);
    expect(first!.headerHash.equals(second!.previousHash)).toBe(true);
  });

  it('encodes numbers as minimal DER integers and empty hashes as empty octet strings (the genesis block)', () => {
    expect(blockHeaderBytes(0n, new Uint8Array(), Buffer.from([0xab])).toString('hex')).toBe('300802010004000401ab');
    expect(blockHeaderBytes(128n, new Uint8Array(), new Uint8Array()).subarray(2, 6).toString('hex')).toBe('02020080');
    // 3 + 203 + 34 content bytes: the long length form.
    expect(blockHeaderBytes(1n, Buffer.alloc(200), Buffer.alloc(32)).subarray(0, 9).toString('hex')).toBe('3081f002010104 81c8'.replace(/ /g, ''));
  });
});

describe('ecdsaSignatureValues', () => {
  it('reads r and s and refuses what is not one DER sequence of two integers', () => {
    expect(ecdsaSignatureValues(Buffer.from('3006020101020102', 'hex'))).toEqual({ r: 1n, s: 2n });
    expect(() => ecdsaSignatureValues(Buffer.from('300602010102010200', 'hex'))).toThrow(DerError);
    expect(() => ecdsaSignatureValues(Buffer.from('3003020101', 'hex'))).toThrow(DerError);
    expect(() => ecdsaSignatureValues(Buffer.from('0201ff', 'hex'))).toThrow(DerError);
  });
});
