// Decision records: the input a client submits, the batch input, and the records and batch the ledger keeps.
import { z } from 'zod';
import { IdentityId, MspId } from './identity.js';
import { FiniteNumber, Identifier, Sha256, SubjectRef, Timestamp, text } from './primitives.js';

/** Default (and deployed) maximum number of decisions in one RecordDecisions transaction. */
export const MAX_DECISIONS_PER_BATCH = 500;

/**
 * RecordDecisions may take its batch from the transient map under this key (the argument is then
 * ''): the records reach the ledger as the batch write either way, and the ordered transaction
 * does not carry the input a second time (about 40% of a 500-decision transaction's bytes).
 */
export const TRANSIENT_BATCH_KEY = 'batch';

// Members in sorted order, as Explanation's.
export const DecisionOutput = z
  .strictObject({
    label: text(128, 'Categorical outcome, e.g. approve').optional(),
    score: FiniteNumber.optional().describe('Model score'),
    value: z
      .union([z.string().max(256, { error: 'must be at most 256 characters' }), FiniteNumber, z.boolean()], {
        error: 'must be a string, a finite number or a boolean',
      })
      .optional()
      .describe('Other output value, e.g. a credit limit'),
  })
  .refine((output) => output.label !== undefined || output.score !== undefined || output.value !== undefined, {
    error: 'must have at least one of label, score, value',
  })
  .describe('What the model decided');

// Members in sorted order: the parsed value then stands as canonical JSON writes it (no copy; recordDecisions).
export const Explanation = z
  .strictObject({
    method: text(64, 'Explanation method, e.g. shap'),
    sha256: Sha256.optional().describe('SHA-256 of the full explanation document'),
    topFactors: z
      .array(z.strictObject({ name: text(128, 'Feature name'), weight: FiniteNumber }))
      .max(20, { error: 'at most 20 factors' })
      .default([]),
  })
  .describe('Why the model decided what it did');

export const DecisionInput = z
  .strictObject({
    decisionId: Identifier,
    modelId: Identifier,
    modelVersion: Identifier,
    useCase: text(128, 'The business use case, e.g. consumer-credit'),
    decidedAt: Timestamp.describe('When the model decided (client clock)'),
    inputSha256: Sha256.describe('SHA-256 of the canonical JSON of the model input'),
    inputSchema: Identifier.optional().describe('Identifier of the input schema'),
    referenceDataRef: text(256, 'Reference data used (e.g. a bureau snapshot id)').optional(),
    output: DecisionOutput,
    confidence: FiniteNumber.min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }).optional(),
    threshold: FiniteNumber.optional(),
    mode: z.enum(['automated', 'assisted'], { error: 'must be automated or assisted' }),
    legalEffect: z.boolean({ error: 'must be true or false' }).describe('Whether the decision has legal or similarly significant effect'),
    explanation: Explanation.optional(),
    subjectRef: SubjectRef.optional(),
    retentionUntil: Timestamp.describe('Until when the private inputs must be kept'),
  })
  .refine((d) => !(Date.parse(d.retentionUntil) < Date.parse(d.decidedAt)), {
    error: 'must not be before decidedAt',
    path: ['retentionUntil'],
  })
  .meta({ id: 'DecisionInput', description: 'An AI decision as a client submits it' });
export type DecisionInput = z.output<typeof DecisionInput>;

export const DecisionRecord = z
  .strictObject({
    ...DecisionInput.shape,
    recordedAt: Timestamp.describe('Ledger time of the batch transaction'),
    ownerMsp: MspId,
    recordedBy: IdentityId,
    openDriftAlertIds: z.array(Identifier).describe('Drift alerts open on the model version when recorded'),
  })
  .meta({ id: 'DecisionRecord', description: 'An AI decision as the ledger keeps it' });
export type DecisionRecord = z.output<typeof DecisionRecord>;

/** DecisionInput's and DecisionRecord's member names in sorted order. */
const INPUT_KEYS = Object.keys(DecisionInput.shape).sort();
const RECORD_KEYS = Object.keys(DecisionRecord.shape).sort();

