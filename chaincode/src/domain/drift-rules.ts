// Pure drift rules: the effective policy, severity from thresholds, and the alert state machine.
import { DEFAULT_THRESHOLDS, P_VALUE_METRICS, type DriftMetric, type DriftPolicy, type Severity, type Thresholds } from './drift.js';
import { preconditionFailed } from './errors.js';
import type { AlertState } from './queries.js';

/** The policy in force when no admin has set one: defaults, onCritical=flag. */
export function defaultPolicy(modelId: string, version: string): DriftPolicy {
  return { modelId, version, thresholds: {}, onCritical: 'flag', source: 'default' };
}

/** Thresholds for `metric`: the policy's own, else the DESIGN defaults; custom has no default. */
export function thresholdsFor(policy: DriftPolicy, metric: DriftMetric): Thresholds | undefined {
  const own = policy.thresholds[metric];
  if (own !== undefined) return own;
  return metric === 'custom' ? undefined : DEFAULT_THRESHOLDS[metric];
}

/** Whether a lower value means more drift: p-values always; custom when critical < warning. */
export function lowerIsWorse(metric: DriftMetric, t: Thresholds): boolean {
  if (metric === 'custom') return t.critical < t.warning;
  return P_VALUE_METRICS.has(metric);
}

/**
 * Severity of a measured value under the policy, with the threshold it crossed. Throws
 * PRECONDITION_FAILED when the value crosses no threshold or custom has no thresholds.
 */
export function assessDrift(policy: DriftPolicy, metric: DriftMetric, value: number): { severity: Severity; threshold: number } {
  const t = thresholdsFor(policy, metric);
  if (t === undefined) throw preconditionFailed('metric', 'custom metrics need explicit thresholds in the drift policy');
  const crossed = lowerIsWorse(metric, t) ? (limit: number) => value <= limit : (limit: number) => value >= limit;
  if (crossed(t.critical)) return { severity: 'critical', threshold: t.critical };
  if (crossed(t.warning)) return { severity: 'warning', threshold: t.warning };
  throw preconditionFailed('value', `${metric}=${value} does not cross the warning threshold ${t.warning}: not an alert`);
}

/** Allowed alert state changes; resolved and false-positive are final. */
export const ALERT_TRANSITIONS: Readonly<Record<AlertState, readonly AlertState[]>> = Object.freeze({
  open: ['acknowledged', 'resolved', 'false-positive'],
  acknowledged: ['resolved', 'false-positive'],
  resolved: [],
  'false-positive': [],
});

export const isClosed = (state: AlertState): boolean => state === 'resolved' || state === 'false-positive';

/** Throws PRECONDITION_FAILED (field `to`) unless the alert may move from `from` to `to`. */
export function checkAlertTransition(from: AlertState, to: AlertState): void {
  if (ALERT_TRANSITIONS[from].includes(to)) return;
  const reason = isClosed(from) ? `the alert is already ${from}` : `allowed from ${from}: ${ALERT_TRANSITIONS[from].join(', ')}`;
  throw preconditionFailed('to', `cannot move a drift alert from ${from} to ${to} (${reason})`);
}
