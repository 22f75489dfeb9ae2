import { describe, expect, it } from 'vitest';
import { OPERATION_ROLE, authorizeRead, authorizeOperation, canRead, changeGrant, parseAttributeRoles, type Role, type RoleGrant } from './access.js';
import { AuditError } from './errors.js';
import { hasAdminOu } from './identity.js';

const operator = { mspId: 'OperatorOrgMSP', id: 'x509::op' };
const regulator = { mspId: 'RegulatorOrgMSP', id: 'x509::reg' };

function forbiddenOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof AuditError && error.code === 'FORBIDDEN') return error.detail;
    throw error;
  }
}

describe('authorizeOperation', () => {
  const roles: Role[] = ['recorder', 'officer', 'regulator', 'admin'];
  it.each(Object.entries(OPERATION_ROLE).flatMap(([operation, needed]) => roles.map((role) => [operation, role, role === needed] as const)))(
    '%s by a %s of the owning org → allowed=%s',
    (operation, role, allowed) => {
      const refusal = forbiddenOf(() => authorizeOperation(operation as keyof typeof OPERATION_ROLE, operator, [role], 'OperatorOrgMSP'));
      expect(refusal === undefined).toBe(allowed);
    },
  );

  it('refuses another org even with the right role', () => {
    expect(forbiddenOf(() => authorizeOperation('recordDecisions', regulator, ['recorder'], 'OperatorOrgMSP'))).toMatch(/reserved to that org/);
  });

  it('says which role is missing', () => {
    expect(forbiddenOf(() => authorizeOperation('setDriftPolicy', operator, ['recorder'], 'OperatorOrgMSP'))).toBe(
      'setDriftPolicy requires role admin of OperatorOrgMSP; caller has: recorder',
    );
  });
});

describe('reads', () => {
  it.each([
    [operator, ['officer'], 'OperatorOrgMSP', true],
    [operator, ['recorder'], 'OperatorOrgMSP', true],
    [operator, ['admin'], 'OperatorOrgMSP', true],
    [operator, [], 'OperatorOrgMSP', false],
    [operator, ['officer'], 'OtherOrgMSP', false],
    [regulator, ['regulator'], 'OperatorOrgMSP', true],
    [regulator, ['officer'], 'OperatorOrgMSP', false],
  ] as const)('%j with %j reading %s → %s', (caller, roles, owner, expected) => {
    expect(canRead(caller, roles, owner)).toBe(expected);
    expect(forbiddenOf(() => authorizeRead(caller, roles, owner)) === undefined).toBe(expected);
  });
});

describe('role sources', () => {
  it.each([
    [null, []],
    ['recorder', ['recorder']],
    [' officer , regulator,officer', ['officer', 'regulator']],
    ['superuser,admin', ['admin']],
  ])('CA attribute %j → %j', (value, roles) => {
    expect(parseAttributeRoles(value)).toEqual(roles);
  });

  it.each([
    ['x509::/C=US/ST=North Carolina/L=San Francisco/OU=admin/CN=Admin@operator.aiaudit.local::/C=US/O=operator/CN=ca', true],
    ['x509::/C=US/OU=client/CN=User1@operator.aiaudit.local::/C=US/O=operator/CN=ca', false],
    ['x509::/C=US/OU=client/CN=OU=admin::/C=US/OU=admin/CN=ca', false],
    ['x509::/C=US/OU=administrators/CN=x::/CN=ca', false],
    ['admin', false],
  ])('OU=admin in %s → %s', (id, expected) => {
    expect(hasAdminOu(id)).toBe(expected);
  });
});

describe('changeGrant', () => {
  const grant: RoleGrant = { mspId: 'OperatorOrgMSP', identityId: 'x509::u', roles: ['recorder'], history: [] };
  const change = (action: 'granted' | 'revoked', role: Role) => ({ action, role, by: 'x509::admin', at: '2025-01-01T00:00:00Z' });

  it('adds a role and records who did it', () => {
    const next = changeGrant(grant, change('granted', 'officer'));
    expect(next?.roles).toEqual(['officer', 'recorder']);
    expect(next?.history).toEqual([change('granted', 'officer')]);
  });

  it('removes a role', () => {
    expect(changeGrant(grant, change('revoked', 'recorder'))?.roles).toEqual([]);
  });

  it('reports no change for a held role granted again or an absent role revoked', () => {
    expect(changeGrant(grant, change('granted', 'recorder'))).toBeUndefined();
    expect(changeGrant(grant, change('revoked', 'admin'))).toBeUndefined();
  });
});
