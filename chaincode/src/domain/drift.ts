// Drift policies and drift alerts: what an admin sets, what a monitor raises, what an officer transitions.
import { z } from 'zod';
import { IdentityId, MspId } from './identity.js';
import { FiniteNumber, Identifier, Sha256, TimeWindow, Timestamp, text } from './primitives.js';
import { AlertState } from './queries.js';

export const DriftMetric = z
  .enum(['psi', 'ks', 'js', 'wasserstein', 'chi2', 'custom'], { error: 'must be psi, ks, js, wasserstein, chi2 or custom' })
  .describe('Drift metric: psi, js and (normed) wasserstein are distances (higher is worse); ks and chi2 are p-values (lower is worse)');
export type DriftMetric = z.output<typeof DriftMetric>;

export const Thresholds = z
  .strictObject({ warning: FiniteNumber, critical: FiniteNumber })
  .describe('Warning and critical thresholds of a metric');
export type Thresholds = z.output<typeof Thresholds>;

/** Metrics whose value is a p-value: a LOWER value means MORE drift. */
export const P_VALUE_METRICS: ReadonlySet<DriftMetric> = new Set(['ks', 'chi2']);

/** DESIGN §4 defaults. `custom` has none: a policy must give its thresholds explicitly. */
export const DEFAULT_THRESHOLDS: Readonly<Record<Exclude<DriftMetric, 'custom'>, Thresholds>> = Object.freeze({
  psi: { warning: 0.1, critical: 0.25 },
  js: { warning: 0.1, critical: 0.2 },
  wasserstein: { warning: 0.1, critical: 0.2 },
  ks: { warning: 0.05, critical: 0.01 },
  chi2: { warning: 0.05, critical: 0.01 },
});

export const OnCritical = z
  .enum(['flag', 'suspend'], { error: 'must be flag or suspend' })
  .describe('flag: record the alert only; suspend: also suspend the model version in the same transaction');

const ThresholdsByMetric = z.strictObject({
  psi: Thresholds.optional(),
  ks: Thresholds.optional(),
  js: Thresholds.optional(),
  wasserstein: Thresholds.optional(),
  chi2: Thresholds.optional(),
  custom: Thresholds.optional(),
});

/** Why a metric's thresholds are inconsistent, or undefined. */
export function thresholdProblem(metric: DriftMetric, t: Thresholds): string | undefined {
  if (metric === 'custom') return t.warning === t.critical ? 'warning and critical must differ' : undefined;
  if (t.warning < 0 || t.critical < 0) return 'thresholds must not be negative';
  if (P_VALUE_METRICS.has(metric)) {
    if (t.warning > 1 || t.critical > 1) return 'p-value thresholds must be at most 1';
    return t.critical < t.warning ? undefined : `${metric} is a p-value (lower is worse): critical must be below warning`;
  }
  return t.critical > t.warning ? undefined : `${metric} is a distance (higher is worse): critical must be above warning`;
}

export const DriftPolicyInput = z
  .strictObject({
    modelId: Identifier,
    version: Identifier,
    thresholds: ThresholdsByMetric.default({}).describe('Per-metric thresholds; omitted metrics use the defaults'),
    onCritical: OnCritical.default('flag'),
  })
  .superRefine((policy, ctx) => {
    for (const metric of DriftMetric.options) {
      const t = policy.thresholds[metric];
      const problem = t === undefined ? undefined : thresholdProblem(metric, t);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['thresholds', metric], message: problem });
    }
  })
  .meta({ id: 'DriftPolicyInput', description: 'Drift thresholds and the action on a critical alert for one model version' });
export type DriftPolicyInput = z.output<typeof DriftPolicyInput>;

export const DriftPolicy = z
  .strictObject({
    ...DriftPolicyInput.shape,
    source: z.enum(['default', 'ledger']).describe('default: no policy was set; ledger: set by an admin'),
    setBy: IdentityId.optional(),
    setAt: Timestamp.optional(),
  })
  .meta({ id: 'DriftPolicy', description: 'The drift policy in force for a model version' });
export type DriftPolicy = z.output<typeof DriftPolicy>;

export const DriftAlertInput = z
  .strictObject({
    alertId: Identifier,
    modelId: Identifier,
    modelVersion: Identifier,
    metric: DriftMetric,
    feature: text(256, 'The feature that drifted; absent for whole-model drift').optional(),
    value: FiniteNumber.describe('Measured metric value'),
    referenceWindow: z
      .strictObject({ ...TimeWindow.shape, datasetSha256: Sha256.optional() })
      .refine((w) => !(Date.parse(w.from) > Date.parse(w.to)), { error: 'from must not be after to', path: ['to'] })
      .describe('The reference (baseline) window'),
    window: TimeWindow.describe('The observed window'),
    reportSha256: Sha256.optional().describe('SHA-256 of the monitoring report'),
  })
  .meta({ id: 'DriftAlertInput', description: 'A drift measurement raised by a monitoring job; the chaincode computes severity' });
export type DriftAlertInput = z.output<typeof DriftAlertInput>;

export const Severity = z.enum(['warning', 'critical']);
export type Severity = z.output<typeof Severity>;

export const AlertTransition = z.strictObject({
  state: AlertState,
  by: IdentityId,
  actorRef: Identifier.optional(),
  at: Timestamp,
  note: text(2000, 'Note').optional(),
});
export type AlertTransition = z.output<typeof AlertTransition>;

export const DriftAlert = z
  .strictObject({
    ...DriftAlertInput.shape,
    threshold: FiniteNumber.describe('The policy threshold the value crossed'),
    severity: Severity,
    state: AlertState,
    transitions: z.array(AlertTransition),
    ownerMsp: MspId,
    raisedBy: IdentityId,
    raisedAt: Timestamp,
  })
  .meta({ id: 'DriftAlert', description: 'A drift alert as the ledger keeps it' });
export type DriftAlert = z.output<typeof DriftAlert>;

export const AlertTransitionInput = z
  .strictObject({
    alertId: Identifier,
    to: z.enum(['acknowledged', 'resolved', 'false-positive'], { error: 'must be acknowledged, resolved or false-positive' }),
    note: text(2000, 'What was found or done').optional(),
    actorRef: Identifier.optional().describe('The human principal acting, as the gateway knows them'),
  })
  .meta({ id: 'AlertTransitionInput', description: 'Acknowledge, resolve or mark a drift alert as a false positive' });
export type AlertTransitionInput = z.output<typeof AlertTransitionInput>;
