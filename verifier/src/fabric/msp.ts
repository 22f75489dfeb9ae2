// Fabric X.509 MSPs from a channel config: root and intermediate CAs, admins, node OUs; identities validated as Fabric's MSP does.
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { FABRIC_MSP_CONFIG } from './messages.js';
import { ProtoMessage } from './protobuf.js';

/** A node OU (client, peer, admin, orderer) or an OU identifier: its name and, when configured, the hash of its certifying chain. */
export interface OuIdentifier {
  readonly ou: string;
  readonly certifiersId: Buffer | undefined;
}

export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer';

export interface Msp {
  readonly id: string;
  readonly roots: readonly X509Certificate[];
  readonly intermediates: readonly X509Certificate[];
  /** DER of each explicitly listed admin certificate. */
  readonly admins: readonly Buffer[];
  /** Undefined when node OUs are not enabled. */
  readonly nodeOus: Readonly<Partial<Record<NodeRole, OuIdentifier>>> | undefined;
  readonly ouIdentifiers: readonly OuIdentifier[];
  /** SHA-256 of each root CA certificate (DER), for the report's trust anchor. */
  readonly rootFingerprints: readonly string[];
  /** What is wrong with this MSP's own definition (a root that does not parse or is not self-signed, …). */
  readonly problems: readonly string[];
}

/** A signer whose certificate chains to its MSP's CAs and whose node OUs are valid. */
export interface Identity {
  readonly mspId: string;
  readonly cert: X509Certificate;
  readonly key: KeyObject;
  readonly ous: readonly string[];
  /** SHA-256 over the certifying chain (issuer … root), as Fabric's OU CertifiersIdentifier. */
  readonly certifiersId: Buffer;
  /** MSP id + SHA-256 of the certificate: signers are de-duplicated on it, as Fabric does. */
  readonly id: string;
  /** For messages: `peer0.operator.aiaudit.local (OperatorOrgMSP)`. */
  readonly label: string;
}

export type IdentityResult = { ok: true; identity: Identity } | { ok: false; mspId: string; reason: string };

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

function parseCert(pem: Uint8Array, what: string, problems: string[]): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    problems.push(`${what} cannot be parsed as an X.509 certificate`);
    return undefined;
  }
}

const issuedBy = (cert: X509Certificate, ca: X509Certificate): boolean => ca.ca && cert.checkIssued(ca) && cert.verify(ca.publicKey);

/** The chain from `cert` (excluded) to one of `roots` (included), through `intermediates`; undefined when there is none. */
function chainOf(cert: X509Certificate, roots: readonly X509Certificate[], intermediates: readonly X509Certificate[]): X509Certificate[] | undefined {
  const chain: X509Certificate[] = [];
  let current = cert;
  for (let depth = 0; depth < 8; depth++) {
    const root = roots.find((r) => issuedBy(current, r));
    if (root !== undefined) return [...chain, root];
    const next = intermediates.find((i) => i !== current && !chain.includes(i) && issuedBy(current, i));
    if (next === undefined) return undefined;
    chain.push(next);
    current = next;
  }
  return undefined;
}

const chainId = (chain: readonly X509Certificate[]): Buffer => sha256(Buffer.concat(chain.map((c) => c.raw)));

/** The MSP described by a channel config's MSP value (msp.MSPConfig bytes). */
export function mspFromConfig(mspConfigBytes: Uint8Array): Msp {
  // MSPConfig: type 1, config 2 (a FabricMSPConfig: name 1, root_certs 2, intermediate_certs 3, admins 4,
  // organizational_unit_identifiers 7, fabric_node_ous 11 — enable 1, client 2, peer 3, admin 4, orderer 5).
  const config = new ProtoMessage(mspConfigBytes);
  const type = config.int32(1);
  if (type !== 0) {
    return { id: '(not X.509)', roots: [], intermediates: [], admins: [], nodeOus: undefined, ouIdentifiers: [], rootFingerprints: [], problems: [`MSP type ${type} is not supported (only X.509)`] };
  }
  const fabric = new ProtoMessage(config.bytes(2), FABRIC_MSP_CONFIG);
  const id = fabric.string(1);
  const problems: string[] = [];
  const validRoots = fabric.bytesList(2).flatMap((pem, i) => {
    const cert = parseCert(pem, `${id} root certificate ${i}`, problems);
    if (cert === undefined) return [];
    // Any changed byte of a root shows here: its own signature no longer verifies.
    if (!cert.ca || !cert.verify(cert.publicKey)) {
      problems.push(`${id} root certificate ${i} (${subjectCn(cert)}) is not a valid self-signed CA certificate`);
      return [];
    }
    return [{ pem: Buffer.from(pem), cert }];
  });
  const roots = validRoots.map((r) => r.cert);
  const candidates = fabric.bytesList(3).flatMap((pem, i) => parseCert(pem, `${id} intermediate certificate ${i}`, problems) ?? []);
  const intermediates = candidates.filter((cert) => {
    const ok = cert.ca && chainOf(cert, roots, candidates) !== undefined;
    if (!ok) problems.push(`${id} intermediate certificate ${subjectCn(cert)} is not issued by the MSP's root CAs`);
    return ok;
  });
  const admins = fabric.bytesList(4).flatMap((pem, i) => parseCert(pem, `${id} admin certificate ${i}`, problems)?.raw ?? []);
  // FabricOUIdentifier: certificate 1, organizational_unit_identifier 2.
  const ouOf = (identifier: ProtoMessage | undefined): OuIdentifier | undefined => {
    if (identifier === undefined) return undefined;
    const pem = identifier.bytes(1);
    const ou = identifier.string(2);
    let certifiersId: Buffer | undefined;
    if (pem.length > 0) {
      // Node OUs name their CA by its certificate, most often the very bytes of a root: that one is not parsed again.
      const known = validRoots.find((r) => r.pem.equals(pem))?.cert;
      const cert = known ?? parseCert(pem, `${id} OU ${ou} certificate`, problems);
      const root = known ?? (cert === undefined ? undefined : roots.find((r) => r.raw.equals(cert.raw)));
      const chain = cert === undefined || root !== undefined ? undefined : chainOf(cert, roots, intermediates);
      if (root !== undefined) certifiersId = chainId([root]);
      else if (cert !== undefined && chain !== undefined) certifiersId = chainId([cert, ...chain]);
      else problems.push(`${id} OU ${ou} names a certificate that is not one of its CAs`);
    }
    return { ou, certifiersId };
  };
  const node = fabric.message(11);
  const nodeOus =
    node === undefined || !node.bool(1)
      ? undefined
      : {
          client: ouOf(node.message(2)),
          peer: ouOf(node.message(3)),
          admin: ouOf(node.message(4)),
          orderer: ouOf(node.message(5)),
        };
  const ouIdentifiers = fabric.messages(7).flatMap((o) => ouOf(o) ?? []);
  const rootFingerprints = roots.map((r) => sha256(r.raw).toString('hex'));
  return { id, roots, intermediates, admins, nodeOus, ouIdentifiers, rootFingerprints, problems };
}

