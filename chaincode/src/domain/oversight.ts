// Oversight entries: human reviews, overrides and reversals, each its own record referencing (batchId, decisionId).
import { z } from 'zod';
import { IdentityId, MspId } from './identity.js';
import { Identifier, Timestamp, text } from './primitives.js';

export const OversightAction = z
  .enum(['confirmed', 'overridden', 'reversed'], { error: 'must be confirmed, overridden or reversed' })
  .describe('What the reviewer did');

export const OversightInput = z
  .strictObject({
    oversightId: Identifier.describe('Client-chosen id of this review'),
    batchId: Identifier.describe('The batch holding the decision'),
    decisionId: Identifier,
    reviewerRef: Identifier.describe('Pseudonymous reference of the human reviewer'),
    action: OversightAction,
    reason: text(2000, 'Why; required for overridden and reversed').optional(),
  })
  .refine((entry) => entry.action === 'confirmed' || entry.reason !== undefined, {
    error: 'is required when the decision is overridden or reversed',
    path: ['reason'],
  })
  .meta({ id: 'OversightInput', description: 'A human review of a recorded decision' });
export type OversightInput = z.output<typeof OversightInput>;

export const OversightEntry = z
  .strictObject({
    ...OversightInput.shape,
    modelId: Identifier,
    modelVersion: Identifier,
    position: z.number().int().min(0).describe('Position of the decision in its batch'),
    at: Timestamp.describe('Ledger time of the review'),
    recordedBy: IdentityId,
    ownerMsp: MspId,
  })
  .meta({ id: 'OversightEntry', description: 'A recorded human review' });
export type OversightEntry = z.output<typeof OversightEntry>;
