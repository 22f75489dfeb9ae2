// ChangeModelStatus and the reads of single versions: officers move the lifecycle, with who/when/why kept.
import type { DatasetVersion } from '../../domain/dataset.js';
import { notFound } from '../../domain/errors.js';
import { EventName } from '../../domain/events.js';
import { ModelStatusChangeInput, versionRef, type ModelVersion, type StatusChange } from '../../domain/model.js';
import { checkStatusChange, withStatus } from '../../domain/model-status.js';
import { Identifier } from '../../domain/primitives.js';
import { parseJsonArg, parseStringArg } from '../../domain/validation.js';
import { getAlert } from '../../ledger/drift-store.js';
import { getDataset, getModel, putModel } from '../../ledger/lineage-store.js';
import type { Tx } from '../tx.js';

/** The model version or NOT_FOUND naming `field`. */
export async function requireModel(tx: Tx, modelId: string, version: string, field = 'version'): Promise<ModelVersion> {
  const model = await getModel(tx.stub, modelId, version);
  if (model === undefined) throw notFound(field, `model version ${versionRef(modelId, version)} is not registered`);
  return model;
}

export async function readModel(tx: Tx, modelId: unknown, version: unknown): Promise<ModelVersion> {
  const model = await requireModel(tx, parseStringArg(Identifier, modelId, 'modelId'), parseStringArg(Identifier, version, 'version'));
  await tx.requireRead(model.ownerMsp);
  return model;
}

export async function readDataset(tx: Tx, datasetId: unknown, version: unknown): Promise<DatasetVersion> {
  const id = parseStringArg(Identifier, datasetId, 'datasetId');
  const v = parseStringArg(Identifier, version, 'version');
  const dataset = await getDataset(tx.stub, id, v);
  if (dataset === undefined) throw notFound('version', `dataset version ${id}@${v} is not registered`);
  await tx.requireRead(dataset.ownerMsp);
  return dataset;
}

export async function changeModelStatus(tx: Tx, text: string): Promise<ModelVersion> {
  const input = parseJsonArg(ModelStatusChangeInput, text, 'change');
  const model = await requireModel(tx, input.modelId, input.version);
  await tx.requireRole('changeModelStatus', model.ownerMsp);
  const openCritical: string[] = [];
  if (model.status === 'suspended' && input.status === 'deployed') {
    for (const alertId of model.openDriftAlertIds) {
      if ((await getAlert(tx.stub, alertId))?.severity === 'critical') openCritical.push(alertId);
    }
  }
  checkStatusChange(model, input.status, openCritical);
  const change: StatusChange = { status: input.status, by: tx.caller.id, actorRef: input.actorRef, at: tx.time, reason: input.reason };
  const updated = withStatus(model, change);
  await putModel(tx.stub, updated);
  tx.emit(EventName.ModelStatusChanged, {
    modelId: model.modelId,
    version: model.version,
    change: { from: model.status, to: input.status, reason: input.reason, by: tx.caller.id, at: tx.time },
  });
  return updated;
}
