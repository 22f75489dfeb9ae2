// GrantRole, RevokeRole, GetRoleGrant and WhoAmI: on-ledger roles managed by each org's own admin.
import { RoleGrantInput, changeGrant, type RoleChange, type RoleGrant, type Role } from '../../domain/access.js';
import { notFound } from '../../domain/errors.js';
import { EventName } from '../../domain/events.js';
import { IdentityId, MspId } from '../../domain/identity.js';
import { parseJsonArg, parseStringArg } from '../../domain/validation.js';
import { getGrant, putGrant } from '../../ledger/access-store.js';
import type { Tx } from '../tx.js';

async function change(tx: Tx, text: string, action: RoleChange['action']): Promise<RoleGrant> {
  const input = parseJsonArg(RoleGrantInput, text, 'grant');
  await tx.requireRole('changeRoles', input.mspId);
  const current = await getGrant(tx.stub, input.mspId, input.identityId);
  if (current === undefined && action === 'revoked') {
    throw notFound('identityId', `${input.identityId} has no on-ledger roles in ${input.mspId}`);
  }
  const grant: RoleGrant = current ?? { mspId: input.mspId, identityId: input.identityId, roles: [], history: [] };
  const next = changeGrant(grant, { action, role: input.role, by: tx.caller.id, at: tx.time, reason: input.reason });
  if (next === undefined) return grant;
  await putGrant(tx.stub, next);
  tx.emit(EventName.RoleGrantChanged, { mspId: input.mspId, identityId: input.identityId, action, role: input.role });
  return next;
}

/** Idempotent: granting a held role returns the grant unchanged, with no write and no event. */
export const grantRole = (tx: Tx, text: string) => change(tx, text, 'granted');
/** Idempotent for a known identity: revoking a role it does not hold changes nothing. */
export const revokeRole = (tx: Tx, text: string) => change(tx, text, 'revoked');

export async function readRoleGrant(tx: Tx, mspIdArg: unknown, identityIdArg: unknown): Promise<RoleGrant> {
  const mspId = parseStringArg(MspId, mspIdArg, 'mspId');
  const identityId = parseStringArg(IdentityId, identityIdArg, 'identityId');
  await tx.requireRead(mspId);
  const grant = await getGrant(tx.stub, mspId, identityId);
  if (grant === undefined) throw notFound('identityId', `${identityId} has no on-ledger roles in ${mspId}`);
  return grant;
}

export interface WhoAmI {
  mspId: string;
  id: string;
  roles: Role[];
  sources: { certificate: readonly Role[]; ledger: Role[] };
}

/** Any caller may ask which roles the chaincode sees for it, and where they come from. */
export async function whoAmI(tx: Tx): Promise<WhoAmI> {
  return {
    mspId: tx.caller.mspId,
    id: tx.caller.id,
    roles: await tx.roles(),
    sources: { certificate: tx.rolesFromCertificate, ledger: await tx.rolesFromLedger() },
  };
}
