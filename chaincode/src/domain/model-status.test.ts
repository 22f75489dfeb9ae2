import { describe, expect, it } from 'vitest';
import { AuditError } from './errors.js';
import { exampleModel } from './examples.js';
import type { ModelStatus, ModelVersion } from './model.js';
import { STATUS_TRANSITIONS, acceptsDecisions, checkStatusChange, withStatus } from './model-status.js';

const at = '2025-03-01T00:00:00Z';
function version(status: ModelStatus, history: ModelStatus[] = ['registered']): ModelVersion {
  return {
    ...exampleModel(),
    parents: [],
    datasets: [],
    status,
    statusHistory: history.map((s) => ({ status: s, by: 'x509::officer', at, reason: 'test' })),
    openDriftAlertIds: [],
    ownerMsp: 'OperatorOrgMSP',
    registeredBy: 'x509::recorder',
    registeredAt: at,
  };
}

function refusalOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof AuditError) return `${error.code} ${error.field}: ${error.detail}`;
    throw error;
  }
}

describe('model version lifecycle', () => {
  const all: ModelStatus[] = ['registered', 'approved', 'deployed', 'suspended', 'retired'];
  const allowed = new Set([
    'registered>approved', 'registered>suspended', 'registered>retired',
    'approved>deployed', 'approved>suspended', 'approved>retired',
    'deployed>suspended', 'deployed>retired',
    'suspended>deployed', 'suspended>retired',
  ]);

  it.each(all.flatMap((from) => all.map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    const history: ModelStatus[] = ['registered', 'approved', 'deployed', from];
    const refusal = refusalOf(() => checkStatusChange(version(from, history), to, []));
    if (allowed.has(`${from}>${to}`)) expect(refusal).toBeUndefined();
    else expect(refusal).toMatch(/^PRECONDITION_FAILED status: /);
  });

  it('documents the same table it enforces', () => {
    const table = Object.entries(STATUS_TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`));
    expect(new Set(table)).toEqual(allowed);
  });

  it('refuses to re-deploy a suspended version while a critical alert is open', () => {
    const suspended = version('suspended', ['registered', 'approved', 'deployed', 'suspended']);
    expect(refusalOf(() => checkStatusChange(suspended, 'deployed', ['alert-7']))).toMatch(/alert-7/);
  });

  it('refuses to deploy a suspended version that was never approved', () => {
    expect(refusalOf(() => checkStatusChange(version('suspended', ['registered', 'suspended']), 'deployed', []))).toMatch(/never approved/);
  });

  it('names the current status when nothing would change', () => {
    expect(refusalOf(() => checkStatusChange(version('deployed'), 'deployed', []))).toMatch(/already deployed/);
  });

  it('refuses decisions only when suspended or retired', () => {
    expect(all.filter((status) => !acceptsDecisions(status))).toEqual(['suspended', 'retired']);
  });

  it('appends to the history', () => {
    const change = { status: 'approved' as const, by: 'x509::officer', at, reason: 'validated' };
    const next = withStatus(version('registered'), change);
    expect(next.status).toBe('approved');
    expect(next.statusHistory.at(-1)).toEqual(change);
    expect(next.statusHistory).toHaveLength(2);
  });
});
