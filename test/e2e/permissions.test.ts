// HTTP end to end, every role × route cell: 401 without (valid) credentials, 403 for a role the route or the chaincode refuses, success for the right one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDataset, exampleDriftAlert, exampleModel } from '../../chaincode/src/domain/examples.js';
import { decisions } from '../support/records.js';
import { runTag } from '../support/ledger.js';
import { PRINCIPAL_NAMES, seg, startTestGateway, type PrincipalName, type RequestOptions, type TestGateway } from '../support/gateway.js';

type Caller = PrincipalName | 'none' | 'badKey';
const CALLERS: readonly Caller[] = ['none', 'badKey', ...PRINCIPAL_NAMES];

/** Who is refused where: `gw` by the gateway's role filter, `cc` by the chaincode (the authority: the caller's org does not own the record). */
const GW = 'gw';
const CC = 'cc';
type Expected = number | typeof GW | typeof CC;

interface Row {
  route: string;
  request: (caller: Caller, n: number) => { method: string; path: string } & RequestOptions;
  cells: Record<PrincipalName, Expected>;
}

const tag = `perm-${runTag}`;
const datasetId = `${tag}-ds`;
const modelId = `${tag}-model`;
const alertId = `${tag}-alert`;
const batchId = `${tag}-batch`;
const [decision] = decisions(modelId, 1, `${tag}-dec`);
if (decision === undefined) throw new Error('fixture decision missing');
const version = `/models/${seg(modelId)}/versions/1.0.0`;
const decisionPath = `/decisions/${seg(decision.decisionId)}`;
const READ = { opRecorder: 200, opOfficer: 200, opAdmin: 200, regulator: 200, regAdmin: CC } as const;
const only = (who: PrincipalName, status: number): Record<PrincipalName, Expected> =>
  Object.fromEntries(PRINCIPAL_NAMES.map((p) => [p, p === who ? status : GW])) as Record<PrincipalName, Expected>;

const table: Row[] = [
  { route: 'POST /datasets', request: (c, n) => ({ method: 'POST', path: '/datasets', body: exampleDataset({ datasetId: `${tag}-ds-${c}-${n}`, version: 'v1' }) }), cells: only('opRecorder', 201) },
  { route: 'GET /datasets/{id}/versions/{v}', request: () => ({ method: 'GET', path: `/datasets/${seg(datasetId)}/versions/v1` }), cells: READ },
  { route: 'GET /datasets/{id}/versions/{v}/lineage', request: () => ({ method: 'GET', path: `/datasets/${seg(datasetId)}/versions/v1/lineage?direction=down` }), cells: READ },
  { route: 'POST /models', request: (c, n) => ({ method: 'POST', path: '/models', body: exampleModel({ modelId: `${tag}-m-${c}-${n}`, version: '1.0.0', datasets: [] }) }), cells: only('opRecorder', 201) },
  { route: 'GET /models/{id}/versions/{v}', request: () => ({ method: 'GET', path: version }), cells: READ },
  { route: 'GET /models/{id}/versions/{v}/lineage', request: () => ({ method: 'GET', path: `${version}/lineage` }), cells: READ },
  { route: 'POST /models/{id}/versions/{v}/status', request: () => ({ method: 'POST', path: `${version}/status`, body: { status: 'approved', reason: 'permission table' } }), cells: only('opOfficer', 200) },
  {
    route: 'PUT /models/{id}/versions/{v}/drift-policy',
    request: () => ({ method: 'PUT', path: `${version}/drift-policy`, body: { thresholds: { psi: { warning: 0.1, critical: 0.4 } }, onCritical: 'flag' } }),
    cells: { ...only('opAdmin', 200), regAdmin: CC },
  },
  { route: 'GET /models/{id}/versions/{v}/drift-policy', request: () => ({ method: 'GET', path: `${version}/drift-policy` }), cells: READ },
  { route: 'POST /drift-alerts', request: (c, n) => ({ method: 'POST', path: '/drift-alerts', body: exampleDriftAlert({ alertId: `${alertId}-${c}-${n}`, modelId, modelVersion: '1.0.0' }) }), cells: only('opRecorder', 201) },
  { route: 'GET /drift-alerts', request: () => ({ method: 'GET', path: `/drift-alerts?modelId=${seg(modelId)}` }), cells: READ },
  { route: 'GET /drift-alerts/{id}', request: () => ({ method: 'GET', path: `/drift-alerts/${seg(alertId)}` }), cells: READ },
  { route: 'POST /drift-alerts/{id}/transitions', request: () => ({ method: 'POST', path: `/drift-alerts/${seg(alertId)}/transitions`, body: { to: 'acknowledged' } }), cells: only('opOfficer', 200) },
  {
    route: 'POST /decisions/{id}/oversight',
    request: (c, n) => ({ method: 'POST', path: `${decisionPath}/oversight`, body: { oversightId: `${tag}-ov-${c}-${n}`, batchId, reviewerRef: 'rev-1', action: 'confirmed' } }),
    cells: only('opOfficer', 201),
  },
  { route: 'GET /decisions/{id}/oversight', request: () => ({ method: 'GET', path: `${decisionPath}/oversight?batchId=${seg(batchId)}` }), cells: READ },
  {
    route: 'POST /decisions/{id}/purge',
    request: () => ({ method: 'POST', path: `${decisionPath}/purge`, body: { batchId, legalOverride: { reason: 'permission table', authorisedBy: 'DPO', reference: tag } } }),
    cells: only('opOfficer', 200),
  },
  { route: 'GET /decisions/{id}/purge-log', request: () => ({ method: 'GET', path: `${decisionPath}/purge-log?batchId=${seg(batchId)}` }), cells: READ },
  { route: 'GET /history/{kind}/{id}', request: () => ({ method: 'GET', path: `/history/model/${seg(`${modelId}@1.0.0`)}` }), cells: READ },
  { route: 'GET /whoami', request: () => ({ method: 'GET', path: '/whoami' }), cells: { opRecorder: 200, opOfficer: 200, opAdmin: 200, regulator: 200, regAdmin: 200 } },
];

