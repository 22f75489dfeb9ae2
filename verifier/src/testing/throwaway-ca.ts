// Test-only: a throwaway CA and signers it issues (real X.509, P-256), to forge endorsements that no channel CA vouches for.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { bits, bool, explicit, int, octets, oid, seq, set, utcTime, utf8 } from './der.js';

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export interface Signer {
  certPem: string;
  key: KeyObject;
}

function name(parts: { cn: string; o: string; ou?: string }): Buffer {
  const rdn = (type: string, value: string) => set(seq(oid(type), utf8(value)));
  return seq(rdn('2.5.4.10', parts.o), ...(parts.ou === undefined ? [] : [rdn('2.5.4.11', parts.ou)]), rdn('2.5.4.3', parts.cn));
}

function certificate(subject: Buffer, issuer: Buffer, publicKey: KeyObject, signingKey: KeyObject, isCa: boolean, serial: bigint): string {
  const now = Date.now();
  const tbs = seq(
    explicit(0, int(2n)),
    int(serial),
    ECDSA_SHA256,
    issuer,
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 365 * 86_400_000))),
    subject,
    publicKey.export({ format: 'der', type: 'spki' }),
    explicit(3, seq(seq(oid('2.5.29.19'), bool(true), octets(isCa ? seq(bool(true)) : seq())))),
  );
  const der = seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, signingKey)));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

/** A self-signed CA for organisation `o`, able to issue leaf signers (OU peer by default). */
export function throwawayCa(o: string) {
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = name({ cn: `ca.${o}`, o });
  const caPem = certificate(caName, caName, ca.publicKey, ca.privateKey, true, 1n);
  let serial = 2n;
  return {
    caPem,
    issue(cn: string, ou = 'peer'): Signer {
      const leaf = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      return { certPem: certificate(name({ cn, o, ou }), caName, leaf.publicKey, ca.privateKey, false, serial++), key: leaf.privateKey };
    },
  };
}

/** An ECDSA P-256/SHA-256 signature in the low-S form Fabric requires. */
export function lowSSign(key: KeyObject, data: Uint8Array): Buffer {
  const der = sign('sha256', data, key);
  const rLength = der[3] ?? 0;
  const r = BigInt(`0x${der.subarray(4, 4 + rLength).toString('hex')}`);
  let s = BigInt(`0x${der.subarray(6 + rLength).toString('hex')}`);
  if (s > P256_ORDER >> 1n) s = P256_ORDER - s;
  return seq(int(r), int(s));
}
