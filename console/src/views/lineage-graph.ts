// Draws a lineage layout as SVG: boxes for models and datasets, arrows from what a version derives from to the version.
import { s, uid } from '../dom';
import type { LineageLayout, PlacedNode } from '../lineage-layout';
import { hrefOf } from '../router';

const PLACE_TEXT = { root: 'this version', ancestor: 'ancestor', descendant: 'descendant' } as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function nodeGroup(node: PlacedNode): SVGElement {
  const describe = `${node.kind} ${node.id} version ${node.version} (${node.kind === 'dataset' ? 'dataset' : PLACE_TEXT[node.place]})`;
  const group = s(
    'g',
    { class: `node node-${node.kind} node-${node.place}`, 'data-key': node.key, 'data-kind': node.kind, 'data-place': node.place },
    s('title', {}, describe),
    s('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: node.kind === 'dataset' ? 2 : 8 }),
    s('text', { x: node.x + 10, y: node.y + 21, class: 'node-id' }, clip(node.id, 25)),
    s('text', { x: node.x + 10, y: node.y + 40, class: 'node-sub' }, clip(`${node.kind} · ${node.version}`, 30)),
  );
  if (node.kind !== 'model' || node.place === 'root') return group;
  return s('a', { href: hrefOf({ page: 'model', modelId: node.id, version: node.version }), 'aria-label': `Open ${describe}` }, group);
}

export function lineageGraph(layout: LineageLayout, title: string): SVGSVGElement {
  const titleId = uid('lineage-title');
  const arrowId = uid('arrow');
  return s(
    'svg',
    {
      class: 'lineage-graph',
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      width: layout.width,
      height: layout.height,
      role: 'group',
      'aria-labelledby': titleId,
      'data-nodes': layout.nodes.length,
      'data-edges': layout.edges.length,
    },
    s('title', { id: titleId }, title),
    s('defs', {}, s('marker', { id: arrowId, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }))),
    layout.edges.map((edge) => {
      const mid = (edge.x1 + edge.x2) / 2;
      const { arcY } = edge;
      const d =
        arcY === undefined
          ? `M${edge.x1},${edge.y1} C${mid},${edge.y1} ${mid},${edge.y2} ${edge.x2},${edge.y2}`
          : `M${edge.x1},${edge.y1} C${edge.x1},${arcY} ${edge.x2},${arcY} ${edge.x2},${edge.y2}`;
      const labelY = arcY === undefined ? (edge.y1 + edge.y2) / 2 - 6 : (edge.y1 + edge.y2) / 2 - 0.75 * ((edge.y1 + edge.y2) / 2 - arcY) - 4;
      return s(
        'g',
        { class: 'edge', 'data-from': edge.from, 'data-to': edge.to, 'data-relation': edge.relation },
        s('path', { d, 'marker-end': `url(#${arrowId})` }),
        s('text', { x: mid, y: labelY, 'text-anchor': 'middle', class: 'edge-label' }, edge.relation),
      );
    }),
    layout.nodes.map(nodeGroup),
  );
}
