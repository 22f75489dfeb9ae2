// GetLineage: ancestors (parents, datasets) or descendants (via the child index) of a version, to a depth.
import type { DatasetVersion } from '../../domain/dataset.js';
import { notFound } from '../../domain/errors.js';
import { LineageQuery, nodeKey, walkLineage, type LineageGraph, type LineageNode, type NodeRef, type Step } from '../../domain/lineage.js';
import type { ModelVersion } from '../../domain/model.js';
import { splitDatasetRef } from '../../domain/dataset.js';
import { parseJsonArg } from '../../domain/validation.js';
import { getDataset, getModel, listChildren } from '../../ledger/lineage-store.js';
import type { Tx } from '../tx.js';

type LineageRecord = ModelVersion | DatasetVersion;

async function load(tx: Tx, ref: NodeRef): Promise<LineageRecord | undefined> {
  return ref.kind === 'model' ? getModel(tx.stub, ref.id, ref.version) : getDataset(tx.stub, ref.id, ref.version);
}

function parentsOf(node: LineageNode<LineageRecord>): { ref: NodeRef; relation: string }[] {
  const record = node.record;
  if ('modelId' in record) {
    return [
      ...record.parents.map((p) => ({ ref: { kind: 'model' as const, id: p.modelId, version: p.version }, relation: p.relation })),
      ...record.datasets.map((d) => ({ ref: { kind: 'dataset' as const, id: d.datasetId, version: d.version }, relation: d.use })),
    ];
  }
  return record.parents.map((p) => ({ ref: { kind: 'dataset' as const, ...idVersion(p) }, relation: 'derived-from' }));
}

const idVersion = (ref: string): { id: string; version: string } => {
  const { datasetId, version } = splitDatasetRef(ref);
  return { id: datasetId, version };
};

/**
 * Lineage is shared provenance: reading it needs read access to the starting version only;
 * the graph may include versions of other orgs that this one derives from or feeds.
 */
export async function getLineage(tx: Tx, text: string): Promise<LineageGraph<LineageRecord>> {
  const query = parseJsonArg(LineageQuery, text, 'query');
  const rootRef: NodeRef = { kind: query.kind, id: query.id, version: query.version };
  const rootRecord = await load(tx, rootRef);
  if (rootRecord === undefined) throw notFound('version', `${query.kind} version ${query.id}@${query.version} is not registered`);
  await tx.requireRead(rootRecord.ownerMsp);
  const root: LineageNode<LineageRecord> = { ...rootRef, key: nodeKey(rootRef), record: rootRecord };

  const expand = async (node: LineageNode<LineageRecord>): Promise<Step<LineageRecord>[]> => {
    const neighbours =
      query.direction === 'up'
        ? parentsOf(node).map(({ ref, relation }) => ({ ref, edge: { from: node.key, to: nodeKey(ref), relation } }))
        : (await listChildren(tx.stub, node)).map(({ child, relation }) => ({ ref: child, edge: { from: nodeKey(child), to: node.key, relation } }));
    const steps: Step<LineageRecord>[] = [];
    for (const { ref, edge } of neighbours) {
      const record = await load(tx, ref);
      if (record !== undefined) steps.push({ edge, neighbour: ref, record });
    }
    return steps;
  };
  return walkLineage(root, query.direction, query.depth, expand);
}
