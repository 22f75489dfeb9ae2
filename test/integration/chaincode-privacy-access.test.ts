// Private inputs stay with the operator org and can be purged under the retention rules; every role is held
// to its rights by the chaincode itself, and a refused write leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256OfCanonical } from '../../chaincode/src/domain/canonical-json.js';
import { TestNetwork } from '../support/network.js';
import { chaincodeMessages, evaluateJson, grantRole, runTag, submitJson } from '../support/ledger.js';
import { decisions, driftAlert, lineageFixture } from '../support/records.js';

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => chaincodeMessages(e).join('\n'));

describe('private inputs', () => {
  const net = new TestNetwork();
  const { dataset, model, modelId } = lineageFixture('priv');
  const input = { applicant: { income: 52000, postcode: 'AB1 2CD' }, requested: 12000 };
  const batchId = `b-priv-${runTag}`;
  const [decision] = decisions(modelId, 1, 'priv', { inputSha256: sha256OfCanonical(input), retentionUntil: '2099-01-01T00:00:00Z' });
  if (!decision) throw new Error('fixture');

  beforeAll(async () => {
    await grantRole(net, 'operator', 'User1', 'recorder');
    await grantRole(net, 'operator', 'User2', 'officer');
    await grantRole(net, 'regulator', 'User3', 'regulator');
    const lineage = net.contract('operator', 'User1', 'lineage');
    await submitJson(lineage, 'RegisterDatasetVersion', JSON.stringify(dataset));
    await submitJson(lineage, 'RegisterModelVersion', JSON.stringify(model));
    await submitJson(net.contract('operator', 'User1', 'decisions'), 'RecordDecisions', JSON.stringify({ batchId, decisions: [decision] }));
  });
  afterAll(() => net.close());

  it('stores the raw input on the operator peer only, endorsed by the operator org alone', async () => {
    const privacy = net.contract('operator', 'User1', 'privacy');
    const proposal = privacy.newProposal('StorePrivateInputs', {
      arguments: [decision.decisionId, batchId],
      transientData: { input: JSON.stringify(input) },
      endorsingOrganizations: ['OperatorOrgMSP'],
    });
    const tx = await proposal.endorse();
    const status = await (await tx.submit()).getStatus();
    expect(status.successful).toBe(true);

    const stored = await evaluateJson<{ input: unknown; inputSha256: string }>(
      net.contract('operator', 'User2', 'privacy'), 'GetPrivateInputs', batchId, decision.decisionId);
    expect(stored.inputSha256).toBe(decision.inputSha256);
    expect(JSON.stringify(stored)).toContain('AB1 2CD');
    // The same officer asking through the regulator's peer: that peer never received the input.
    const viaRegulatorPeer = await failure(net.contract('operator', 'User2', 'privacy', 'regulator')
      .evaluateTransaction('GetPrivateInputs', batchId, decision.decisionId));
    expect(viaRegulatorPeer).toMatch(/NOT_FOUND/);
    const asRegulator = await failure(net.contract('regulator', 'User3', 'privacy', 'regulator')
      .evaluateTransaction('GetPrivateInputs', batchId, decision.decisionId));
    expect(asRegulator).toMatch(/FORBIDDEN/);
  });

  it('refuses a purge before retentionUntil (recording the refusal) and purges with a legal override', async () => {
    const officer = net.contract('operator', 'User2', 'privacy');
    const refused = await submitJson<{ outcome: string }>(officer, 'PurgePrivateInputs',
      JSON.stringify({ batchId, decisionId: decision.decisionId, reason: 'erasure request' }));
    expect(refused.result.outcome).toBe('refused');
    const stillThere = await evaluateJson<{ inputSha256: string }>(officer, 'GetPrivateInputs', batchId, decision.decisionId);
    expect(stillThere.inputSha256).toBe(decision.inputSha256);

    const purged = await submitJson<{ outcome: string }>(officer, 'PurgePrivateInputs', JSON.stringify({
      batchId, decisionId: decision.decisionId, reason: 'erasure request',
      legalOverride: { reason: 'GDPR Art. 17 erasure upheld', authorisedBy: 'DPO', reference: `case-${runTag}` },
    }));
    expect(purged.result.outcome).toBe('purged');
    expect(await failure(officer.evaluateTransaction('GetPrivateInputs', batchId, decision.decisionId))).toMatch(/NOT_FOUND/);

    const log = await evaluateJson<{ outcome: string }[]>(officer, 'ListPurgeLog', batchId, decision.decisionId);
    expect(log.map((e) => e.outcome)).toEqual(['refused', 'purged']);
    const batch = await evaluateJson<{ decisions: { inputSha256: string }[] }>(
      net.contract('regulator', 'User3', 'decisions', 'regulator'), 'GetDecisionBatch', batchId);
    expect(batch.decisions[0]?.inputSha256).toBe(decision.inputSha256);
  });
});

