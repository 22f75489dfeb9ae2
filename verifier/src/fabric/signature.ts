// Signature checks as Fabric's BCCSP makes them: ECDSA over SHA-256 with low-S only, or Ed25519.
import { createVerify, verify } from 'node:crypto';
import { DerError, ecdsaSignatureValues } from './asn1.js';
import type { Identity } from './msp.js';

/** Half the group order of each supported curve: Fabric refuses ECDSA signatures with s above it (malleability). */
const HALF_ORDER: Readonly<Record<string, bigint>> = {
  prime256v1: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n >> 1n,
  secp384r1: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n >> 1n,
};

/**
 * Undefined when `signature` by `identity` over `data` (the parts concatenated) verifies; otherwise what
 * is wrong with it. Parts are hashed one after the other, so a large signed payload is not copied.
 */
export function signatureProblem(identity: Identity, data: Uint8Array | readonly Uint8Array[], signature: Uint8Array): string | undefined {
  const parts = data instanceof Uint8Array ? [data] : data;
  const type = identity.key.asymmetricKeyType;
  if (type === 'ed25519') return verify(null, parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts), identity.key, signature) ? undefined : 'signature invalid';
  if (type !== 'ec') return `unsupported key type ${type ?? 'unknown'}`;
  const curve = identity.key.asymmetricKeyDetails?.namedCurve ?? '';
  const half = HALF_ORDER[curve];
  if (half === undefined) return `unsupported curve ${curve}`;
  let s: bigint;
  try {
    s = ecdsaSignatureValues(signature).s;
  } catch (err) {
    return `signature invalid (${err instanceof DerError ? err.message : 'not DER'})`;
  }
  if (s > half) return 'signature invalid (high S: Fabric accepts only low-S signatures)';
  const verifier = createVerify('sha256');
  for (const part of parts) verifier.update(part);
  return verifier.verify(identity.key, signature) ? undefined : 'signature invalid';
}
