// RegisterDatasetVersion and RegisterModelVersion: owner check, idempotent replay, referenced versions must exist, no cycles.
import { DatasetVersionInput, splitDatasetRef, type DatasetVersion } from '../../domain/dataset.js';
import { internalError, notFound } from '../../domain/errors.js';
import { EventName } from '../../domain/events.js';
import { findCycle, nodeKey, type NodeRef } from '../../domain/lineage.js';
import { ModelVersionInput, versionRef, type ModelVersion } from '../../domain/model.js';
import { parseJsonArg } from '../../domain/validation.js';
import { getDataset, getModel, getOwnership, putChildEdge, putDataset, putModel, putOwnership } from '../../ledger/lineage-store.js';
import type { Tx } from '../tx.js';
import { replayOrConflict } from './idempotency.js';

async function ownerFor(tx: Tx, kind: 'model' | 'dataset', id: string): Promise<{ ownerMsp: string; isNew: boolean }> {
  const ownership = await getOwnership(tx.stub, kind, id);
  return { ownerMsp: ownership?.ownerMsp ?? tx.caller.mspId, isNew: ownership === undefined };
}

/** Refuses a registration whose edges would close a cycle (only possible through a corrupt state; parents are immutable). */
function assertAcyclic(self: NodeRef, parentsOf: Map<string, readonly string[]>): void {
  const cycle = findCycle(nodeKey(self), (key) => parentsOf.get(key) ?? []);
  if (cycle !== undefined) throw internalError(`lineage cycle ${cycle.join(' -> ')}`);
}

export async function registerDataset(tx: Tx, text: string): Promise<DatasetVersion> {
  const input = parseJsonArg(DatasetVersionInput, text, 'dataset');
  const { ownerMsp, isNew } = await ownerFor(tx, 'dataset', input.datasetId);
  await tx.requireRole('registerDataset', ownerMsp);
  const existing = await getDataset(tx.stub, input.datasetId, input.version);
  const fields = Object.keys(DatasetVersionInput.shape);
  if (existing !== undefined) return replayOrConflict(existing, input, fields, 'version', `dataset version ${input.datasetId}@${input.version}`);

  const self: NodeRef = { kind: 'dataset', id: input.datasetId, version: input.version };
  const graph = new Map<string, readonly string[]>();
  const parentRefs: NodeRef[] = [];
  for (const [index, ref] of input.parents.entries()) {
    const { datasetId, version } = splitDatasetRef(ref);
    const parent = await getDataset(tx.stub, datasetId, version);
    if (parent === undefined) throw notFound(`parents[${index}]`, `dataset version ${ref} is not registered`);
    const parentRef: NodeRef = { kind: 'dataset', id: datasetId, version };
    parentRefs.push(parentRef);
    graph.set(nodeKey(parentRef), parent.parents.map((p) => `dataset:${p}`));
  }
  graph.set(nodeKey(self), parentRefs.map(nodeKey));
  assertAcyclic(self, graph);

  const record: DatasetVersion = { ...input, ownerMsp, registeredBy: tx.caller.id, registeredAt: tx.time };
  await putDataset(tx.stub, record);
  if (isNew) await putOwnership(tx.stub, { kind: 'dataset', id: input.datasetId, ownerMsp, registeredAt: tx.time });
  for (const parent of parentRefs) await putChildEdge(tx.stub, parent, self, ['derived-from']);
  tx.emit(EventName.DatasetVersionRegistered, { datasetId: record.datasetId, version: record.version, ownerMsp });
  return record;
}

export async function registerModel(tx: Tx, text: string): Promise<ModelVersion> {
  const input = parseJsonArg(ModelVersionInput, text, 'model');
  const { ownerMsp, isNew } = await ownerFor(tx, 'model', input.modelId);
  await tx.requireRole('registerModel', ownerMsp);
  const existing = await getModel(tx.stub, input.modelId, input.version);
  const fields = Object.keys(ModelVersionInput.shape);
  if (existing !== undefined) return replayOrConflict(existing, input, fields, 'version', `model version ${versionRef(input.modelId, input.version)}`);

  const self: NodeRef = { kind: 'model', id: input.modelId, version: input.version };
  const graph = new Map<string, readonly string[]>();
  const edges: { parent: NodeRef; relation: string }[] = [];
  for (const [index, p] of input.parents.entries()) {
    const parent = await getModel(tx.stub, p.modelId, p.version);
    if (parent === undefined) throw notFound(`parents[${index}]`, `model version ${versionRef(p.modelId, p.version)} is not registered`);
    const ref: NodeRef = { kind: 'model', id: p.modelId, version: p.version };
    edges.push({ parent: ref, relation: p.relation });
    graph.set(nodeKey(ref), parent.parents.map((pp) => nodeKey({ kind: 'model', id: pp.modelId, version: pp.version })));
  }
  for (const [index, d] of input.datasets.entries()) {
    if ((await getDataset(tx.stub, d.datasetId, d.version)) === undefined) {
      throw notFound(`datasets[${index}]`, `dataset version ${d.datasetId}@${d.version} is not registered`);
    }
    edges.push({ parent: { kind: 'dataset', id: d.datasetId, version: d.version }, relation: d.use });
  }
  graph.set(nodeKey(self), edges.map((e) => nodeKey(e.parent)));
  assertAcyclic(self, graph);

  const record: ModelVersion = {
    ...input,
    status: 'registered',
    statusHistory: [{ status: 'registered', by: tx.caller.id, at: tx.time, reason: 'registered' }],
    openDriftAlertIds: [],
    ownerMsp,
    registeredBy: tx.caller.id,
    registeredAt: tx.time,
  };
  await putModel(tx.stub, record);
  if (isNew) await putOwnership(tx.stub, { kind: 'model', id: input.modelId, ownerMsp, registeredAt: tx.time });
  const byParent = new Map<string, { parent: NodeRef; relations: string[] }>();
  for (const { parent, relation } of edges) {
    const entry = byParent.get(nodeKey(parent)) ?? { parent, relations: [] };
    entry.relations.push(relation);
    byParent.set(nodeKey(parent), entry);
  }
  for (const { parent, relations } of byParent.values()) await putChildEdge(tx.stub, parent, self, relations);
  tx.emit(EventName.ModelVersionRegistered, { modelId: record.modelId, version: record.version, ownerMsp });
  return record;
}
