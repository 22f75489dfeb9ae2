// AddOversight and ListOversight: officers' reviews as their own records, referencing a decision that must exist.
import { notFound } from '../../domain/errors.js';
import { findDecision } from '../../domain/decision.js';
import { EventName } from '../../domain/events.js';
import { OversightInput, type OversightEntry } from '../../domain/oversight.js';
import { Identifier } from '../../domain/primitives.js';
import { parseJsonArg, parseStringArg } from '../../domain/validation.js';
import { getOversight, listOversight, putOversight } from '../../ledger/oversight-store.js';
import type { Tx } from '../tx.js';
import { requireBatch } from './decision-reads.js';
import { replayOrConflict } from './idempotency.js';

export async function addOversight(tx: Tx, text: string): Promise<OversightEntry> {
  const input = parseJsonArg(OversightInput, text, 'oversight');
  const batch = await requireBatch(tx, input.batchId);
  await tx.requireRole('addOversight', batch.ownerMsp);
  const found = findDecision(batch, input.decisionId);
  if (found === undefined) throw notFound('decisionId', `decision ${input.decisionId} is not in batch ${input.batchId}`);
  const existing = await getOversight(tx.stub, input.batchId, input.decisionId, input.oversightId);
  if (existing !== undefined) {
    return replayOrConflict(existing, input, Object.keys(OversightInput.shape), 'oversightId', `oversight ${input.oversightId}`);
  }
  const entry: OversightEntry = {
    ...input,
    modelId: found.decision.modelId,
    modelVersion: found.decision.modelVersion,
    position: found.position,
    at: tx.time,
    recordedBy: tx.caller.id,
    ownerMsp: batch.ownerMsp,
  };
  await putOversight(tx.stub, entry);
  tx.emit(EventName.OversightRecorded, { oversightId: entry.oversightId, batchId: entry.batchId, decisionId: entry.decisionId, action: entry.action });
  return entry;
}

export async function readOversight(tx: Tx, batchIdArg: unknown, decisionIdArg: unknown): Promise<OversightEntry[]> {
  const batch = await requireBatch(tx, parseStringArg(Identifier, batchIdArg, 'batchId'));
  await tx.requireRead(batch.ownerMsp);
  return listOversight(tx.stub, batch.batchId, parseStringArg(Identifier, decisionIdArg, 'decisionId'));
}
