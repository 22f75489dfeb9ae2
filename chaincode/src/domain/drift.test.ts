import { describe, expect, it } from 'vitest';
import { AlertTransitionInput, DriftAlertInput, DriftPolicyInput, type DriftMetric, type DriftPolicy } from './drift.js';
import { ALERT_TRANSITIONS, assessDrift, checkAlertTransition, defaultPolicy, isClosed } from './drift-rules.js';
import { AuditError } from './errors.js';
import { exampleDriftAlert } from './examples.js';
import type { AlertState } from './queries.js';
import { parseValue } from './validation.js';

function refusal(run: () => unknown): { code: string; field: string | undefined; detail: string } | 'accepted' {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof AuditError) return { code: error.code, field: error.field, detail: error.detail };
    throw error;
  }
}

const policy = (thresholds: DriftPolicy['thresholds'] = {}): DriftPolicy => ({ ...defaultPolicy('m', '1'), thresholds, source: 'ledger' });

describe('severity from the default policy (DESIGN §4)', () => {
  it.each([
    ['psi', 0.09, 'none'],
    ['psi', 0.1, 'warning'],
    ['psi', 0.2499, 'warning'],
    ['psi', 0.25, 'critical'],
    ['js', 0.15, 'warning'],
    ['js', 0.2, 'critical'],
    ['wasserstein', 0.1, 'warning'],
    ['wasserstein', 0.35, 'critical'],
    ['ks', 0.2, 'none'],
    ['ks', 0.05, 'warning'],
    ['ks', 0.011, 'warning'],
    ['ks', 0.01, 'critical'],
    ['chi2', 0.001, 'critical'],
    ['chi2', 0.3, 'none'],
  ] as const)('%s = %s → %s', (metric, value, expected) => {
    if (expected === 'none') {
      const result = refusal(() => assessDrift(defaultPolicy('m', '1'), metric, value));
      expect(result).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'value' });
    } else {
      expect(assessDrift(defaultPolicy('m', '1'), metric, value).severity).toBe(expected);
    }
  });

  it('reports the threshold that was crossed', () => {
    expect(assessDrift(defaultPolicy('m', '1'), 'psi', 0.3)).toEqual({ severity: 'critical', threshold: 0.25 });
    expect(assessDrift(defaultPolicy('m', '1'), 'ks', 0.03)).toEqual({ severity: 'warning', threshold: 0.05 });
  });

  it('custom metrics need explicit thresholds', () => {
    expect(refusal(() => assessDrift(defaultPolicy('m', '1'), 'custom', 5))).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'metric' });
  });

  it('a custom metric infers its direction from its thresholds', () => {
    expect(assessDrift(policy({ custom: { warning: 10, critical: 20 } }), 'custom', 25).severity).toBe('critical');
    expect(assessDrift(policy({ custom: { warning: 0.9, critical: 0.8 } }), 'custom', 0.85).severity).toBe('warning');
  });

  it('a policy overrides one metric and keeps the defaults for the others', () => {
    const strict = policy({ psi: { warning: 0.05, critical: 0.1 } });
    expect(assessDrift(strict, 'psi', 0.12).severity).toBe('critical');
    expect(assessDrift(strict, 'js', 0.12).severity).toBe('warning');
  });
});

describe('DriftPolicyInput', () => {
  it.each([
    ['defaults only', {}, 'accepted'],
    ['stricter psi', { thresholds: { psi: { warning: 0.05, critical: 0.2 } } }, 'accepted'],
    ['p-values the wrong way round', { thresholds: { ks: { warning: 0.01, critical: 0.05 } } }, 'thresholds.ks'],
    ['distance the wrong way round', { thresholds: { js: { warning: 0.3, critical: 0.2 } } }, 'thresholds.js'],
    ['a p-value above 1', { thresholds: { chi2: { warning: 2, critical: 0.5 } } }, 'thresholds.chi2'],
    ['a negative threshold', { thresholds: { psi: { warning: -1, critical: 0.2 } } }, 'thresholds.psi'],
    ['equal custom thresholds', { thresholds: { custom: { warning: 1, critical: 1 } } }, 'thresholds.custom'],
    ['an unknown metric', { thresholds: { kl: { warning: 1, critical: 2 } } }, 'thresholds.kl'],
    ['an unknown action', { onCritical: 'page' }, 'onCritical'],
  ])('%s → %s', (_name, change, expected) => {
    const result = refusal(() => parseValue(DriftPolicyInput, { modelId: 'm', version: '1', ...change }));
    expect(result === 'accepted' ? result : result.field).toBe(expected);
  });

  it('defaults onCritical to flag', () => {
    expect(parseValue(DriftPolicyInput, { modelId: 'm', version: '1' }).onCritical).toBe('flag');
  });
});

describe('DriftAlertInput and AlertTransitionInput', () => {
  it.each([
    ['the example', exampleDriftAlert(), 'accepted'],
    ['an unknown metric', exampleDriftAlert({ metric: 'kl' as DriftMetric }), 'metric'],
    ['a window ending before it starts', exampleDriftAlert({ window: { from: '2025-03-08T00:00:00Z', to: '2025-03-01T00:00:00Z' } }), 'window.to'],
    ['a client-chosen severity', { ...exampleDriftAlert(), severity: 'critical' }, 'severity'],
    ['a value that is not a number', { ...exampleDriftAlert(), value: '0.3' }, 'value'],
  ])('alert with %s → %s', (_name, input, expected) => {
    const result = refusal(() => parseValue(DriftAlertInput, input));
    expect(result === 'accepted' ? result : result.field).toBe(expected);
  });

  it.each([
    [{ alertId: 'a', to: 'acknowledged', note: 'looking' }, 'accepted'],
    [{ alertId: 'a', to: 'open' }, 'to'],
    [{ alertId: 'a', to: 'resolved', note: '' }, 'note'],
  ])('transition %j → %s', (input, expected) => {
    const result = refusal(() => parseValue(AlertTransitionInput, input));
    expect(result === 'accepted' ? result : result.field).toBe(expected);
  });
});

describe('alert state machine', () => {
  const states: AlertState[] = ['open', 'acknowledged', 'resolved', 'false-positive'];
  const allowed = new Set(['open>acknowledged', 'open>resolved', 'open>false-positive', 'acknowledged>resolved', 'acknowledged>false-positive']);

  it.each(states.flatMap((from) => states.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    const result = refusal(() => checkAlertTransition(from, to));
    if (allowed.has(`${from}>${to}`)) expect(result).toBe('accepted');
    else expect(result).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'to' });
  });

  it('closed means resolved or false-positive, and closed states are final', () => {
    expect(states.filter(isClosed)).toEqual(['resolved', 'false-positive']);
    expect(ALERT_TRANSITIONS.resolved).toEqual([]);
  });
});
