// Draws one timeline panel as SVG: alert values over time (by severity and state) against the warning and critical thresholds.
import { s, uid } from '../dom';
import type { TimelinePanel } from '../timeline';

export function timelineChart(panel: TimelinePanel): SVGSVGElement {
  const titleId = uid('timeline-title');
  const limits = panel.thresholds.map((t) => `${t.kind} ${t.value}`).join(' and ');
  const title = `${panel.metric}: ${panel.points.length} alert value${panel.points.length === 1 ? '' : 's'} over time${limits === '' ? '' : ` against ${limits}`}${panel.lowerIsWorse ? ' (a p-value: lower is more drift)' : ''}`;
  const { plot } = panel;
  return s(
    'svg',
    { class: 'timeline-chart', viewBox: `0 0 ${panel.width} ${panel.height}`, width: panel.width, height: panel.height, role: 'img', 'aria-labelledby': titleId, 'data-metric': panel.metric },
    s('title', { id: titleId }, title),
    s('line', { class: 'axis', x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom }),
    s('line', { class: 'axis', x1: plot.left, y1: plot.top, x2: plot.left, y2: plot.bottom }),
    panel.yTicks.map((t) => [
      s('line', { class: 'grid', x1: plot.left, y1: t.y, x2: plot.right, y2: t.y }),
      s('text', { class: 'tick', x: plot.left - 6, y: t.y + 4, 'text-anchor': 'end' }, t.label),
    ]).flat(),
    panel.xTicks.map((t, i) => s('text', { class: 'tick', x: t.x, y: plot.bottom + 18, 'text-anchor': i === 0 ? 'start' : i === panel.xTicks.length - 1 ? 'end' : 'middle' }, t.label)),
    panel.thresholds.map((t) =>
      s(
        'g',
        { class: `threshold threshold-${t.kind}`, 'data-kind': t.kind, 'data-value': t.value },
        s('line', { x1: plot.left, y1: t.y, x2: plot.right, y2: t.y }),
        s('text', { x: plot.right - 4, y: t.y - 4, 'text-anchor': 'end' }, `${t.kind} ${t.value}`),
      ),
    ),
    panel.points.length > 1
      ? s('polyline', { class: 'series', points: panel.points.map((p) => `${p.x},${p.y}`).join(' ') })
      : null,
    panel.points.map((p) =>
      s(
        'circle',
        { class: `point sev-${p.severity} state-${p.state}`, cx: p.x, cy: p.y, r: 6, 'data-alert-id': p.alertId, 'data-state': p.state },
        s('title', {}, p.label),
      ),
    ),
  );
}
