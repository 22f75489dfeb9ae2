// Start-up role grants: each org's admin grants the identity map's roles to the mapped users (cryptogen certs carry none).
import type { Logger } from 'pino';
import { z } from 'zod';
import { IdentityId, LedgerRole } from '../domain.js';
import { identityPairs, type IdentityMap, type Role } from '../http/principal.js';
import type { Ledger } from './ledger.js';

const WhoAmI = z.object({ id: IdentityId, roles: z.array(LedgerRole) });

export interface RoleBootstrapEntry {
  org: string;
  role: Role;
  fabricUser: string;
  identityId: string;
  /** granted: written now; held: the chaincode already sees the role (certificate or ledger). */
  action: 'granted' | 'held';
  txId?: string;
}

/**
 * For every (org, role, user) of the identity map: asks the chaincode (WhoAmI, as the user)
 * whether the user holds the role; if not, submits GrantRole as the org's admin user. A role
 * already held writes nothing, so running this at every start is safe. Orgs that the
 * connection profile does not list are skipped with a warning; a failed grant throws.
 */
export async function bootstrapRoles(ledger: Ledger, identities: IdentityMap, knownOrgs: readonly string[], logger: Logger): Promise<RoleBootstrapEntry[]> {
  const log = logger.child({ component: 'role-bootstrap' });
  const done: RoleBootstrapEntry[] = [];
  const seen = new Map<string, z.infer<typeof WhoAmI>>();
  for (const { org, role, fabricUser } of identityPairs(identities)) {
    if (!knownOrgs.includes(org)) {
      log.warn({ org }, 'identity map org is not in the connection profile; its roles are not bootstrapped');
      continue;
    }
    const userKey = `${org}/${fabricUser}`;
    let me = seen.get(userKey);
    if (me === undefined) {
      me = WhoAmI.parse(await ledger.evaluate({ mspId: org, fabricUser }, 'access', 'WhoAmI', []));
      seen.set(userKey, me);
    }
    if (me.roles.includes(role)) {
      done.push({ org, role, fabricUser, identityId: me.id, action: 'held' });
      log.info({ org, role, fabricUser }, 'role already held');
      continue;
    }
    const admin = identities[org]?.admin;
    if (admin === undefined) throw new Error(`cannot grant ${role} to ${fabricUser} of ${org}: the identity map names no admin user for ${org}`);
    const grant = { mspId: org, identityId: me.id, role, reason: 'gateway start-up: role of the identity map' };
    const receipt = await ledger.submit({ mspId: org, fabricUser: admin }, 'access', 'GrantRole', [JSON.stringify(grant)]);
    me.roles.push(role);
    done.push({ org, role, fabricUser, identityId: me.id, action: 'granted', txId: receipt.txId });
    log.info({ org, role, fabricUser, by: admin, txId: receipt.txId, blockNumber: receipt.blockNumber }, 'role granted');
  }
  return done;
}
