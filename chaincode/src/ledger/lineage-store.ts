// Stored lineage: dataset and model versions, who owns each id, and the parent → child edge index.
import { z } from 'zod';
import { DatasetVersion } from '../domain/dataset.js';
import type { LineageKind, NodeRef } from '../domain/lineage.js';
import { MspId } from '../domain/identity.js';
import { ModelVersion } from '../domain/model.js';
import { Identifier, Timestamp } from '../domain/primitives.js';
import { KeyType, keys } from './keys.js';
import { listAll } from './pages.js';
import { decodeValue, readJson, writeJson } from './state.js';
import type { Stub } from './stub.js';

/** Which org registered the first version of a model or dataset id, and so owns the id. */
export const Ownership = z.strictObject({
  kind: z.enum(['model', 'dataset']),
  id: Identifier,
  ownerMsp: MspId,
  registeredAt: Timestamp,
});
export type Ownership = z.output<typeof Ownership>;

const ChildEdge = z.strictObject({ relations: z.array(z.string()) });

export const getDataset = (stub: Stub, datasetId: string, version: string) =>
  readJson(stub, DatasetVersion, keys.dataset(datasetId, version));
export const putDataset = (stub: Stub, record: DatasetVersion) => writeJson(stub, keys.dataset(record.datasetId, record.version), record);

export const getModel = (stub: Stub, modelId: string, version: string) => readJson(stub, ModelVersion, keys.model(modelId, version));
export const putModel = (stub: Stub, record: ModelVersion) => writeJson(stub, keys.model(record.modelId, record.version), record);

export const getOwnership = (stub: Stub, kind: 'model' | 'dataset', id: string) => readJson(stub, Ownership, keys.owner(kind, id));
export const putOwnership = (stub: Stub, record: Ownership) => writeJson(stub, keys.owner(record.kind, record.id), record);

const refParts = (ref: NodeRef): readonly [string, string, string] => [ref.kind, ref.id, ref.version];

/** Records that `child` derives from `parent` (one key per pair, all relations in it), so lineage can be walked downwards. */
export const putChildEdge = (stub: Stub, parent: NodeRef, child: NodeRef, relations: readonly string[]) =>
  writeJson(stub, keys.lineageChild(refParts(parent), refParts(child)), { relations });

/** The versions that derive directly from `parent`, one entry per relation. */
export async function listChildren(stub: Stub, parent: NodeRef): Promise<{ child: NodeRef; relation: string }[]> {
  const entries = await listAll(stub, KeyType.lineageChild, refParts(parent));
  return entries.flatMap((entry) => {
    const [, , , kind, id, version] = entry.attributes;
    if ((kind !== 'model' && kind !== 'dataset') || id === undefined || version === undefined) return [];
    const { relations } = decodeValue(ChildEdge, entry.value, entry.key);
    const childKind: LineageKind = kind;
    return relations.map((relation) => ({ child: { kind: childKind, id, version }, relation }));
  });
}
