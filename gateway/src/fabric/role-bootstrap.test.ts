import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import type { IdentityMap } from '../http/principal.js';
import type { FabricSigner, Ledger, SubmitReceipt } from './ledger.js';
import { bootstrapRoles } from './role-bootstrap.js';

/** A ledger that knows each user's roles and applies GrantRole as the chaincode would. */
function rolesLedger(initial: Record<string, string[]>) {
  const roles = new Map(Object.entries(initial));
  const submits: { who: FabricSigner; args: string[] }[] = [];
  const ledger: Ledger = {
    async evaluate<T>(who: FabricSigner, contract: string, transaction: string): Promise<T> {
      expect(`${contract}:${transaction}`).toBe('access:WhoAmI');
      const id = `x509::/CN=${who.fabricUser}@${who.mspId}`;
      return { mspId: who.mspId, id, roles: roles.get(id) ?? [], sources: { certificate: [], ledger: [] } } as T;
    },
    async submit<T>(who: FabricSigner, contract: string, transaction: string, args: string[]): Promise<SubmitReceipt<T>> {
      expect(`${contract}:${transaction}`).toBe('access:GrantRole');
      submits.push({ who, args });
      const grant = JSON.parse(args[0] ?? '{}') as { identityId: string; role: string };
      roles.set(grant.identityId, [...(roles.get(grant.identityId) ?? []), grant.role]);
      return { result: {} as T, txId: `tx-${submits.length}`, blockNumber: '9' };
    },
    close() {},
  };
  return { ledger, submits };
}

const identities: IdentityMap = {
  OperatorOrgMSP: { recorder: 'User1', officer: 'User2', admin: 'Admin' },
  RegulatorOrgMSP: { regulator: 'User3', admin: 'Admin' },
  ElsewhereMSP: { recorder: 'User9' },
};

describe('bootstrapRoles', () => {
  it('grants each missing role through the org admin, leaves held roles alone and skips orgs the profile lacks', async () => {
    const { ledger, submits } = rolesLedger({
      'x509::/CN=User2@OperatorOrgMSP': ['officer'],
      'x509::/CN=Admin@OperatorOrgMSP': ['admin'],
      'x509::/CN=Admin@RegulatorOrgMSP': ['admin'],
    });
    const done = await bootstrapRoles(ledger, identities, ['OperatorOrgMSP', 'RegulatorOrgMSP'], createLogger('silent'));
    expect(done.map((d) => `${d.org} ${d.role} ${d.action}`)).toEqual([
      'OperatorOrgMSP recorder granted',
      'OperatorOrgMSP officer held',
      'OperatorOrgMSP admin held',
      'RegulatorOrgMSP regulator granted',
      'RegulatorOrgMSP admin held',
    ]);
    expect(submits.map((s) => [s.who, JSON.parse(s.args[0] ?? '{}')])).toEqual([
      [{ mspId: 'OperatorOrgMSP', fabricUser: 'Admin' }, expect.objectContaining({ mspId: 'OperatorOrgMSP', identityId: 'x509::/CN=User1@OperatorOrgMSP', role: 'recorder' })],
      [{ mspId: 'RegulatorOrgMSP', fabricUser: 'Admin' }, expect.objectContaining({ mspId: 'RegulatorOrgMSP', identityId: 'x509::/CN=User3@RegulatorOrgMSP', role: 'regulator' })],
    ]);
  });

  it('writes nothing on a second run', async () => {
    const { ledger, submits } = rolesLedger({ 'x509::/CN=Admin@OperatorOrgMSP': ['admin'], 'x509::/CN=Admin@RegulatorOrgMSP': ['admin'] });
    await bootstrapRoles(ledger, identities, ['OperatorOrgMSP', 'RegulatorOrgMSP'], createLogger('silent'));
    const before = submits.length;
    const again = await bootstrapRoles(ledger, identities, ['OperatorOrgMSP', 'RegulatorOrgMSP'], createLogger('silent'));
    expect(submits).toHaveLength(before);
    expect(again.every((d) => d.action === 'held')).toBe(true);
  });

  it('refuses to guess when an org that needs a grant has no admin user', async () => {
    const { ledger } = rolesLedger({});
    const err = await bootstrapRoles(ledger, { ElsewhereMSP: { recorder: 'User9' } }, ['ElsewhereMSP'], createLogger('silent')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('names no admin user for ElsewhereMSP');
  });
});
