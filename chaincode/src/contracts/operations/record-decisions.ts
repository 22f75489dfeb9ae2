// RecordDecisions: a whole batch or nothing, checked against each model version once, stored in one key.
import {
  MAX_DECISIONS_PER_BATCH,
  TRANSIENT_BATCH_KEY,
  countModelVersions,
  decisionBatchInputSchema,
  decisionRecordOf,
  type DecisionBatch,
  type DecisionRecord,
} from '../../domain/decision.js';
import { conflict, forbidden, invalidArgument, notFound, preconditionFailed } from '../../domain/errors.js';
import { EventName } from '../../domain/events.js';
import { versionRef, type ModelVersion } from '../../domain/model.js';
import { acceptsDecisions } from '../../domain/model-status.js';
import { parseJsonArg } from '../../domain/validation.js';
import { batchExists, putBatch } from '../../ledger/decision-store.js';
import { getModel } from '../../ledger/lineage-store.js';
import type { Tx } from '../tx.js';

/** What RecordDecisions returns, and the payload of its DecisionsRecorded event. */
export interface BatchReceipt {
  batchId: string;
  txId: string;
  recordedAt: string;
  ownerMsp: string;
  decisionIds: string[];
  modelVersions: DecisionBatch['modelVersions'];
}

const schemas = new Map<number, ReturnType<typeof decisionBatchInputSchema>>();
const schemaFor = (limit: number) => {
  let schema = schemas.get(limit);
  if (schema === undefined) {
    schema = decisionBatchInputSchema(limit);
    schemas.set(limit, schema);
  }
  return schema;
};

/** The batch from the transient map (the argument was ''), as text. */
function transientBatch(tx: Tx): string {
  const bytes = tx.stub.getTransient().get(TRANSIENT_BATCH_KEY);
  if (bytes === undefined || bytes.length === 0) {
    throw invalidArgument('batch', `must be the batch as JSON, or '' with the batch in the transient map under "${TRANSIENT_BATCH_KEY}"`);
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Shim calls: 1 getState for the batch id, 1 per distinct model version, at most 1 for the
 * caller's role grant (none when the certificate carries the role), then 2 + V putState.
 */
export async function recordDecisions(tx: Tx, text: string, limit = MAX_DECISIONS_PER_BATCH): Promise<BatchReceipt> {
  const input = text === '' ? parseJsonArg(schemaFor(limit), transientBatch(tx), `transient.${TRANSIENT_BATCH_KEY}`) : parseJsonArg(schemaFor(limit), text, 'batch');
  await tx.requireRole('recordDecisions', tx.caller.mspId);
  if (await batchExists(tx.stub, input.batchId)) {
    throw conflict('batchId', `batch ${input.batchId} is already committed; a batch id is never reused`);
  }

  const versions = new Map<string, ModelVersion>();
  for (const [index, decision] of input.decisions.entries()) {
    const ref = versionRef(decision.modelId, decision.modelVersion);
    if (versions.has(ref)) continue;
    const model = await getModel(tx.stub, decision.modelId, decision.modelVersion);
    if (model === undefined) throw notFound(`decisions[${index}].modelVersion`, `model version ${ref} is not registered`);
    if (model.ownerMsp !== tx.caller.mspId) {
      throw forbidden(`decisions[${index}].modelId`, `model ${decision.modelId} belongs to ${model.ownerMsp}; a recorder writes its own org's decisions only`);
    }
    if (!acceptsDecisions(model.status)) {
      throw preconditionFailed(`decisions[${index}].modelVersion`, `model version ${ref} is ${model.status}: decisions are refused`);
    }
    versions.set(ref, model);
  }

  // Records and the batch are built with their members in sorted order: canonical JSON then writes them without a copy.
  const decisions: DecisionRecord[] = input.decisions.map((decision) =>
    decisionRecordOf(decision, {
      openDriftAlertIds: [...(versions.get(versionRef(decision.modelId, decision.modelVersion))?.openDriftAlertIds ?? [])],
      ownerMsp: tx.caller.mspId,
      recordedAt: tx.time,
      recordedBy: tx.caller.id,
    }),
  );
  const batch: DecisionBatch = {
    batchId: input.batchId,
    decisions,
    modelVersions: countModelVersions(input.decisions),
    ownerMsp: tx.caller.mspId,
    recordedAt: tx.time,
    recordedBy: tx.caller.id,
    txId: tx.txId,
  };
  await putBatch(tx.stub, batch);
  const receipt: BatchReceipt = {
    batchId: batch.batchId,
    txId: batch.txId,
    recordedAt: batch.recordedAt,
    ownerMsp: batch.ownerMsp,
    decisionIds: decisions.map((d) => d.decisionId),
    modelVersions: batch.modelVersions,
  };
  tx.emit(EventName.DecisionsRecorded, receipt);
  return receipt;
}
