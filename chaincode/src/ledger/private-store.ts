// The operator's private collection: raw decision inputs, written on member peers only and purged on request.
import { canonicalBytes } from '../domain/canonical-json.js';
import { PRIVATE_INPUTS_COLLECTION, PRIVATE_INPUTS_MEMBERS, PrivateInputRecord } from '../domain/privacy.js';
import { keys } from './keys.js';
import { decodeValue } from './state.js';
import type { Stub } from './stub.js';

export const putPrivateInput = (stub: Stub, record: PrivateInputRecord) =>
  stub.putPrivateData(PRIVATE_INPUTS_COLLECTION, keys.privateInput(record.batchId, record.decisionId), canonicalBytes(record));

/** Only meaningful on a member peer: a non-member peer holds no private values (and its shim errors on the read). */
export async function getPrivateInput(stub: Stub, batchId: string, decisionId: string): Promise<PrivateInputRecord | undefined> {
  if (!PRIVATE_INPUTS_MEMBERS.includes(stub.getMspID())) return undefined;
  const key = keys.privateInput(batchId, decisionId);
  const bytes = await stub.getPrivateData(PRIVATE_INPUTS_COLLECTION, key);
  if (bytes === undefined || bytes.length === 0) return undefined;
  return decodeValue(PrivateInputRecord, bytes, key);
}

/** Purges the value and its history from every member peer; never reads it, so any peer can endorse. */
export const purgePrivateInput = (stub: Stub, batchId: string, decisionId: string) =>
  stub.purgePrivateData(PRIVATE_INPUTS_COLLECTION, keys.privateInput(batchId, decisionId));
