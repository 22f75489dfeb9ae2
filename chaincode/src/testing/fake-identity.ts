// The transaction creator: a ClientIdentity like fabric-shim's, and a factory for cryptogen-style x509 ids.
import type { ClientIdentity } from 'fabric-shim';

/** Who submits a transaction. */
export interface IdentitySpec {
  /** MSP of the client, e.g. 'OperatorOrgMSP'. */
  readonly mspId: string;
  /** Fabric's "x509::<subject DN>::<issuer DN>"; defaults to User1 (OU=client) of the MSP's org. */
  readonly id?: string;
  /** Attributes a Fabric CA put in the certificate (cryptogen certificates have none). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** The creator's certificate bytes; defaults to a recognisable placeholder derived from the id. */
  readonly idBytes?: Uint8Array;
}

/** NodeOU of a cryptogen certificate: how admins are told apart from users. */
export type NodeOu = 'client' | 'admin' | 'peer' | 'orderer';

export interface DistinguishedNameOptions {
  /** Org domain; default derived from the MSP id: 'OperatorOrgMSP' → 'operator.aiaudit.local'. */
  readonly domain?: string;
  readonly country?: string;
  readonly province?: string;
  readonly locality?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** 'OperatorOrgMSP' → 'operator.aiaudit.local'. */
export function orgDomain(mspId: string): string {
  const org = mspId.replace(/MSP$/, '').replace(/Org$/, '').toLowerCase();
  return `${org}.aiaudit.local`;
}

/** Fabric's id string for an enrolled name, e.g. x509id('OperatorOrgMSP', 'Admin', 'admin'). */
export function x509Id(mspId: string, name: string, ou: NodeOu = 'client', options: DistinguishedNameOptions = {}): string {
  const domain = options.domain ?? orgDomain(mspId);
  const place = `/C=${options.country ?? 'US'}/ST=${options.province ?? 'North Carolina'}/L=${options.locality ?? 'San Francisco'}`;
  const subject = `${place}/OU=${ou}/CN=${name}@${domain}`;
  const issuer = `${place}/O=${domain}/CN=ca.${domain}`;
  return `x509::${subject}::${issuer}`;
}

/**
 * An identity to submit with: identity('OperatorOrgMSP', 'User1') is a client,
 * identity('OperatorOrgMSP', 'Admin', 'admin') an org admin (OU=admin, as cryptogen's NodeOUs mark it).
 */
export function identity(
  mspId: string,
  name = 'User1',
  ou: NodeOu = 'client',
  options: DistinguishedNameOptions = {},
): IdentitySpec {
  return { mspId, id: x509Id(mspId, name, ou, options), attributes: { ...(options.attributes ?? {}) } };
}

/** Behaves like fabric-shim's ClientIdentity for the given creator. */
export class FakeClientIdentity implements ClientIdentity {
  readonly mspId: string;
  readonly id: string;
  private readonly attributes: Readonly<Record<string, string>>;
  private readonly idBytes: Uint8Array;

  constructor(spec: IdentitySpec) {
    this.mspId = spec.mspId;
    this.id = spec.id ?? x509Id(spec.mspId, 'User1');
    this.attributes = { ...(spec.attributes ?? {}) };
    this.idBytes = spec.idBytes ?? new TextEncoder().encode(`FAKE-X509 ${this.id}`);
  }

  getID(): string {
    return this.id;
  }

  getMSPID(): string {
    return this.mspId;
  }

  getIDBytes(): Uint8Array {
    return Uint8Array.from(this.idBytes);
  }

  /** As in fabric-shim: null when absent, and also when the value is the empty string. */
  getAttributeValue(attrName: string): string | null {
    const value = Object.hasOwn(this.attributes, attrName) ? this.attributes[attrName] : undefined;
    return value ? value : null;
  }

  assertAttributeValue(attrName: string, attrValue: string): boolean {
    const value = this.getAttributeValue(attrName);
    return value !== null && value === attrValue;
  }
}
