import { describe, expect, it } from 'vitest';
import { findCycle, nodeKey, walkLineage, type LineageNode, type Step } from './lineage.js';

describe('findCycle', () => {
  const graph = (edges: Record<string, string[]>) => (key: string) => edges[key] ?? [];

  it('finds none in a DAG with shared ancestors', () => {
    expect(findCycle('a', graph({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toBeUndefined();
  });

  it('finds a self-loop', () => {
    expect(findCycle('a', graph({ a: ['a'] }))).toEqual(['a', 'a']);
  });

  it('finds a longer cycle and names its members in order', () => {
    expect(findCycle('a', graph({ a: ['b'], b: ['c'], c: ['d', 'b'], d: [] }))).toEqual(['b', 'c', 'b']);
  });
});

describe('walkLineage', () => {
  // m3 fine-tuned from m2, m2 from m1; m2 trained on d1; d1 derived from d0.
  const parents: Record<string, { key: string; relation: string }[]> = {
    'model:m3@1': [{ key: 'model:m2@1', relation: 'fine-tuned-from' }],
    'model:m2@1': [{ key: 'model:m1@1', relation: 'retrained-from' }, { key: 'dataset:d1@1', relation: 'training' }],
    'dataset:d1@1': [{ key: 'dataset:d0@1', relation: 'derived-from' }],
  };
  const toRef = (key: string) => {
    const [kind, rest] = key.split(':') as ['model' | 'dataset', string];
    const [id, version] = rest.split('@') as [string, string];
    return { kind, id, version };
  };
  const node = (key: string): LineageNode<string> => ({ ...toRef(key), key, record: `record of ${key}` });
  const up = async (n: LineageNode<string>): Promise<Step<string>[]> =>
    (parents[n.key] ?? []).map((p) => ({ edge: { from: n.key, to: p.key, relation: p.relation }, neighbour: toRef(p.key), record: `record of ${p.key}` }));

  it('walks ancestors to the requested depth', async () => {
    const graph = await walkLineage(node('model:m3@1'), 'up', 2, up);
    expect(graph.nodes.map((n) => n.key).sort()).toEqual(['dataset:d1@1', 'model:m1@1', 'model:m2@1', 'model:m3@1']);
    expect(graph.edges).toContainEqual({ from: 'model:m2@1', to: 'dataset:d1@1', relation: 'training' });
    expect(graph.edges).toHaveLength(3);
    expect(graph.truncated).toBe(false);
  });

  it('stops at depth 1', async () => {
    const graph = await walkLineage(node('model:m3@1'), 'up', 1, up);
    expect(graph.nodes.map((n) => n.key)).toEqual(['model:m3@1', 'model:m2@1']);
  });

  it('renders node keys', () => {
    expect(nodeKey({ kind: 'model', id: 'credit', version: '1.2' })).toBe('model:credit@1.2');
  });
});
