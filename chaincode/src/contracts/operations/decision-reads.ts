// Decision reads: one batch by id, and the batch-level queries by model version + time and by day.
import type { DecisionBatch } from '../../domain/decision.js';
import { notFound } from '../../domain/errors.js';
import { Identifier } from '../../domain/primitives.js';
import { DecisionsByDayQuery, DecisionsByModelQuery, type DecisionPage } from '../../domain/queries.js';
import { parseJsonArg, parseStringArg } from '../../domain/validation.js';
import { getBatch } from '../../ledger/decision-store.js';
import { queryByDay, queryByModel } from '../../ledger/decision-queries.js';
import { getOwnership } from '../../ledger/lineage-store.js';
import type { Tx } from '../tx.js';

/** The batch or NOT_FOUND (field `batchId`). */
export async function requireBatch(tx: Tx, batchId: string): Promise<DecisionBatch> {
  const batch = await getBatch(tx.stub, batchId);
  if (batch === undefined) throw notFound('batchId', `batch ${batchId} is not on the ledger`);
  return batch;
}

export async function getDecisionBatch(tx: Tx, batchIdArg: unknown): Promise<DecisionBatch> {
  const batch = await requireBatch(tx, parseStringArg(Identifier, batchIdArg, 'batchId'));
  await tx.requireRead(batch.ownerMsp);
  return batch;
}

export async function queryDecisionsByModel(tx: Tx, text: string): Promise<DecisionPage> {
  const query = parseJsonArg(DecisionsByModelQuery, text, 'query');
  const ownership = await getOwnership(tx.stub, 'model', query.modelId);
  if (ownership === undefined) throw notFound('modelId', `model ${query.modelId} is not registered`);
  await tx.requireRead(ownership.ownerMsp);
  return queryByModel(tx.stub, query, tx.time);
}

/** Every org's batches of the day for a regulator; the caller's own org's otherwise. */
export async function queryDecisionsByDay(tx: Tx, text: string): Promise<DecisionPage> {
  const query = parseJsonArg(DecisionsByDayQuery, text, 'query');
  const everyOrg = (await tx.roles()).includes('regulator');
  if (!everyOrg) await tx.requireRead(tx.caller.mspId);
  return queryByDay(tx.stub, query, (ownerMsp) => everyOrg || ownerMsp === tx.caller.mspId);
}
