import { describe, expect, it } from 'vitest';
import type { ConfigGroup, ConfigPolicy } from './config-group.js';
import { PolicyType } from './messages.js';
import { evaluatePolicyPath } from './policy.js';

const group = (policies: Record<string, ConfigPolicy>, groups: Record<string, ConfigGroup> = {}): ConfigGroup => ({
  groups: new Map(Object.entries(groups)),
  values: new Map(),
  policies: new Map(Object.entries(policies)),
});

describe('evaluatePolicyPath: malformed policy bytes', () => {
  // A length-delimited field 2 claiming 100 bytes where 1 follows: not a protobuf message.
  const garbage = new Uint8Array([0x12, 100, 0x01]);

  it.each([
    ['signature', PolicyType.SIGNATURE],
    ['implicit meta', PolicyType.IMPLICIT_META],
  ])('policy type %s: bytes that do not decode are is reported as not satisfied, naming why', (_name, type) => {
    const root = group({}, { Application: group({ Endorsement: { type, value: garbage } }) });
    const verdict = evaluatePolicyPath(root, '/Channel/Application/Endorsement', [], () => undefined);
    expect(verdict.satisfied).toBe(false);
    expect(verdict.detail).toMatch(new RegExp(`the policy's bytes are not a policy of type ${type} \\(.+\\)`));
  });

  it('an implicit meta policy over a sub-group with a malformed policy counts that sub-group as not satisfied', () => {
    const meta = new Uint8Array([0x0a, 0x0b, ...Buffer.from('Endorsement'), 0x10, 0x00]); // sub_policy "Endorsement", rule ANY
    const root = group({}, { Application: group({ Endorsement: { type: PolicyType.IMPLICIT_META, value: meta } }, { OrgA: group({ Endorsement: { type: PolicyType.SIGNATURE, value: garbage } }) }) });
    const verdict = evaluatePolicyPath(root, '/Channel/Application/Endorsement', [], () => undefined);
    expect(verdict).toEqual({ satisfied: false, detail: 'ANY Endorsement: 0 of 1 satisfied, 1 needed (OrgA no)' });
  });
});
