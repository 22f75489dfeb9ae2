// Lays out a model version's lineage (ancestors and datasets to the left, descendants to the right) for an SVG drawing.

export interface LineageNodeIn {
  kind: 'model' | 'dataset';
  id: string;
  version: string;
  key: string;
}
export interface LineageEdgeIn {
  /** The derived version. */
  from: string;
  /** What it derives from (parent model, dataset). */
  to: string;
  relation: string;
}
export interface LineageGraphIn {
  root: string;
  nodes: readonly LineageNodeIn[];
  edges: readonly LineageEdgeIn[];
}

export type NodePlace = 'root' | 'ancestor' | 'descendant';

export interface PlacedNode extends LineageNodeIn {
  place: NodePlace;
  /** Column: negative for ancestors, 0 for the root, positive for descendants. */
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends LineageEdgeIn {
  /** The arrow runs from what is derived from (source) to the derived version (target). */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /**
   * For an edge that skips a column: it leaves the top of one box and enters the top of the other,
   * arcing through this height, above the boxes in between.
   */
  arcY?: number;
}

export interface LineageLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 52;
const COLUMN_GAP = 120;
const ROW_GAP = 24;
const MARGIN = 16;
/** Room above the boxes for edges that skip a column. */
const ARC_SPACE = 44;

/**
 * Column of every node reachable from the root: ancestors left, descendants right. Each ancestor sits left
 * of everything derived from it, each descendant right of everything it derives from (longest path), so no
 * edge runs inside one column: a dataset used by both the root and its parent goes left of the parent.
 */
function layers(root: string, up: readonly LineageEdgeIn[], down: readonly LineageEdgeIn[]): Map<string, number> {
  const layer = new Map<string, number>([[root, 0]]);
  const relax = (edges: readonly LineageEdgeIn[], near: (e: LineageEdgeIn) => string, far: (e: LineageEdgeIn) => string, sign: number): void => {
    // A DAG settles within one pass per node; the bound also stops a malformed cycle.
    for (let pass = 0; pass <= edges.length; pass++) {
      let changed = false;
      for (const edge of edges) {
        const from = layer.get(near(edge));
        if (from === undefined || far(edge) === root) continue;
        const wanted = from + sign;
        const current = layer.get(far(edge));
        if (current === undefined || (sign < 0 ? wanted < current : wanted > current)) {
          layer.set(far(edge), wanted);
          changed = true;
        }
      }
      if (!changed) return;
    }
  };
  relax(up, (e) => e.from, (e) => e.to, -1);
  relax(down, (e) => e.to, (e) => e.from, 1);
  return layer;
}

const kindOrder = (kind: LineageNodeIn['kind']): number => (kind === 'model' ? 0 : 1);

/** One layout of the upward and downward lineage graphs of the same root. */
export function layoutLineage(upGraph: LineageGraphIn, downGraph: LineageGraphIn): LineageLayout {
  const root = upGraph.root;
  const byKey = new Map<string, LineageNodeIn>();
  for (const node of [...upGraph.nodes, ...downGraph.nodes]) if (!byKey.has(node.key)) byKey.set(node.key, node);
  const layerOf = layers(root, upGraph.edges, downGraph.edges);

  const columns = new Map<number, LineageNodeIn[]>();
  for (const node of byKey.values()) {
    const layer = layerOf.get(node.key);
    if (layer === undefined) continue;
    columns.set(layer, [...(columns.get(layer) ?? []), node]);
  }
  const layerNumbers = [...columns.keys()].sort((a, b) => a - b);
  const minLayer = layerNumbers[0] ?? 0;
  const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const skips = (e: LineageEdgeIn): boolean => Math.abs((layerOf.get(e.from) ?? 0) - (layerOf.get(e.to) ?? 0)) > 1;
  const arcs = [...upGraph.edges, ...downGraph.edges].some((e) => layerOf.has(e.from) && layerOf.has(e.to) && skips(e));
  const top0 = MARGIN + (arcs ? ARC_SPACE : 0);
  const height = top0 + MARGIN + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP;
  const width = MARGIN * 2 + layerNumbers.length * NODE_WIDTH + Math.max(0, layerNumbers.length - 1) * COLUMN_GAP;

  const nodes: PlacedNode[] = [];
  for (const layer of layerNumbers) {
    const column = [...(columns.get(layer) ?? [])].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || a.key.localeCompare(b.key));
    const columnHeight = column.length * NODE_HEIGHT + (column.length - 1) * ROW_GAP;
    const top = top0 + (height - top0 - MARGIN - columnHeight) / 2;
    column.forEach((node, row) => {
      nodes.push({
        ...node,
        place: layer === 0 ? 'root' : layer < 0 ? 'ancestor' : 'descendant',
        layer,
        x: MARGIN + (layer - minLayer) * (NODE_WIDTH + COLUMN_GAP),
        y: top + row * (NODE_HEIGHT + ROW_GAP),
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
      });
    });
  }

  const placed = new Map(nodes.map((n) => [n.key, n]));
  const seen = new Set<string>();
  const edges: PlacedEdge[] = [];
  for (const edge of [...upGraph.edges, ...downGraph.edges]) {
    const id = `${edge.from}\u0000${edge.to}\u0000${edge.relation}`;
    const derived = placed.get(edge.from);
    const source = placed.get(edge.to);
    if (seen.has(id) || derived === undefined || source === undefined) continue;
    seen.add(id);
    if (skips(edge)) {
      edges.push({ ...edge, x1: source.x + source.width / 2, y1: source.y, x2: derived.x + derived.width / 2, y2: derived.y, arcY: MARGIN });
      continue;
    }
    const leftToRight = source.x <= derived.x;
    edges.push({
      ...edge,
      x1: leftToRight ? source.x + source.width : source.x,
      y1: source.y + source.height / 2,
      x2: leftToRight ? derived.x : derived.x + derived.width,
      y2: derived.y + derived.height / 2,
    });
  }
  return { width, height, nodes, edges };
}
