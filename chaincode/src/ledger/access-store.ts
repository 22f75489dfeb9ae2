// Stored role grants, keyed by (mspId, identity id).
import { RoleGrant } from '../domain/access.js';
import { keys } from './keys.js';
import { readJson, writeJson } from './state.js';
import type { Stub } from './stub.js';

export const getGrant = (stub: Stub, mspId: string, identityId: string) => readJson(stub, RoleGrant, keys.grant(mspId, identityId));
export const putGrant = (stub: Stub, grant: RoleGrant) => writeJson(stub, keys.grant(grant.mspId, grant.identityId), grant);
