// Private inputs and their purge: the collection, the purge request, the retention rule and the purge log.
import { z } from 'zod';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { invalidArgument } from './errors.js';
import { IdentityId, MspId } from './identity.js';
import { Identifier, Timestamp, text } from './primitives.js';

/** The operator org's private data collection holding raw decision inputs (see collections.json). */
export const PRIVATE_INPUTS_COLLECTION = 'operatorPrivateInputs';
/** The transient map key that carries the raw input into StorePrivateInputs. */
export const TRANSIENT_INPUT_KEY = 'input';

/** The orgs whose peers hold the collection (must match chaincode/collections.json). */
export const PRIVATE_INPUTS_MEMBERS: readonly string[] = Object.freeze(['OperatorOrgMSP']);

export const LegalOverride = z
  .strictObject({
    reason: text(2000, 'The legal ground for purging before retentionUntil'),
    authorisedBy: text(256, 'Who authorised the override (role or office)'),
    reference: text(256, 'Case, order or ticket reference'),
  })
  .describe('Recorded justification for purging before the retention period ends');
export type LegalOverride = z.output<typeof LegalOverride>;

export const PurgeRequest = z
  .strictObject({
    batchId: Identifier,
    decisionId: Identifier,
    reason: text(2000, 'Why the purge is requested, e.g. erasure request').optional(),
    legalOverride: LegalOverride.optional(),
  })
  .meta({ id: 'PurgeRequest', description: 'Purge the private inputs of a decision' });
export type PurgeRequest = z.output<typeof PurgeRequest>;

export const PurgeOutcome = z.enum(['purged', 'refused']);
export type PurgeOutcome = z.output<typeof PurgeOutcome>;

export const PurgeLogEntry = z
  .strictObject({
    batchId: Identifier,
    decisionId: Identifier,
    outcome: PurgeOutcome,
    rule: text(500, 'The rule that decided the outcome'),
    reason: text(2000, 'The reason given with the request').optional(),
    legalOverride: LegalOverride.optional(),
    retentionUntil: Timestamp,
    requestedBy: IdentityId,
    requesterMsp: MspId,
    at: Timestamp,
    txId: z.string().min(1),
  })
  .meta({ id: 'PurgeLogEntry', description: 'A purge or a refused purge, kept as evidence' });
export type PurgeLogEntry = z.output<typeof PurgeLogEntry>;

/**
 * The retention rule: purge at or after retentionUntil; before it only with a legal override.
 * Returns the outcome and the rule that decided it, in words for the purge log.
 */
export function decidePurge(request: PurgeRequest, retentionUntil: string, txTime: string): { outcome: PurgeOutcome; rule: string } {
  if (Date.parse(txTime) >= Date.parse(retentionUntil)) {
    return { outcome: 'purged', rule: `retention period ended at ${retentionUntil}` };
  }
  if (request.legalOverride !== undefined) {
    return { outcome: 'purged', rule: `before retentionUntil ${retentionUntil} under legal override ${request.legalOverride.reference}` };
  }
  return { outcome: 'refused', rule: `retention period runs until ${retentionUntil} and no legal override was given` };
}

/** What the private collection holds per decision. */
export const PrivateInputRecord = z.strictObject({
  batchId: Identifier,
  decisionId: Identifier,
  input: z.unknown(),
  inputSha256: z.string(),
  storedAt: Timestamp,
  storedBy: IdentityId,
});
export type PrivateInputRecord = z.output<typeof PrivateInputRecord>;

/**
 * Decodes the raw input bytes from the transient map (UTF-8 JSON) and returns the value
 * and the SHA-256 of its canonical JSON, the hash a decision's inputSha256 must equal.
 */
export function hashPrivateInput(bytes: Uint8Array): { input: unknown; inputSha256: string } {
  let input: unknown;
  try {
    input = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw invalidArgument(`transient.${TRANSIENT_INPUT_KEY}`, 'must be UTF-8 JSON');
  }
  return { input, inputSha256: sha256Hex(canonicalJson(input)) };
}