/** An object with the members `keys` names, in that order, from `valueOf` (undefined ones left out). */
function membersInOrder(keys: readonly string[], valueOf: (key: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = valueOf(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The input with its members inserted in sorted order, so canonical JSON writes it without copying it (see decisionRecordOf). */
export function decisionInputInOrder(input: DecisionInput): DecisionInput {
  return membersInOrder(INPUT_KEYS, (key) => input[key as keyof DecisionInput]) as DecisionInput;
}

/** What the chaincode adds to a DecisionInput when it records it. */
export type LedgerFields = Pick<DecisionRecord, 'recordedAt' | 'ownerMsp' | 'recordedBy' | 'openDriftAlertIds'>;

/**
 * The record of `input` with `ledger`'s fields, members inserted in sorted order (absent optional
 * ones left out): with the schemas' nested objects declared in sorted order, canonical JSON writes
 * the record as it stands, without copying it (about half the cost of a 500-decision batch write).
 */
export function decisionRecordOf(input: DecisionInput, ledger: LedgerFields): DecisionRecord {
  return membersInOrder(RECORD_KEYS, (key) => (key in ledger ? ledger[key as keyof LedgerFields] : input[key as keyof DecisionInput])) as DecisionRecord;
}

/** The batch input schema for a given limit (the contract's constant, 500 by default). */
export function decisionBatchInputSchema(maxDecisions: number) {
  return z
    .strictObject({
      batchId: Identifier.describe('Client-chosen batch id; a committed batch id is never accepted again'),
      decisions: z
        .array(DecisionInput)
        .min(1, { error: 'must hold at least one decision' })
        .max(maxDecisions, { error: `at most ${maxDecisions} decisions per batch` }),
    })
    .superRefine((batch, ctx) => {
      const firstIndex = new Map<string, number>();
      batch.decisions.forEach((decision, index) => {
        const earlier = firstIndex.get(decision.decisionId);
        if (earlier === undefined) firstIndex.set(decision.decisionId, index);
        else ctx.addIssue({ code: 'custom', path: ['decisions', index, 'decisionId'], message: `duplicate of decisions[${earlier}].decisionId` });
      });
    });
}

export const DecisionBatchInput = decisionBatchInputSchema(MAX_DECISIONS_PER_BATCH).meta({
  id: 'DecisionBatchInput',
  description: `One or more decisions (at most ${MAX_DECISIONS_PER_BATCH}) recorded all-or-nothing in one transaction`,
});
export type DecisionBatchInput = z.output<typeof DecisionBatchInput>;

export const ModelVersionCount = z.strictObject({ modelId: Identifier, version: Identifier, count: z.number().int().min(1) });
export type ModelVersionCount = z.output<typeof ModelVersionCount>;

/** One state value per batch: records in submitted order; a record's position is its index. */
export const DecisionBatch = z
  .strictObject({
    batchId: Identifier,
    txId: z.string().min(1),
    recordedAt: Timestamp,
    ownerMsp: MspId,
    recordedBy: IdentityId,
    modelVersions: z.array(ModelVersionCount),
    decisions: z.array(DecisionRecord),
  })
  .meta({ id: 'DecisionBatch', description: 'A committed batch of decision records' });
export type DecisionBatch = z.output<typeof DecisionBatch>;

/** Distinct model versions of a batch in first-seen order, with how many decisions each has. */
export function countModelVersions(decisions: readonly { modelId: string; modelVersion: string }[]): ModelVersionCount[] {
  const counts = new Map<string, ModelVersionCount>();
  for (const decision of decisions) {
    const key = `${decision.modelId}@${decision.modelVersion}`;
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { count: 1, modelId: decision.modelId, version: decision.modelVersion });
    else entry.count += 1;
  }
  return [...counts.values()];
}

/** Finds a decision and its position in a batch. */
export function findDecision(batch: DecisionBatch, decisionId: string): { position: number; decision: DecisionRecord } | undefined {
  const position = batch.decisions.findIndex((decision) => decision.decisionId === decisionId);
  const decision = batch.decisions[position];
  return decision === undefined ? undefined : { position, decision };
}