const cells = table.flatMap((row) =>
  CALLERS.map((caller) => ({ row, caller, expected: caller === 'none' || caller === 'badKey' ? 401 : row.cells[caller] })),
);

describe('role × route permissions', () => {
  let gw: TestGateway;
  let n = 0;

  beforeAll(async () => {
    gw = await startTestGateway();
    expect((await gw.call('opRecorder', 'POST', '/datasets', { body: exampleDataset({ datasetId, version: 'v1' }) })).status).toBe(201);
    const model = exampleModel({ modelId, version: '1.0.0', datasets: [{ datasetId, version: 'v1', use: 'training' }] });
    expect((await gw.call('opRecorder', 'POST', '/models', { body: model })).status).toBe(201);
    expect((await gw.call('opRecorder', 'POST', '/drift-alerts', { body: exampleDriftAlert({ alertId, modelId, modelVersion: '1.0.0' }) })).status).toBe(201);
    await gw.gateway.ledger.submit({ mspId: 'OperatorOrgMSP', fabricUser: 'User1' }, 'decisions', 'RecordDecisions', [JSON.stringify({ batchId, decisions: [decision] })]);
  });
  afterAll(async () => gw?.close());

  it('covers every registered route', () => {
    const registered = gw.gateway.api.routes.map((r) => `${r.method.toUpperCase()} ${r.openApiPath.replace(/\{[A-Za-z]+Id\}|\{id\}/g, '{id}').replace('{version}', '{v}')}`);
    expect(table.map((r) => r.route).sort()).toEqual([...registered].sort());
  });

  it.each(cells.map((cell) => [cell.row.route, cell.caller, String(cell.expected), cell] as const))('%s as %s → %s', async (_route, _caller, _expected, { row, caller, expected }) => {
    const { method, path, ...options } = row.request(caller, ++n);
    const who = caller === 'none' || caller === 'badKey' ? undefined : caller;
    const headers = caller === 'badKey' ? { authorization: 'Bearer aiaudit_not-a-key-of-this-gateway' } : undefined;
    const res = await gw.call(who, method, path, { ...options, ...(headers === undefined ? {} : { headers }) });
    if (expected === 401) {
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="aiaudit"/);
    } else if (expected === GW) {
      expect(res.status).toBe(403);
      expect(res.body.detail).toMatch(/^role \w+ may not do this/);
    } else if (expected === CC) {
      expect(res.status).toBe(403);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
    } else {
      expect([res.status, res.body.detail]).toEqual([expected, undefined]);
    }
  });
});
