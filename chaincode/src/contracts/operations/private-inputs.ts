// StorePrivateInputs and PurgePrivateInputs: raw inputs only in the operator's collection; purges and refusals logged.
import { findDecision, type DecisionRecord } from '../../domain/decision.js';
import { invalidArgument, notFound, preconditionFailed } from '../../domain/errors.js';
import { EventName } from '../../domain/events.js';
import { Identifier } from '../../domain/primitives.js';
import {
  PurgeRequest,
  TRANSIENT_INPUT_KEY,
  decidePurge,
  hashPrivateInput,
  type PrivateInputRecord,
  type PurgeLogEntry,
} from '../../domain/privacy.js';
import { parseJsonArg, parseStringArg } from '../../domain/validation.js';
import { listPurgeLog, putPurgeLog } from '../../ledger/oversight-store.js';
import { getPrivateInput, purgePrivateInput, putPrivateInput } from '../../ledger/private-store.js';
import type { Tx } from '../tx.js';
import { requireBatch } from './decision-reads.js';

async function requireDecision(tx: Tx, batchId: string, decisionId: string): Promise<{ ownerMsp: string; decision: DecisionRecord }> {
  const batch = await requireBatch(tx, batchId);
  const found = findDecision(batch, decisionId);
  if (found === undefined) throw notFound('decisionId', `decision ${decisionId} is not in batch ${batchId}`);
  return { ownerMsp: batch.ownerMsp, decision: found.decision };
}

/**
 * Endorsed by the operator's peer alone (collection endorsement policy): it writes only to the
 * private collection, and the raw input never leaves the transient map except into it.
 */
export async function storePrivateInputs(tx: Tx, decisionIdArg: unknown, batchIdArg: unknown): Promise<Omit<PrivateInputRecord, 'input'>> {
  const decisionId = parseStringArg(Identifier, decisionIdArg, 'decisionId');
  const batchId = parseStringArg(Identifier, batchIdArg, 'batchId');
  const { ownerMsp, decision } = await requireDecision(tx, batchId, decisionId);
  await tx.requireRole('storePrivateInputs', ownerMsp);
  const raw = tx.stub.getTransient().get(TRANSIENT_INPUT_KEY);
  if (raw === undefined || raw.length === 0) {
    throw invalidArgument(`transient.${TRANSIENT_INPUT_KEY}`, 'the raw input must travel in the transient map');
  }
  const { input, inputSha256 } = hashPrivateInput(raw);
  if (inputSha256 !== decision.inputSha256) {
    throw preconditionFailed(`transient.${TRANSIENT_INPUT_KEY}`, `its SHA-256 ${inputSha256} differs from the decision's inputSha256`);
  }
  const record: PrivateInputRecord = { batchId, decisionId, input, inputSha256, storedAt: tx.time, storedBy: tx.caller.id };
  await putPrivateInput(tx.stub, record);
  tx.emit(EventName.PrivateInputsStored, { batchId, decisionId });
  return { batchId, decisionId, inputSha256, storedAt: record.storedAt, storedBy: record.storedBy };
}

/** Only answers on an operator peer; elsewhere the collection holds hashes only. */
export async function readPrivateInputs(tx: Tx, batchIdArg: unknown, decisionIdArg: unknown): Promise<PrivateInputRecord> {
  const batchId = parseStringArg(Identifier, batchIdArg, 'batchId');
  const decisionId = parseStringArg(Identifier, decisionIdArg, 'decisionId');
  const { ownerMsp } = await requireDecision(tx, batchId, decisionId);
  await tx.requireRole('readPrivateInputs', ownerMsp);
  const record = await getPrivateInput(tx.stub, batchId, decisionId);
  if (record === undefined) throw notFound('decisionId', `no private inputs of ${decisionId} on this peer (purged, never stored, or not a member peer)`);
  return record;
}

/**
 * Never reads the private value (the regulator's peer endorses too and holds only hashes).
 * A refusal is a successful transaction: the request and the rule that refused it are logged.
 */
export async function purgePrivateInputs(tx: Tx, text: string): Promise<PurgeLogEntry> {
  const request = parseJsonArg(PurgeRequest, text, 'request');
  const { ownerMsp, decision } = await requireDecision(tx, request.batchId, request.decisionId);
  await tx.requireRole('purgePrivateInputs', ownerMsp);
  const { outcome, rule } = decidePurge(request, decision.retentionUntil, tx.time);
  if (outcome === 'purged') await purgePrivateInput(tx.stub, request.batchId, request.decisionId);
  const entry: PurgeLogEntry = {
    batchId: request.batchId,
    decisionId: request.decisionId,
    outcome,
    rule,
    reason: request.reason,
    legalOverride: request.legalOverride,
    retentionUntil: decision.retentionUntil,
    requestedBy: tx.caller.id,
    requesterMsp: tx.caller.mspId,
    at: tx.time,
    txId: tx.txId,
  };
  await putPurgeLog(tx.stub, entry);
  tx.emit(EventName.PurgeRecorded, { batchId: entry.batchId, decisionId: entry.decisionId, outcome });
  return entry;
}

export async function readPurgeLog(tx: Tx, batchIdArg: unknown, decisionIdArg: unknown): Promise<PurgeLogEntry[]> {
  const batch = await requireBatch(tx, parseStringArg(Identifier, batchIdArg, 'batchId'));
  await tx.requireRead(batch.ownerMsp);
  return listPurgeLog(tx.stub, batch.batchId, parseStringArg(Identifier, decisionIdArg, 'decisionId'));
}
