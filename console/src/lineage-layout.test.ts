import { describe, expect, it } from 'vitest';
import { layoutLineage, NODE_WIDTH, type LineageGraphIn, type LineageNodeIn } from './lineage-layout';

const model = (id: string): LineageNodeIn => ({ kind: 'model', id, version: '1.0.0', key: `model:${id}@1.0.0` });
const dataset = (id: string): LineageNodeIn => ({ kind: 'dataset', id, version: 'v1', key: `dataset:${id}@v1` });

const [grandparent, parent, root, child, grandchild] = ['gp', 'p', 'm', 'c', 'gc'].map(model) as [LineageNodeIn, LineageNodeIn, LineageNodeIn, LineageNodeIn, LineageNodeIn];
const data = dataset('d');
const up: LineageGraphIn = {
  root: root.key,
  nodes: [root, parent, grandparent, data],
  edges: [
    { from: root.key, to: parent.key, relation: 'fine-tuned-from' },
    { from: root.key, to: data.key, relation: 'training' },
    { from: parent.key, to: grandparent.key, relation: 'distilled-from' },
    { from: parent.key, to: data.key, relation: 'training' },
  ],
};
const down: LineageGraphIn = {
  root: root.key,
  nodes: [root, child, grandchild],
  edges: [
    { from: child.key, to: root.key, relation: 'fine-tuned-from' },
    { from: grandchild.key, to: child.key, relation: 'retrained-from' },
  ],
};

describe('layoutLineage', () => {
  const layout = layoutLineage(up, down);
  const node = (key: string) => layout.nodes.find((n) => n.key === key);

  it('puts ancestors left of the root and descendants right of it, by distance', () => {
    expect(Object.fromEntries(layout.nodes.map((n) => [n.id, [n.layer, n.place]]))).toEqual({
      gp: [-2, 'ancestor'],
      p: [-1, 'ancestor'],
      // Used by the root and by its parent: left of both.
      d: [-2, 'ancestor'],
      m: [0, 'root'],
      c: [1, 'descendant'],
      gc: [2, 'descendant'],
    });
    const xs = ['gp', 'p', 'm', 'c', 'gc'].map((id) => layout.nodes.find((n) => n.id === id)?.x ?? NaN);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it('runs every edge between columns, from left to right', () => {
    for (const e of layout.edges) {
      expect(node(e.to)?.layer, `${e.from} → ${e.to}`).toBeLessThan(node(e.from)?.layer ?? NaN);
      expect(e.x1).toBeLessThan(e.x2);
    }
  });

  it('arcs an edge that skips a column above the boxes it passes', () => {
    const skip = layout.edges.find((e) => e.from === root.key && e.to === data.key);
    const passed = node(parent.key);
    expect(skip?.arcY).toBeDefined();
    // A cubic curve with both control points at arcY peaks at y1 - 0.75 (y1 - arcY).
    const peak = (skip?.y1 ?? 0) - 0.75 * ((skip?.y1 ?? 0) - (skip?.arcY ?? 0));
    expect(peak).toBeLessThan(passed?.y ?? 0);
    expect(peak).toBeGreaterThanOrEqual(0);
    expect(layout.edges.find((e) => e.from === root.key && e.to === parent.key)?.arcY).toBeUndefined();
  });

  it('keeps every node inside the drawing without overlaps', () => {
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
    }
    for (const a of layout.nodes)
      for (const b of layout.nodes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, `${a.key} / ${b.key}`).toBe(false);
      }
  });

  it('draws each edge once, from the source to the derived version, the root shared by both walks only once', () => {
    expect(layout.nodes.filter((n) => n.key === root.key)).toHaveLength(1);
    expect(layout.edges).toHaveLength(6);
    const tuned = layout.edges.find((e) => e.from === root.key && e.to === parent.key);
    const p = node(parent.key);
    const m = node(root.key);
    expect(tuned).toMatchObject({ relation: 'fine-tuned-from', x1: (p?.x ?? 0) + NODE_WIDTH, x2: m?.x });
  });

  it('lays out a version without lineage as the root alone', () => {
    const alone = layoutLineage({ root: root.key, nodes: [root], edges: [] }, { root: root.key, nodes: [root], edges: [] });
    expect(alone.nodes).toHaveLength(1);
    expect(alone.edges).toEqual([]);
    expect(alone.width).toBeGreaterThan(NODE_WIDTH);
  });

  it('skips edges to nodes the walk did not return', () => {
    const cut = layoutLineage({ ...up, edges: [...up.edges, { from: root.key, to: 'model:ghost@1', relation: 'ensembled-from' }] }, down);
    expect(cut.edges.some((e) => e.to === 'model:ghost@1')).toBe(false);
  });
});
