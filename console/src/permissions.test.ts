import { describe, expect, it } from 'vitest';
import { alertTargets, can, nextStatuses, whyNot, type Action, type Role } from './permissions';

describe('can', () => {
  it.each<[Action, Role[]]>([
    ['review-decision', ['officer']],
    ['change-model-status', ['officer']],
    ['transition-alert', ['officer']],
    ['export', ['officer', 'regulator']],
    ['set-drift-policy', ['admin']],
  ])('%s is for %j only', (action, allowed) => {
    for (const role of ['recorder', 'officer', 'regulator', 'admin'] as Role[]) expect(can(role, action), role).toBe(allowed.includes(role));
  });

  it('explains a refusal naming the roles and the caller', () => {
    expect(whyNot('recorder', 'export')).toBe('Only the officer or regulator role may start evidence exports; you are signed in as recorder.');
    expect(whyNot('regulator', 'review-decision')).toBe('Only the officer role may record reviews of decisions; you are signed in as regulator.');
  });
});

describe('lifecycles', () => {
  it("offers the chaincode's status changes", () => {
    expect(nextStatuses('registered')).toEqual(['approved', 'suspended', 'retired']);
    expect(nextStatuses('retired')).toEqual([]);
  });

  it('offers alert transitions until the alert is closed', () => {
    expect(alertTargets('open')).toEqual(['acknowledged', 'resolved', 'false-positive']);
    expect(alertTargets('acknowledged')).toEqual(['resolved', 'false-positive']);
    expect(alertTargets('resolved')).toEqual([]);
    expect(alertTargets('false-positive')).toEqual([]);
  });
});
