import { describe, expect, it } from 'vitest';
import { niceStep, thresholdsOf, timelinePanels, type TimelineAlert } from './timeline';

const alert = (alertId: string, metric: string, value: number, threshold: number, severity: 'warning' | 'critical', to: string): TimelineAlert => ({
  alertId,
  modelVersion: '1.0.0',
  metric,
  value,
  threshold,
  severity,
  state: 'open',
  window: { from: '2025-01-01T00:00:00Z', to },
});

const alerts = [
  alert('a1', 'psi', 0.17, 0.1, 'warning', '2025-03-07T00:00:00Z'),
  alert('a2', 'psi', 0.31, 0.25, 'critical', '2025-03-14T00:00:00Z'),
  alert('a3', 'ks', 0.02, 0.05, 'warning', '2025-03-10T00:00:00Z'),
];

describe('timelinePanels', () => {
  const panels = timelinePanels(alerts);

  it('makes one panel per metric, p-value metrics marked lower-is-worse', () => {
    expect(panels.map((p) => [p.metric, p.lowerIsWorse, p.points.length])).toEqual([
      ['ks', true, 1],
      ['psi', false, 2],
    ]);
  });

  it('places later windows further right and higher values higher, all inside the plot', () => {
    const psi = panels.find((p) => p.metric === 'psi');
    const [first, second] = psi?.points ?? [];
    expect(first?.alertId).toBe('a1');
    expect((second?.x ?? 0) > (first?.x ?? 0)).toBe(true);
    expect((second?.y ?? 0) < (first?.y ?? 0)).toBe(true);
    for (const p of psi?.points ?? []) {
      expect(p.x).toBeGreaterThanOrEqual(psi?.plot.left ?? 0);
      expect(p.x).toBeLessThanOrEqual(psi?.plot.right ?? 0);
      expect(p.y).toBeGreaterThanOrEqual(psi?.plot.top ?? 0);
      expect(p.y).toBeLessThanOrEqual(psi?.plot.bottom ?? 0);
    }
  });

  it('draws the thresholds the alerts crossed, the critical one above the warning one for a distance', () => {
    const psi = panels.find((p) => p.metric === 'psi');
    expect(psi?.thresholds.map((t) => [t.kind, t.value])).toEqual([
      ['warning', 0.1],
      ['critical', 0.25],
    ]);
    const [warning, critical] = psi?.thresholds ?? [];
    expect((critical?.y ?? 0) < (warning?.y ?? 0)).toBe(true);
  });

  it("prefers the policy's thresholds over those seen on alerts", () => {
    expect(thresholdsOf('psi', alerts, { psi: { warning: 0.2, critical: 0.4 } })).toEqual({ warning: 0.2, critical: 0.4 });
    expect(thresholdsOf('ks', alerts, {})).toEqual({ warning: 0.05 });
    const [ks] = timelinePanels(alerts.filter((a) => a.metric === 'ks'), { ks: { warning: 0.05, critical: 0.01 } });
    expect(ks?.thresholds.map((t) => t.kind)).toEqual(['warning', 'critical']);
  });

  it('widens a single point in time to a day and labels the axes', () => {
    const [one] = timelinePanels([alerts[0] as TimelineAlert]);
    expect(one?.points[0]?.x).toBeCloseTo(((one?.plot.left ?? 0) + (one?.plot.right ?? 0)) / 2);
    expect(one?.xTicks).toHaveLength(4);
    expect(one?.yTicks[0]?.label).toBe('0');
    expect(Number(one?.yTicks.at(-1)?.label)).toBeGreaterThanOrEqual(0.17);
  });
});

describe('niceStep', () => {
  it.each([
    [1, 4, 0.5],
    [0.3, 4, 0.1],
    [7, 4, 2],
    [0, 4, 1],
  ])('span %d in %d steps → %d', (span, count, step) => {
    expect(niceStep(span, count)).toBeCloseTo(step);
  });
});
