// The path everything stands on: a write endorsed by both orgs, committed, readable at each org's peer,
// and a bad argument refused with the chaincode's error code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDataset } from '../../chaincode/src/domain/examples.js';
import { TestNetwork } from '../support/network.js';
import { chaincodeMessages, committedTransaction, evaluateJson, grantRole, runTag, submitJson } from '../support/ledger.js';

describe('transactions on the local Fabric network', () => {
  const net = new TestNetwork();
  beforeAll(async () => {
    await grantRole(net, 'operator', 'User1', 'recorder');
    await grantRole(net, 'regulator', 'User3', 'regulator');
  });
  afterAll(() => net.close());

  it('commits a write endorsed by both orgs and serves it from each org peer', async () => {
    const dataset = exampleDataset({ datasetId: `path-${runTag}`, version: 'v1' });
    const { result, txId } = await submitJson<{ datasetId: string; registeredAt: string }>(
      net.contract('operator', 'User1', 'lineage'), 'RegisterDatasetVersion', JSON.stringify(dataset));
    expect(result.datasetId).toBe(dataset.datasetId);

    const network = net.gateway('operator', 'User1').getNetwork(net.profile.channel);
    const tx = await committedTransaction(network, txId);
    expect(tx.validation).toBe('VALID');
    expect([...tx.endorserMspIds].sort()).toEqual(['OperatorOrgMSP', 'RegulatorOrgMSP']);
    expect(tx.creatorMspId).toBe('OperatorOrgMSP');

    const fromOperator = await evaluateJson<{ sha256: string; registeredAt: string }>(
      net.contract('operator', 'User1', 'lineage'), 'GetDatasetVersion', dataset.datasetId, 'v1');
    const fromRegulator = await evaluateJson<{ sha256: string; registeredAt: string }>(
      net.contract('regulator', 'User3', 'lineage', 'regulator'), 'GetDatasetVersion', dataset.datasetId, 'v1');
    expect(fromOperator.sha256).toBe(dataset.sha256);
    expect(fromRegulator).toEqual(fromOperator);
  });

  it('refuses an invalid argument with the chaincode error code and the field, writing nothing', async () => {
    const contract = net.contract('operator', 'User1', 'lineage');
    const bad = exampleDataset({ datasetId: `bad-${runTag}`, version: 'v1', sha256: 'not-a-hash' });
    const err = await submitJson(contract, 'RegisterDatasetVersion', JSON.stringify(bad)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(chaincodeMessages(err).join('\n')).toMatch(/INVALID_ARGUMENT: sha256: /);
    const readBack = await evaluateJson(contract, 'GetDatasetVersion', bad.datasetId, 'v1').catch((e: unknown) => e);
    expect(chaincodeMessages(readBack).join('\n')).toMatch(/NOT_FOUND: /);
  });
});
