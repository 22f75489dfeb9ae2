// Identities against the real channel config: peers and clients of the orgs validate; foreign, CA and unknown-MSP signers do not.
import { msp as mspProto } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { file, fixtureFiles } from '../testing/fixture.js';
import { throwawayCa } from '../testing/throwaway-ca.js';
import { parseBlock } from './block.js';
import { channelConfigOf } from './channel-config.js';
import { decodeTransaction } from './transaction.js';
import { evaluatePolicyPath } from './policy.js';
import type { Identity } from './msp.js';

const files = fixtureFiles();
const config = channelConfigOf(parseBlock(file(files, 'config/0.block')));
const tx = decodeTransaction(parseBlock(file(files, 'blocks/701.block')).envelopes[0] ?? new Uint8Array(), 0);

function serialized(mspId: string, pem: string | Uint8Array): Uint8Array {
  const identity = new mspProto.SerializedIdentity();
  identity.setMspid(mspId);
  identity.setIdBytes(typeof pem === 'string' ? Buffer.from(pem) : pem);
  return identity.serializeBinary();
}

function identity(bytes: Uint8Array): Identity {
  const result = config.registry.identity(bytes);
  if (!result.ok) throw new Error(result.reason);
  return result.identity;
}

describe('the channel config of the local network', () => {
  it('has both application orgs and the orderer org, each with a root CA and node OUs', () => {
    expect([...config.applicationOrgs].sort()).toEqual(['OperatorOrgMSP', 'RegulatorOrgMSP']);
    expect(config.ordererOrgs).toEqual(['OrdererMSP']);
    expect(config.problems).toEqual([]);
    for (const msp of config.msps.values()) {
      expect(msp.roots).toHaveLength(1);
      expect(msp.nodeOus?.peer?.ou).toBe('peer');
    }
  });
});

describe('MspRegistry.identity', () => {
  const ca = throwawayCa('evil.example');
  const forged = ca.issue('peer0.evil.example');

  it('validates the real endorsers and creator, with their node OUs', () => {
    const endorsers = tx.actions[0]!.endorsements.map((e) => identity(e.endorser));
    expect(endorsers.map((e) => e.mspId).sort()).toEqual(['OperatorOrgMSP', 'RegulatorOrgMSP']);
    expect(endorsers.every((e) => e.ous.includes('peer'))).toBe(true);
    expect(identity(tx.creator).ous).toContain('client');
  });

  it.each([
    ['an org that is not on the channel', () => serialized('EvilOrgMSP', forged.certPem), /^EvilOrgMSP is not an organisation of the channel$/],
    ["a certificate from no channel CA under a channel org's name", () => serialized('OperatorOrgMSP', forged.certPem), /^certificate not issued by any channel CA$/],
    ['a CA certificate', () => serialized('OperatorOrgMSP', ca.caPem), /^a CA certificate cannot be a signer$/],
    ['bytes that are not a certificate', () => serialized('OperatorOrgMSP', 'not a certificate'), /^the certificate cannot be parsed$/],
    ['bytes that are not an identity', () => Buffer.from([0xff, 0xff, 0xff]), /not a serialized Fabric identity|is not an organisation/],
  ])('refuses %s', (_name, make, reason) => {
    const result = config.registry.identity(make());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("names the org whose CA did issue a certificate presented under another org's name", () => {
    const regulatorPeer = tx.actions[0]!.endorsements.map((e) => identity(e.endorser)).find((e) => e.mspId === 'RegulatorOrgMSP')!;
    const result = config.registry.identity(serialized('OperatorOrgMSP', regulatorPeer.cert.toString()));
    expect(result).toMatchObject({ ok: false, reason: "certificate issued by RegulatorOrgMSP's CA, not OperatorOrgMSP's" });
  });
});

describe('evaluatePolicyPath', () => {
  const endorsers = tx.actions[0]!.endorsements.map((e) => identity(e.endorser));
  const lookup = (id: string) => config.msps.get(id);

  it('needs both orgs for the MAJORITY endorsement policy, and peers, not clients', () => {
    expect(evaluatePolicyPath(config.root, '/Channel/Application/Endorsement', endorsers, lookup).satisfied).toBe(true);
    const one = evaluatePolicyPath(config.root, '/Channel/Application/Endorsement', endorsers.slice(0, 1), lookup);
    expect(one).toMatchObject({ satisfied: false, detail: expect.stringMatching(/^MAJORITY Endorsement: 1 of 2 satisfied, 2 needed/) });
    expect(evaluatePolicyPath(config.root, '/Channel/Application/Endorsement', [identity(tx.creator), endorsers[0]!], lookup).satisfied).toBe(false);
  });

  it('lets a client satisfy Writers but not Admins, and reports unknown paths', () => {
    const creator = [identity(tx.creator)];
    expect(evaluatePolicyPath(config.root, '/Channel/Application/Writers', creator, lookup).satisfied).toBe(true);
    expect(evaluatePolicyPath(config.root, '/Channel/Application/Admins', creator, lookup).satisfied).toBe(false);
    expect(evaluatePolicyPath(config.root, '/Channel/Nowhere/Policy', creator, lookup)).toMatchObject({ satisfied: false, detail: expect.stringMatching(/no group Nowhere/) });
  });
});