describe('access control in the chaincode', () => {
  const net = new TestNetwork();
  const { dataset, model, modelId } = lineageFixture('acl');
  beforeAll(async () => {
    await grantRole(net, 'operator', 'User1', 'recorder');
    await grantRole(net, 'operator', 'User2', 'officer');
    await grantRole(net, 'regulator', 'User3', 'regulator');
    await submitJson(net.contract('operator', 'User1', 'lineage'), 'RegisterDatasetVersion', JSON.stringify(dataset));
    await submitJson(net.contract('operator', 'User1', 'lineage'), 'RegisterModelVersion', JSON.stringify(model));
  });
  afterAll(() => net.close());

  it('refuses the regulator any write', async () => {
    const other = { ...model, version: '2.0.0' };
    const msg = await failure(net.contract('regulator', 'User3', 'lineage').submitTransaction('RegisterModelVersion', JSON.stringify(other)));
    expect(msg).toMatch(/FORBIDDEN/);
    expect(await failure(net.contract('operator', 'User1', 'lineage').evaluateTransaction('GetModelVersion', modelId, '2.0.0'))).toMatch(/NOT_FOUND/);
  });

  it('refuses the officer recording decisions', async () => {
    const batchId = `b-acl-officer-${runTag}`;
    const msg = await failure(net.contract('operator', 'User2', 'decisions')
      .submitTransaction('RecordDecisions', JSON.stringify({ batchId, decisions: decisions(modelId, 1, 'acl-o') })));
    expect(msg).toMatch(/FORBIDDEN/);
    expect(await failure(net.contract('operator', 'User1', 'decisions').evaluateTransaction('GetDecisionBatch', batchId))).toMatch(/NOT_FOUND/);
  });

  it('refuses the recorder setting a drift policy', async () => {
    const msg = await failure(net.contract('operator', 'User1', 'drift')
      .submitTransaction('SetDriftPolicy', JSON.stringify({ modelId, version: '1.0.0', onCritical: 'suspend' })));
    expect(msg).toMatch(/FORBIDDEN/);
    const policy = await evaluateJson<{ source: string }>(net.contract('operator', 'User1', 'drift'), 'GetDriftPolicy', modelId, '1.0.0');
    expect(policy.source).toBe('default');
  });

  it('refuses an admin granting roles in another org', async () => {
    const idOfOperatorUser = (await evaluateJson<{ id: string }>(net.contract('operator', 'User3', 'access'), 'WhoAmI')).id;
    const msg = await failure(net.contract('regulator', 'Admin', 'access').submitTransaction('GrantRole',
      JSON.stringify({ mspId: 'OperatorOrgMSP', identityId: idOfOperatorUser, role: 'recorder' })));
    expect(msg).toMatch(/FORBIDDEN/);
    expect(await failure(net.contract('operator', 'User1', 'access').evaluateTransaction('GetRoleGrant', 'OperatorOrgMSP', idOfOperatorUser)))
      .toMatch(/NOT_FOUND/);
  });

  it('refuses a user without a role raising an alert', async () => {
    const alertId = `acl-alert-${runTag}`;
    const msg = await failure(net.contract('operator', 'User3', 'drift')
      .submitTransaction('RaiseDriftAlert', JSON.stringify(driftAlert({ alertId, modelId, modelVersion: '1.0.0' }))));
    expect(msg).toMatch(/FORBIDDEN/);
    expect(await failure(net.contract('operator', 'User1', 'drift').evaluateTransaction('GetDriftAlert', alertId))).toMatch(/NOT_FOUND/);
  });
});
