// The product's core path on the real network, endorsed by both orgs: lineage → decisions → critical drift →
// automatic suspension → decisions refused; a 500-decision batch read back page by page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestNetwork } from '../support/network.js';
import { chaincodeMessages, committedTransaction, evaluateJson, grantRole, runTag, submitJson } from '../support/ledger.js';
import { decisions, driftAlert, lineageFixture } from '../support/records.js';

interface ModelVersion { status: string; openDriftAlertIds: string[]; statusHistory: { status: string; reason: string }[] }
interface DecisionPage { batches: { batchId: string; decisions: { position: number; decision: { decisionId: string } }[] }[]; bookmark: string }

describe('lineage, decisions and drift on the real network', () => {
  const net = new TestNetwork();
  const { dataset, model, modelId } = lineageFixture('life');
  const recorder = () => net.contract('operator', 'User1', 'lineage');

  beforeAll(async () => {
    await grantRole(net, 'operator', 'User1', 'recorder');
    await grantRole(net, 'operator', 'User2', 'officer');
    await grantRole(net, 'regulator', 'User3', 'regulator');
    await submitJson(recorder(), 'RegisterDatasetVersion', JSON.stringify(dataset));
    await submitJson(recorder(), 'RegisterModelVersion', JSON.stringify(model));
  });
  afterAll(() => net.close());

  it('follows lineage both ways and refuses an unknown parent', async () => {
    const child = { ...model, version: '1.1.0', parents: [{ modelId, version: '1.0.0', relation: 'fine-tuned-from' }] };
    await submitJson(recorder(), 'RegisterModelVersion', JSON.stringify(child));
    const down = await evaluateJson<{ nodes: { id: string; version: string }[]; edges: unknown[] }>(
      net.contract('regulator', 'User3', 'lineage'), 'GetLineage', JSON.stringify({ id: modelId, version: '1.0.0', direction: 'down', depth: 2 }));
    expect(down.nodes.map((n) => `${n.id}@${n.version}`)).toContain(`${modelId}@1.1.0`);
    expect(down.edges).toHaveLength(1);

    const orphan = { ...model, version: '9.9.9', parents: [{ modelId: `missing-${runTag}`, version: '1', relation: 'distilled-from' }] };
    const err = await submitJson(recorder(), 'RegisterModelVersion', JSON.stringify(orphan)).catch((e: unknown) => e);
    expect(chaincodeMessages(err).join()).toMatch(/NOT_FOUND: parents\[0\]/);
    const readBack = await evaluateJson(recorder(), 'GetModelVersion', modelId, '9.9.9').catch((e: unknown) => e);
    expect(chaincodeMessages(readBack).join()).toMatch(/NOT_FOUND/);
  });

  it('records decisions with the open alert ids, suspends on a critical alert, then refuses decisions', async () => {
    const admin = net.contract('operator', 'Admin', 'drift');
    await submitJson(admin, 'SetDriftPolicy', JSON.stringify({ modelId, version: '1.0.0', onCritical: 'suspend' }));
    const drift = net.contract('operator', 'User1', 'drift');
    const dec = net.contract('operator', 'User1', 'decisions');

    const warning = await submitJson<{ alert: { severity: string } }>(drift, 'RaiseDriftAlert',
      JSON.stringify(driftAlert({ alertId: `warn-${runTag}`, modelId, modelVersion: '1.0.0', metric: 'psi', value: 0.15 })));
    expect(warning.result.alert.severity).toBe('warning');

    const before = await submitJson<{ decisionIds: string[] }>(dec, 'RecordDecisions',
      JSON.stringify({ batchId: `b-open-${runTag}`, decisions: decisions(modelId, 3, 'open') }));
    expect(before.result.decisionIds).toHaveLength(3);
    const batch = await evaluateJson<{ decisions: { openDriftAlertIds: string[] }[] }>(dec, 'GetDecisionBatch', `b-open-${runTag}`);
    expect(batch.decisions.every((d) => d.openDriftAlertIds.includes(`warn-${runTag}`))).toBe(true);

    const critical = await submitJson<{ alert: { severity: string }; modelStatus: string }>(drift, 'RaiseDriftAlert',
      JSON.stringify(driftAlert({ alertId: `crit-${runTag}`, modelId, modelVersion: '1.0.0', metric: 'psi', value: 0.4 })));
    expect(critical.result.alert.severity).toBe('critical');
    expect(critical.result.modelStatus).toBe('suspended');
    const tx = await committedTransaction(net.gateway('operator', 'User1').getNetwork('aiaudit'), critical.txId);
    expect(tx.validation).toBe('VALID');
    expect([...tx.endorserMspIds].sort()).toEqual(['OperatorOrgMSP', 'RegulatorOrgMSP']);

    const version = await evaluateJson<ModelVersion>(net.contract('regulator', 'User3', 'lineage'), 'GetModelVersion', modelId, '1.0.0');
    expect(version.status).toBe('suspended');
    expect(version.openDriftAlertIds).toEqual(expect.arrayContaining([`warn-${runTag}`, `crit-${runTag}`]));

    const refused = await submitJson(dec, 'RecordDecisions',
      JSON.stringify({ batchId: `b-refused-${runTag}`, decisions: decisions(modelId, 1, 'refused') })).catch((e: unknown) => e);
    expect(chaincodeMessages(refused).join()).toMatch(/PRECONDITION_FAILED: .*suspended/);
    const nothing = await evaluateJson(dec, 'GetDecisionBatch', `b-refused-${runTag}`).catch((e: unknown) => e);
    expect(chaincodeMessages(nothing).join()).toMatch(/NOT_FOUND/);
  });
});

describe('a 500-decision batch', () => {
  const net = new TestNetwork();
  const { dataset, model, modelId } = lineageFixture('bulk');
  afterAll(() => net.close());

  it('commits in one transaction and reads back in full through the batch-level query, page by page', async () => {
    await grantRole(net, 'operator', 'User1', 'recorder');
    await grantRole(net, 'regulator', 'User3', 'regulator');
    const lineage = net.contract('operator', 'User1', 'lineage');
    await submitJson(lineage, 'RegisterDatasetVersion', JSON.stringify(dataset));
    await submitJson(lineage, 'RegisterModelVersion', JSON.stringify(model));
    const dec = net.contract('operator', 'User1', 'decisions');
    const big = decisions(modelId, 500, 'bulk');
    const receipt = await submitJson<{ decisionIds: string[] }>(dec, 'RecordDecisions', JSON.stringify({ batchId: `b-bulk-${runTag}`, decisions: big }));
    expect(receipt.result.decisionIds).toEqual(big.map((d) => d.decisionId));
    await submitJson(dec, 'RecordDecisions', JSON.stringify({ batchId: `b-bulk2-${runTag}`, decisions: decisions(modelId, 2, 'bulk2') }));

    const regulator = net.contract('regulator', 'User3', 'decisions');
    const seen: string[] = [];
    let bookmark = '';
    let pages = 0;
    do {
      const page: DecisionPage = await evaluateJson<DecisionPage>(regulator, 'QueryDecisionsByModel',
        JSON.stringify({ modelId, modelVersion: '1.0.0', pageSize: 1, ...(bookmark ? { bookmark } : {}) }));
      for (const b of page.batches) seen.push(...b.decisions.map((d) => d.decision.decisionId));
      bookmark = page.bookmark;
      pages += 1;
    } while (bookmark && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(502);
    expect(new Set(seen).size).toBe(502);
    expect(seen.slice(0, 500)).toEqual(big.map((d) => d.decisionId));
  });
});
