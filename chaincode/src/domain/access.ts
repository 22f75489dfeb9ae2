// Roles and who may do what: the role grant records, the CA attribute, and the authorisation rule per operation.
import { z } from 'zod';
import { forbidden } from './errors.js';
import { IdentityId, MspId } from './identity.js';
import { Timestamp, text } from './primitives.js';

export const Role = z
  .enum(['recorder', 'officer', 'regulator', 'admin'], { error: 'must be recorder, officer, regulator or admin' })
  .describe('recorder writes its org\'s records; officer reviews and transitions; regulator reads all; admin grants and sets policy');
export type Role = z.output<typeof Role>;

/**
 * The Fabric CA attribute that may carry roles, as an alternative to on-ledger grants:
 * `aiaudit.role=recorder` or a comma-separated list `recorder,officer`. Enrol with
 * `fabric-ca-client register --id.attrs 'aiaudit.role=recorder:ecert'` so it is in the cert.
 * Unknown names are ignored. A CA attribute can only be withdrawn by revoking the certificate.
 */
export const ROLE_ATTRIBUTE = 'aiaudit.role';

export function parseAttributeRoles(value: string | null | undefined): Role[] {
  if (value === null || value === undefined) return [];
  const roles = new Set<Role>();
  for (const part of value.split(',')) {
    const parsed = Role.safeParse(part.trim());
    if (parsed.success) roles.add(parsed.data);
  }
  return [...roles];
}

export const RoleGrantInput = z
  .strictObject({
    mspId: MspId.describe('The grantee\'s MSP; must be the admin\'s own'),
    identityId: IdentityId,
    role: Role,
    reason: text(1000, 'Why').optional(),
  })
  .meta({ id: 'RoleGrantInput', description: 'Grant or revoke one role of an identity of the admin\'s own org' });
export type RoleGrantInput = z.output<typeof RoleGrantInput>;

export const RoleChange = z.strictObject({
  action: z.enum(['granted', 'revoked']),
  role: Role,
  by: IdentityId,
  at: Timestamp,
  reason: text(1000, 'Why').optional(),
});
export type RoleChange = z.output<typeof RoleChange>;

export const RoleGrant = z
  .strictObject({
    mspId: MspId,
    identityId: IdentityId,
    roles: z.array(Role),
    history: z.array(RoleChange),
  })
  .meta({ id: 'RoleGrant', description: 'The on-ledger roles of one identity, with their history' });
export type RoleGrant = z.output<typeof RoleGrant>;

/**
 * Every operation that needs one specific role, always of the record owner's org: all writes,
 * plus reading raw private inputs. Plain reads follow canRead instead.
 */
export const OPERATION_ROLE = Object.freeze({
  registerDataset: 'recorder',
  registerModel: 'recorder',
  recordDecisions: 'recorder',
  storePrivateInputs: 'recorder',
  raiseDriftAlert: 'recorder',
  changeModelStatus: 'officer',
  transitionDriftAlert: 'officer',
  addOversight: 'officer',
  purgePrivateInputs: 'officer',
  setDriftPolicy: 'admin',
  changeRoles: 'admin',
  readPrivateInputs: 'officer',
} as const satisfies Record<string, Role>);
export type RoleOperation = keyof typeof OPERATION_ROLE;

/** Roles that read their own org's records; the regulator reads every org's. */
export const OWN_ORG_READERS: readonly Role[] = ['recorder', 'officer', 'admin'];

export interface Caller {
  mspId: string;
  id: string;
}

const describeRoles = (roles: readonly Role[]): string => (roles.length > 0 ? roles.join(', ') : 'none');

/** Throws FORBIDDEN unless a caller with `roles` may perform `operation` on a record owned by `ownerMsp`. */
export function authorizeOperation(operation: RoleOperation, caller: Caller, roles: readonly Role[], ownerMsp: string): void {
  const needed = OPERATION_ROLE[operation];
  if (caller.mspId !== ownerMsp) {
    throw forbidden('role', `${operation} on records of ${ownerMsp} is reserved to that org; caller is of ${caller.mspId}`);
  }
  if (!roles.includes(needed)) {
    throw forbidden('role', `${operation} requires role ${needed} of ${ownerMsp}; caller has: ${describeRoles(roles)}`);
  }
}

/** True when a caller with `roles` may read records owned by `ownerMsp`. */
export function canRead(caller: Caller, roles: readonly Role[], ownerMsp: string): boolean {
  if (roles.includes('regulator')) return true;
  return caller.mspId === ownerMsp && roles.some((role) => OWN_ORG_READERS.includes(role));
}

export function authorizeRead(caller: Caller, roles: readonly Role[], ownerMsp: string): void {
  if (!canRead(caller, roles, ownerMsp)) {
    throw forbidden('role', `reading records of ${ownerMsp} requires regulator, or recorder/officer/admin of ${ownerMsp}; caller has: ${describeRoles(roles)}`);
  }
}

/** The grant with `role` added or removed and the change appended to history; undefined when nothing changes. */
export function changeGrant(grant: RoleGrant, change: RoleChange): RoleGrant | undefined {
  const has = grant.roles.includes(change.role);
  if (change.action === 'granted' ? has : !has) return undefined;
  const roles = change.action === 'granted' ? [...grant.roles, change.role].sort() : grant.roles.filter((r) => r !== change.role);
  return { ...grant, roles, history: [...grant.history, change] };
}
