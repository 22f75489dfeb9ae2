// Dataset version records: the registration input a client submits and the record the ledger keeps.
import { z } from 'zod';
import { IdentityId, MspId } from './identity.js';
import { Identifier, Sha256, Timestamp, text } from './primitives.js';

export const DATASET_REF_PATTERN = /^[A-Za-z0-9._:-]{1,128}@[A-Za-z0-9._:-]{1,128}$/;

/** A reference to a dataset version written `datasetId@version`. */
export const DatasetRef = z
  .string({ error: 'must be a string' })
  .regex(DATASET_REF_PATTERN, { error: 'must be datasetId@version' })
  .describe('Dataset version reference, datasetId@version');

export function splitDatasetRef(ref: string): { datasetId: string; version: string } {
  const at = ref.indexOf('@');
  return { datasetId: ref.slice(0, at), version: ref.slice(at + 1) };
}

export const DatasetVersionInput = z
  .strictObject({
    datasetId: Identifier,
    version: Identifier,
    sha256: Sha256.describe('SHA-256 of the dataset content or its manifest'),
    uri: text(2048, 'Where the dataset can be fetched').optional(),
    source: text(512, 'Provenance: who produced the data and how'),
    license: text(256, 'Licence of the data').optional(),
    containsPersonalData: z.boolean({ error: 'must be true or false' }),
    parents: z.array(DatasetRef).max(32, { error: 'at most 32 parents' }).default([]),
  })
  .superRefine((input, ctx) => {
    const self = `${input.datasetId}@${input.version}`;
    const seen = new Set<string>();
    input.parents.forEach((parent, index) => {
      if (parent === self) {
        ctx.addIssue({ code: 'custom', path: ['parents', index], message: 'a version cannot be its own parent (lineage cycle)' });
      } else if (seen.has(parent)) {
        ctx.addIssue({ code: 'custom', path: ['parents', index], message: `duplicate parent ${parent}` });
      }
      seen.add(parent);
    });
  })
  .meta({ id: 'DatasetVersionInput', description: 'A dataset version as a client registers it' });
export type DatasetVersionInput = z.output<typeof DatasetVersionInput>;

export const DatasetVersion = z
  .strictObject({
    ...DatasetVersionInput.shape,
    ownerMsp: MspId,
    registeredBy: IdentityId,
    registeredAt: Timestamp,
  })
  .meta({ id: 'DatasetVersion', description: 'A registered dataset version (immutable)' });
export type DatasetVersion = z.output<typeof DatasetVersion>;
