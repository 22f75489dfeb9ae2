// Stored decisions: one key per batch holding every record, plus batch-level index keys by model version and by day.
import { z } from 'zod';
import { DecisionBatch } from '../domain/decision.js';
import { MspId } from '../domain/identity.js';
import { Identifier } from '../domain/primitives.js';
import { keys } from './keys.js';
import { exists, readJson, writeJson } from './state.js';
import { dayOf, type Stub } from './stub.js';

/** The value of a batch index key: enough to filter by org without reading the batch. */
export const BatchIndexEntry = z.strictObject({ batchId: Identifier, ownerMsp: MspId, count: z.number().int().min(1) });
export type BatchIndexEntry = z.output<typeof BatchIndexEntry>;

export const batchExists = (stub: Stub, batchId: string) => exists(stub, keys.batch(batchId));
export const getBatch = (stub: Stub, batchId: string) => readJson(stub, DecisionBatch, keys.batch(batchId));

/**
 * Writes a batch: its one value, one index key per distinct model version, one day key.
 * 2 + V putState calls, whatever the number of decisions.
 */
export async function putBatch(stub: Stub, batch: DecisionBatch): Promise<void> {
  const day = dayOf(batch.recordedAt);
  await writeJson(stub, keys.batch(batch.batchId), batch);
  for (const { modelId, version, count } of batch.modelVersions) {
    const entry: BatchIndexEntry = { batchId: batch.batchId, ownerMsp: batch.ownerMsp, count };
    await writeJson(stub, keys.batchByModel(modelId, version, day, batch.recordedAt, batch.batchId), entry);
  }
  const total: BatchIndexEntry = { batchId: batch.batchId, ownerMsp: batch.ownerMsp, count: batch.decisions.length };
  await writeJson(stub, keys.batchByDay(day, batch.recordedAt, batch.batchId), total);
}