export function subjectCn(cert: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ', ');
}

const ousOf = (cert: X509Certificate): string[] => [...cert.subject.matchAll(/(?:^|\n)OU=([^\n]*)/g)].map((m) => m[1] ?? '');

/** The MSP id and certificate bytes of a msp.SerializedIdentity; throws when the bytes are not one. */
export function serializedIdentityOf(bytes: Uint8Array): { mspId: string; idBytes: Uint8Array } {
  // SerializedIdentity: mspid 1, id_bytes 2.
  const sid = new ProtoMessage(bytes);
  return { mspId: sid.string(1), idBytes: sid.bytes(2) };
}

/** Deserialises and validates signer identities against the channel's MSPs, once per distinct identity. */
export class MspRegistry {
  readonly #msps: ReadonlyMap<string, Msp>;
  readonly #cache = new Map<string, IdentityResult>();

  constructor(msps: ReadonlyMap<string, Msp>) {
    this.#msps = msps;
  }

  msp(id: string): Msp | undefined {
    return this.#msps.get(id);
  }

  /** A msp.SerializedIdentity (as in signature headers and endorsements) validated against the MSP it names. */
  identity(serialized: Uint8Array): IdentityResult {
    const key = Buffer.from(serialized).toString('base64');
    let result = this.#cache.get(key);
    if (result === undefined) {
      result = this.#validate(serialized);
      this.#cache.set(key, result);
    }
    return result;
  }

  #validate(serialized: Uint8Array): IdentityResult {
    let mspId = '';
    let pem: Uint8Array;
    try {
      ({ mspId, idBytes: pem } = serializedIdentityOf(serialized));
    } catch {
      return { ok: false, mspId, reason: 'the identity is not a serialized Fabric identity' };
    }
    const fail = (reason: string): IdentityResult => ({ ok: false, mspId, reason });
    const msp = this.#msps.get(mspId);
    if (msp === undefined) return fail(`${mspId || '(no MSP id)'} is not an organisation of the channel`);
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      return fail('the certificate cannot be parsed');
    }
    if (cert.ca) return fail('a CA certificate cannot be a signer');
    const chain = chainOf(cert, msp.roots, msp.intermediates);
    if (chain === undefined) {
      const other = [...this.#msps.values()].find((m) => m !== msp && chainOf(cert, m.roots, m.intermediates) !== undefined);
      return fail(other === undefined ? 'certificate not issued by any channel CA' : `certificate issued by ${other.id}'s CA, not ${mspId}'s`);
    }
    const ous = ousOf(cert);
    const certifiersId = chainId(chain);
    const ouProblem = checkOus(msp, ous, certifiersId);
    if (ouProblem !== undefined) return fail(ouProblem);
    const identity: Identity = {
      mspId,
      cert,
      key: cert.publicKey,
      ous,
      certifiersId,
      id: `${mspId}/${sha256(cert.raw).toString('hex')}`,
      label: `${subjectCn(cert)} (${mspId})`,
    };
    return { ok: true, identity };
  }
}

/** Fabric's OU rules (validateIdentityOUsV142): a configured OU identifier must match; with node OUs, exactly one node OU. */
function checkOus(msp: Msp, ous: readonly string[], certifiersId: Buffer): string | undefined {
  const matches = (identifier: OuIdentifier): boolean =>
    ous.includes(identifier.ou) && (identifier.certifiersId === undefined || identifier.certifiersId.equals(certifiersId));
  if (msp.ouIdentifiers.length > 0 && !msp.ouIdentifiers.some(matches)) return `the certificate has none of ${msp.id}'s organisational units`;
  if (msp.nodeOus === undefined) return undefined;
  const roles = Object.values(msp.nodeOus).filter((o): o is OuIdentifier => o !== undefined && ous.includes(o.ou));
  if (roles.length !== 1) return `the certificate must carry exactly one node OU (client, peer, admin or orderer), it has ${roles.length}`;
  const [role] = roles;
  if (role?.certifiersId !== undefined && !role.certifiersId.equals(certifiersId)) return `the node OU ${role.ou} is certified by another CA than ${msp.id} requires`;
  return undefined;
}
