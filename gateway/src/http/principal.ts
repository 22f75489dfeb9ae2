// Who is calling: roles, the principal type, and the data that maps (org, role) to the Fabric user the gateway signs as.
import { z } from 'zod';

export const Role = z.enum(['recorder', 'officer', 'regulator', 'admin']);
export type Role = z.infer<typeof Role>;

export interface Principal {
  /** Stable id for logs and audit: `apikey:<keyId>` or `oidc:<issuer>#<sub>`. */
  readonly id: string;
  /** The caller's org as its Fabric MSP id, e.g. OperatorOrgMSP. */
  readonly org: string;
  readonly role: Role;
  /** The cryptogen user (e.g. User1, Admin) of `org` whose identity signs this caller's transactions. */
  readonly fabricUser: string;
}

/** For each org (MSP id), the Fabric user that acts for each role the org holds. */
export type IdentityMap = Readonly<Record<string, Readonly<Partial<Record<Role, string>>>>>;

/** The local network's users (network/: cryptogen, 3 users per peer org). */
export const defaultIdentityMap: IdentityMap = Object.freeze({
  OperatorOrgMSP: Object.freeze({ recorder: 'User1', officer: 'User2', admin: 'Admin' }),
  RegulatorOrgMSP: Object.freeze({ regulator: 'User3', admin: 'Admin' }),
});

/** The Fabric user for (org, role), or undefined when the org is unknown or does not hold the role. */
export function fabricUserFor(identities: IdentityMap, org: string, role: Role): string | undefined {
  if (!Object.hasOwn(identities, org)) return undefined;
  return identities[org]?.[role];
}

/** Every (org, role, fabricUser) the map allows, in a stable order. */
export function identityPairs(identities: IdentityMap): { org: string; role: Role; fabricUser: string }[] {
  const pairs: { org: string; role: Role; fabricUser: string }[] = [];
  for (const org of Object.keys(identities).sort()) {
    for (const role of Role.options) {
      const fabricUser = fabricUserFor(identities, org, role);
      if (fabricUser !== undefined) pairs.push({ org, role, fabricUser });
    }
  }
  return pairs;
}
