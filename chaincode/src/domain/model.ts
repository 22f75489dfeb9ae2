// Model version records: registration input, the stored record with status history and open alerts, status-change input.
import { z } from 'zod';
import { IdentityId, MspId } from './identity.js';
import { FiniteNumber, Identifier, Sha256, Timestamp, text } from './primitives.js';

export const ModelRelation = z
  .enum(['fine-tuned-from', 'distilled-from', 'retrained-from', 'ensembled-from'], {
    error: 'must be fine-tuned-from, distilled-from, retrained-from or ensembled-from',
  })
  .describe('How this version derives from the parent');

export const DatasetUse = z
  .enum(['training', 'validation', 'test'], { error: 'must be training, validation or test' })
  .describe('What the dataset version was used for');

export const RiskClass = z
  .enum(['minimal', 'limited', 'high'], { error: 'must be minimal, limited or high' })
  .describe('Risk class of the AI system (EU AI Act style)');

export const ModelStatus = z
  .enum(['registered', 'approved', 'deployed', 'suspended', 'retired'], {
    error: 'must be registered, approved, deployed, suspended or retired',
  })
  .describe('Lifecycle status of a model version');
export type ModelStatus = z.output<typeof ModelStatus>;

export const ModelParent = z.strictObject({ modelId: Identifier, version: Identifier, relation: ModelRelation });
export type ModelParent = z.output<typeof ModelParent>;

export const ModelDatasetRef = z.strictObject({ datasetId: Identifier, version: Identifier, use: DatasetUse });
export type ModelDatasetRef = z.output<typeof ModelDatasetRef>;

export const TrainingRun = z
  .strictObject({
    runId: Identifier,
    codeRef: text(512, 'Code reference, e.g. a git commit URL'),
    parametersSha256: Sha256,
    metrics: z
      .record(z.string().min(1).max(64), FiniteNumber)
      .refine((metrics) => Object.keys(metrics).length <= 64, { error: 'at most 64 metrics' })
      .default({}),
  })
  .describe('The training run that produced the artefact');

export const ModelVersionInput = z
  .strictObject({
    modelId: Identifier,
    version: Identifier,
    name: text(256, 'Human-readable model name'),
    framework: text(128, 'ML framework, e.g. pytorch-2.3').optional(),
    artifactSha256: Sha256.describe('SHA-256 of the model artefact'),
    artifactUri: text(2048, 'Where the artefact is stored').optional(),
    parents: z.array(ModelParent).max(16, { error: 'at most 16 parents' }).default([]),
    datasets: z.array(ModelDatasetRef).max(64, { error: 'at most 64 datasets' }).default([]),
    trainingRun: TrainingRun.optional(),
    riskClass: RiskClass,
    intendedUse: text(2000, 'Intended use of the model'),
    modelCardSha256: Sha256.optional(),
  })
  .superRefine((input, ctx) => {
    const seenParents = new Set<string>();
    input.parents.forEach((parent, index) => {
      const ref = `${parent.modelId}@${parent.version}`;
      if (parent.modelId === input.modelId && parent.version === input.version) {
        ctx.addIssue({ code: 'custom', path: ['parents', index], message: 'a version cannot be its own parent (lineage cycle)' });
      } else if (seenParents.has(ref)) {
        ctx.addIssue({ code: 'custom', path: ['parents', index], message: `duplicate parent ${ref}` });
      }
      seenParents.add(ref);
    });
    const seenDatasets = new Set<string>();
    input.datasets.forEach((dataset, index) => {
      const ref = `${dataset.datasetId}@${dataset.version}/${dataset.use}`;
      if (seenDatasets.has(ref)) ctx.addIssue({ code: 'custom', path: ['datasets', index], message: 'duplicate dataset use' });
      seenDatasets.add(ref);
    });
  })
  .meta({ id: 'ModelVersionInput', description: 'A model version as a client registers it' });
export type ModelVersionInput = z.output<typeof ModelVersionInput>;

export const StatusChange = z.strictObject({
  status: ModelStatus,
  by: IdentityId,
  actorRef: Identifier.optional(),
  at: Timestamp,
  reason: text(1000, 'Why the status changed'),
  alertId: Identifier.optional().describe('The drift alert that caused an automatic suspension'),
});
export type StatusChange = z.output<typeof StatusChange>;

export const ModelVersion = z
  .strictObject({
    ...ModelVersionInput.shape,
    status: ModelStatus,
    statusHistory: z.array(StatusChange),
    openDriftAlertIds: z.array(Identifier),
    ownerMsp: MspId,
    registeredBy: IdentityId,
    registeredAt: Timestamp,
  })
  .meta({ id: 'ModelVersion', description: 'A registered model version; content immutable, status and open alerts change' });
export type ModelVersion = z.output<typeof ModelVersion>;

export const ModelStatusChangeInput = z
  .strictObject({
    modelId: Identifier,
    version: Identifier,
    status: z.enum(['approved', 'deployed', 'suspended', 'retired'], {
      error: 'must be approved, deployed, suspended or retired',
    }),
    reason: text(1000, 'Why the status changes'),
    actorRef: Identifier.optional().describe('The human principal acting, as the gateway knows them'),
  })
  .meta({ id: 'ModelStatusChangeInput', description: 'Approve, deploy, suspend or retire a model version' });
export type ModelStatusChangeInput = z.output<typeof ModelStatusChangeInput>;

/** `modelId@version`, the display and history id of a model version. */
export const versionRef = (modelId: string, version: string): string => `${modelId}@${version}`;
