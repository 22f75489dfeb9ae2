import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derSignature, nativeEcdsaSigner } from './identity.js';

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** r and s of a DER ECDSA signature (short-form lengths, as P-256 signatures have). */
function rsOf(der: Uint8Array): { r: bigint; s: bigint } {
  const bytes = Buffer.from(der);
  expect(bytes[0]).toBe(0x30);
  expect(bytes[1]).toBe(bytes.length - 2);
  const rLength = bytes[3] ?? 0;
  const r = bytes.subarray(4, 4 + rLength);
  const s = bytes.subarray(6 + rLength);
  expect(bytes[4 + rLength]).toBe(0x02);
  expect(s.length).toBe(bytes[5 + rLength]);
  return { r: BigInt(`0x${r.toString('hex')}`), s: BigInt(`0x${s.toString('hex')}`) };
}

describe('nativeEcdsaSigner', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const signer = nativeEcdsaSigner(privateKey);

  it('signs SHA-256 of the message in DER that verifies, always with a low S', async () => {
    expect(signer).toBeDefined();
    // Half of all raw signatures have a high S: 64 in a row all low by chance is 2^-64.
    for (let i = 0; i < 64; i++) {
      const message = Buffer.from(`proposal bytes ${i}`);
      const der = await signer!(message);
      expect(verify('sha256', message, publicKey, der)).toBe(true);
      expect(verify('sha256', Buffer.from(`proposal bytes ${i + 1}`), publicKey, der)).toBe(false);
      expect(rsOf(der).s <= P256_ORDER / 2n).toBe(true);
    }
  });

  it('is not offered for keys Fabric ECDSA does not use (fabric-gateway signs those)', () => {
    expect(nativeEcdsaSigner(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey)).toBeUndefined();
    expect(nativeEcdsaSigner(generateKeyPairSync('ed25519').privateKey)).toBeUndefined();
  });
});

describe('derSignature', () => {
  it('writes minimal positive INTEGERs: a leading zero only before a high bit', () => {
    const der = Buffer.from(derSignature(0x80n, 0x7fn));
    expect(der.toString('hex')).toBe('3007' + '02020080' + '02017f');
    expect(rsOf(derSignature(0x1234n, 0xff00n))).toEqual({ r: 0x1234n, s: 0xff00n });
  });

  it('round-trips through Node: a flipped S no longer verifies', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const message = Buffer.from('envelope');
    const der = await nativeEcdsaSigner(privateKey)!(message);
    const { r, s } = rsOf(der);
    const publicKey = createPublicKey(privateKey);
    expect(verify('sha256', message, publicKey, derSignature(r, s))).toBe(true);
    expect(verify('sha256', message, publicKey, derSignature(r, s ^ 1n))).toBe(false);
  });
});
