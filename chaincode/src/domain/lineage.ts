// Lineage graph rules: node keys, the cycle check, the lineage query and a bounded breadth-first walk.
import { z } from 'zod';
import { Identifier } from './primitives.js';

export const LineageKind = z.enum(['model', 'dataset'], { error: 'must be model or dataset' });
export type LineageKind = z.output<typeof LineageKind>;

export interface NodeRef {
  kind: LineageKind;
  id: string;
  version: string;
}

/** `model:credit-scorer@1.2` — the key of a node in a lineage graph. */
export const nodeKey = (ref: NodeRef): string => `${ref.kind}:${ref.id}@${ref.version}`;

/** An edge always points from the derived version to what it derives from (child → parent). */
export interface LineageEdge {
  from: string;
  to: string;
  relation: string;
}

export interface LineageNode<R> extends NodeRef {
  key: string;
  record: R;
}

export interface LineageGraph<R> {
  root: string;
  direction: 'up' | 'down';
  depth: number;
  nodes: LineageNode<R>[];
  edges: LineageEdge[];
  /** True when the walk stopped at MAX_LINEAGE_NODES before reaching `depth`. */
  truncated: boolean;
}

export const MAX_LINEAGE_DEPTH = 10;
export const MAX_LINEAGE_NODES = 500;

export const LineageQuery = z
  .strictObject({
    kind: LineageKind.default('model'),
    id: Identifier,
    version: Identifier,
    direction: z.enum(['up', 'down'], { error: 'must be up (ancestors) or down (descendants)' }).default('up'),
    depth: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be an integer' })
      .min(1, { error: 'must be at least 1' })
      .max(MAX_LINEAGE_DEPTH, { error: `must be at most ${MAX_LINEAGE_DEPTH}` })
      .default(3),
  })
  .meta({ id: 'LineageQuery', description: 'Ancestors (up) or descendants (down) of a version, to a depth' });
export type LineageQuery = z.output<typeof LineageQuery>;

/**
 * Returns one cycle reachable from `start` as a list of keys (first = last), or undefined.
 * `next(key)` lists the keys the node points to.
 */
export function findCycle(start: string, next: (key: string) => readonly string[]): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (key: string): string[] | undefined => {
    if (onPath.has(key)) return [...path.slice(path.indexOf(key)), key];
    if (done.has(key)) return undefined;
    path.push(key);
    onPath.add(key);
    for (const target of next(key)) {
      const cycle = visit(target);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    onPath.delete(key);
    done.add(key);
    return undefined;
  };
  return visit(start);
}

export interface Step<R> {
  edge: LineageEdge;
  neighbour: NodeRef;
  record: R;
}

/**
 * Breadth-first walk from `root` to `depth` hops; `expand` returns the neighbouring steps of
 * a node (parents for up, children for down). Each node and edge appears once.
 */
export async function walkLineage<R>(
  root: LineageNode<R>,
  direction: 'up' | 'down',
  depth: number,
  expand: (node: LineageNode<R>) => Promise<Step<R>[]>,
): Promise<LineageGraph<R>> {
  const nodes = new Map<string, LineageNode<R>>([[root.key, root]]);
  const edges = new Map<string, LineageEdge>();
  let frontier: LineageNode<R>[] = [root];
  let truncated = false;
  for (let hop = 0; hop < depth && frontier.length > 0 && !truncated; hop++) {
    const nextFrontier: LineageNode<R>[] = [];
    for (const node of frontier) {
      for (const step of await expand(node)) {
        edges.set(`${step.edge.from}>${step.edge.to}>${step.edge.relation}`, step.edge);
        const key = nodeKey(step.neighbour);
        if (nodes.has(key)) continue;
        if (nodes.size >= MAX_LINEAGE_NODES) {
          truncated = true;
          continue;
        }
        const found: LineageNode<R> = { ...step.neighbour, key, record: step.record };
        nodes.set(key, found);
        nextFrontier.push(found);
      }
    }
    frontier = nextFrontier;
  }
  return { root: root.key, direction, depth, nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}
