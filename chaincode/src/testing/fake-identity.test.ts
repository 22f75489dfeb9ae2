import { describe, expect, it } from 'vitest';
import { FakeClientIdentity, identity, orgDomain, x509Id } from './fake-identity.js';
import { FakeWorld } from './fake-world.js';

describe('x509Id', () => {
  it('builds the id fabric-shim derives from a cryptogen certificate', () => {
    expect(x509Id('OperatorOrgMSP', 'User1', 'client')).toBe(
      'x509::/C=US/ST=North Carolina/L=San Francisco/OU=client/CN=User1@operator.aiaudit.local' +
        '::/C=US/ST=North Carolina/L=San Francisco/O=operator.aiaudit.local/CN=ca.operator.aiaudit.local',
    );
  });

  it('marks admins with OU=admin and derives the domain from the MSP id', () => {
    expect(identity('RegulatorOrgMSP', 'Admin', 'admin').id).toContain('/OU=admin/CN=Admin@regulator.aiaudit.local::');
    expect(orgDomain('OperatorOrgMSP')).toBe('operator.aiaudit.local');
    expect(x509Id('OperatorOrgMSP', 'u', 'client', { domain: 'bank.example', province: 'California' })).toBe(
      'x509::/C=US/ST=California/L=San Francisco/OU=client/CN=u@bank.example' +
        '::/C=US/ST=California/L=San Francisco/O=bank.example/CN=ca.bank.example',
    );
  });
});

describe('FakeClientIdentity', () => {
  const cid = new FakeClientIdentity({ mspId: 'OperatorOrgMSP', attributes: { role: 'recorder', empty: '' } });

  it('answers like fabric-shim ClientIdentity', () => {
    expect(cid.getMSPID()).toBe('OperatorOrgMSP');
    expect(cid.getID()).toBe(x509Id('OperatorOrgMSP', 'User1'));
    expect(Buffer.from(cid.getIDBytes()).toString()).toBe(`FAKE-X509 ${cid.getID()}`);
  });

  it.each([
    ['present', 'role', 'recorder'],
    ['absent', 'missing', null],
    ['empty string (fabric-shim returns null)', 'empty', null],
    ['inherited property name', 'toString', null],
  ])('getAttributeValue: %s', (_name, attribute, expected) => {
    expect(cid.getAttributeValue(attribute)).toBe(expected);
  });

  it('assertAttributeValue compares exactly', () => {
    expect(cid.assertAttributeValue('role', 'recorder')).toBe(true);
    expect(cid.assertAttributeValue('role', 'Recorder')).toBe(false);
    expect(cid.assertAttributeValue('missing', 'x')).toBe(false);
  });
});

describe('contexts', () => {
  it('carry the creator to clientIdentity and stub.getCreator()', () => {
    const world = new FakeWorld();
    const ctx = world.newContext(identity('OperatorOrgMSP', 'Admin', 'admin', { attributes: { role: 'admin' } }));
    expect(ctx.clientIdentity.getID()).toContain('/OU=admin/');
    expect(ctx.clientIdentity.getAttributeValue('role')).toBe('admin');
    expect(ctx.stub.getCreator().mspid).toBe('OperatorOrgMSP');
    expect(ctx.stub.getMspID()).toBe('OperatorOrgMSP');
    expect(world.newContext({ mspId: 'RegulatorOrgMSP' }).clientIdentity.getID()).toContain('CN=User1@regulator.aiaudit.local');
  });
});
