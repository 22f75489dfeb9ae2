// Stored oversight entries and purge-log entries: low-volume records hanging off (batchId, decisionId).
import { OversightEntry } from '../domain/oversight.js';
import { PurgeLogEntry } from '../domain/privacy.js';
import { KeyType, keys } from './keys.js';
import { listAll } from './pages.js';
import { decodeValue, readJson, writeJson } from './state.js';
import type { Stub } from './stub.js';

export const getOversight = (stub: Stub, batchId: string, decisionId: string, oversightId: string) =>
  readJson(stub, OversightEntry, keys.oversight(batchId, decisionId, oversightId));

export const putOversight = (stub: Stub, entry: OversightEntry) =>
  writeJson(stub, keys.oversight(entry.batchId, entry.decisionId, entry.oversightId), entry);

export async function listOversight(stub: Stub, batchId: string, decisionId: string): Promise<OversightEntry[]> {
  const entries = await listAll(stub, KeyType.oversight, [batchId, decisionId]);
  return entries.map((entry) => decodeValue(OversightEntry, entry.value, entry.key));
}

export const putPurgeLog = (stub: Stub, entry: PurgeLogEntry) =>
  writeJson(stub, keys.purgeLog(entry.batchId, entry.decisionId, entry.txId), entry);

export async function listPurgeLog(stub: Stub, batchId: string, decisionId: string): Promise<PurgeLogEntry[]> {
  const entries = await listAll(stub, KeyType.purgeLog, [batchId, decisionId]);
  return entries.map((entry) => decodeValue(PurgeLogEntry, entry.value, entry.key)).sort((a, b) => a.at.localeCompare(b.at));
}
