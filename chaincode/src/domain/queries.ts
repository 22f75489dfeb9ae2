// Query arguments and page shapes: decisions by model+version+time or by day, alerts by model and state.
import { z } from 'zod';
import { DecisionRecord } from './decision.js';
import { MspId } from './identity.js';
import { Day, Identifier, Timestamp } from './primitives.js';

export const MAX_BATCHES_PER_PAGE = 20;
export const DEFAULT_BATCHES_PER_PAGE = 5;
export const MAX_ALERTS_PER_PAGE = 200;
export const DEFAULT_ALERTS_PER_PAGE = 50;

const pageSize = (max: number, fallback: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max}` })
    .default(fallback);

const Bookmark = z
  .string({ error: 'must be a string' })
  .max(4096, { error: 'is too long' })
  .default('')
  .describe('Opaque bookmark from the previous page; empty for the first page');

export const DecisionsByModelQuery = z
  .strictObject({
    modelId: Identifier,
    modelVersion: Identifier,
    from: Timestamp.optional().describe('Earliest ledger time (inclusive)'),
    to: Timestamp.optional().describe('Latest ledger time (inclusive)'),
    pageSize: pageSize(MAX_BATCHES_PER_PAGE, DEFAULT_BATCHES_PER_PAGE).describe('Batches per page'),
    bookmark: Bookmark,
  })
  .refine((q) => q.from === undefined || q.to === undefined || !(Date.parse(q.from) > Date.parse(q.to)), {
    error: 'from must not be after to',
    path: ['to'],
  })
  .meta({ id: 'DecisionsByModelQuery', description: 'Decisions of a model version by ledger time, paged by batch' });
export type DecisionsByModelQuery = z.output<typeof DecisionsByModelQuery>;

export const DecisionsByDayQuery = z
  .strictObject({
    day: Day,
    pageSize: pageSize(MAX_BATCHES_PER_PAGE, DEFAULT_BATCHES_PER_PAGE).describe('Batches per page'),
    bookmark: Bookmark,
  })
  .meta({ id: 'DecisionsByDayQuery', description: 'Decisions recorded on a UTC day, paged by batch' });
export type DecisionsByDayQuery = z.output<typeof DecisionsByDayQuery>;

export const DecisionMatch = z.strictObject({ position: z.number().int().min(0), decision: DecisionRecord });

export const DecisionBatchMatch = z.strictObject({
  batchId: Identifier,
  txId: z.string(),
  recordedAt: Timestamp,
  ownerMsp: MspId,
  decisions: z.array(DecisionMatch).describe('Matching decisions in position order'),
});
export type DecisionBatchMatch = z.output<typeof DecisionBatchMatch>;

export const DecisionPage = z
  .strictObject({
    batches: z.array(DecisionBatchMatch),
    bookmark: z.string().describe('Pass back for the next page; empty when there are no more'),
  })
  .meta({ id: 'DecisionPage', description: 'A page of decision batches' });
export type DecisionPage = z.output<typeof DecisionPage>;

export const AlertState = z
  .enum(['open', 'acknowledged', 'resolved', 'false-positive'], {
    error: 'must be open, acknowledged, resolved or false-positive',
  })
  .describe('Drift alert state');
export type AlertState = z.output<typeof AlertState>;

export const DriftAlertQuery = z
  .strictObject({
    modelId: Identifier,
    modelVersion: Identifier.optional(),
    state: AlertState.optional(),
    pageSize: pageSize(MAX_ALERTS_PER_PAGE, DEFAULT_ALERTS_PER_PAGE),
    bookmark: Bookmark,
  })
  .meta({ id: 'DriftAlertQuery', description: 'Drift alerts of a model (optionally one version) in a state' });
export type DriftAlertQuery = z.output<typeof DriftAlertQuery>;
