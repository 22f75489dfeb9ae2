// The drift timeline as data: one panel per metric, alert values over time against the warning and critical thresholds.

export interface TimelineAlert {
  alertId: string;
  modelVersion: string;
  metric: string;
  feature?: string | undefined;
  value: number;
  threshold: number;
  severity: 'warning' | 'critical';
  state: string;
  window: { from: string; to: string };
}

export interface Thresholds {
  warning: number;
  critical: number;
}

export interface TimelinePoint {
  alertId: string;
  x: number;
  y: number;
  value: number;
  severity: 'warning' | 'critical';
  state: string;
  label: string;
}

export interface TimelinePanel {
  metric: string;
  /** p-value metrics (ks, chi2): a lower value is more drift. */
  lowerIsWorse: boolean;
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  points: TimelinePoint[];
  thresholds: { kind: 'warning' | 'critical'; value: number; y: number }[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
}

const P_VALUE_METRICS = new Set(['ks', 'chi2']);
const DAY = 86_400_000;

/** A step of 1, 2 or 5 × 10^n near span/count. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

const trimNumber = (n: number): string => String(Number(n.toPrecision(6)));

function timeLabel(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs < 2 * DAY ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** Thresholds of a metric: the policy's when set, else those the alerts themselves crossed (the latest of each severity). */
export function thresholdsOf(metric: string, alerts: readonly TimelineAlert[], policy: Readonly<Record<string, Thresholds | undefined>>): Partial<Thresholds> {
  const set = policy[metric];
  if (set !== undefined) return set;
  const found: Partial<Thresholds> = {};
  const ordered = alerts.filter((a) => a.metric === metric).sort((a, b) => Date.parse(a.window.to) - Date.parse(b.window.to));
  for (const alert of ordered) found[alert.severity] = alert.threshold;
  return found;
}

export function timelinePanels(
  alerts: readonly TimelineAlert[],
  policy: Readonly<Record<string, Thresholds | undefined>> = {},
  size: { width: number; height: number } = { width: 640, height: 220 },
): TimelinePanel[] {
  const metrics = [...new Set(alerts.map((a) => a.metric))].sort();
  const plot = { left: 56, top: 14, right: size.width - 16, bottom: size.height - 30 };
  return metrics.map((metric) => {
    const own = alerts.filter((a) => a.metric === metric);
    const limits = thresholdsOf(metric, own, policy);
    const times = own.map((a) => Date.parse(a.window.to));
    let t0 = Math.min(...times);
    let t1 = Math.max(...times);
    if (t1 - t0 < 60_000) {
      t0 -= DAY / 2;
      t1 += DAY / 2;
    } else {
      const pad = (t1 - t0) * 0.05;
      t0 -= pad;
      t1 += pad;
    }
    const limitValues = [limits.warning, limits.critical].filter((v): v is number => v !== undefined);
    const top = Math.max(...own.map((a) => a.value), ...limitValues, 0);
    const step = niceStep(top > 0 ? top * 1.1 : 1, 4);
    const yMax = Math.max(step, Math.ceil((top * 1.1) / step) * step);
    const xOf = (t: number): number => plot.left + ((t - t0) / (t1 - t0)) * (plot.right - plot.left);
    const yOf = (v: number): number => plot.bottom - (Math.max(0, v) / yMax) * (plot.bottom - plot.top);

    const yTicks: TimelinePanel['yTicks'] = [];
    for (let v = 0; v <= yMax + step / 1000; v += step) yTicks.push({ y: yOf(v), label: trimNumber(v) });
    const xTicks: TimelinePanel['xTicks'] = [];
    for (let i = 0; i <= 3; i++) {
      const t = t0 + ((t1 - t0) * i) / 3;
      xTicks.push({ x: xOf(t), label: timeLabel(t, t1 - t0) });
    }
    const points = own
      .map((a) => ({
        alertId: a.alertId,
        x: xOf(Date.parse(a.window.to)),
        y: yOf(a.value),
        value: a.value,
        severity: a.severity,
        state: a.state,
        label: `${a.alertId} (${a.modelVersion}${a.feature === undefined ? '' : `, ${a.feature}`}): ${metric} ${trimNumber(a.value)}, ${a.severity}, ${a.state}, window ending ${a.window.to}`,
      }))
      .sort((a, b) => a.x - b.x);
    const thresholds = (['warning', 'critical'] as const).flatMap((kind) => {
      const value = limits[kind];
      return value === undefined ? [] : [{ kind, value, y: yOf(value) }];
    });
    return { metric, lowerIsWorse: P_VALUE_METRICS.has(metric), width: size.width, height: size.height, plot, points, thresholds, xTicks, yTicks };
  });
}
