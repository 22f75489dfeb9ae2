import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleDataset, exampleModel, OPERATION_ROLE, type RoleOperation } from '@aiaudit/chaincode/domain';
import type { EvaluateOptions, FabricSigner, Ledger, SubmitOptions, SubmitReceipt } from '../fabric/ledger.js';
import { createLogger } from '../logger.js';
import { loadOrCreateApiKeys } from '../http/credential-store.js';
import { createApp } from '../http/app.js';
import { createAuthenticator } from '../http/auth.js';
import { createMetrics } from '../http/metrics.js';
import { ApiRegistry, openApiDocument } from '../http/openapi.js';
import { defaultIdentityMap } from '../http/principal.js';
import { AuditError, ErrorCode } from '../domain.js';
import { registerLedgerRoutes, type DecisionLocator } from './index.js';

type ApiDocument = Parameters<typeof validate>[0];

interface Call {
  who: FabricSigner;
  name: string;
  args: string[];
  options: SubmitOptions | EvaluateOptions | undefined;
}

/** A ledger whose answers a test scripts per `contract:Transaction`; every call is recorded. */
class FakeLedger implements Ledger {
  readonly calls: Call[] = [];
  readonly answers = new Map<string, (args: string[]) => unknown>();
  timestamp = '2025-05-01T10:00:00.000Z';

  async submit<T>(who: FabricSigner, contract: string, transaction: string, args: string[], options?: SubmitOptions): Promise<SubmitReceipt<T>> {
    const result = this.#answer(who, `${contract}:${transaction}`, args, options) as T;
    return { result, txId: `tx-${this.calls.length}`, blockNumber: '12', timestamp: this.timestamp };
  }

  async evaluate<T>(who: FabricSigner, contract: string, transaction: string, args: string[], options?: EvaluateOptions): Promise<T> {
    return this.#answer(who, `${contract}:${transaction}`, args, options) as T;
  }

  close(): void {}

  #answer(who: FabricSigner, name: string, args: string[], options: SubmitOptions | EvaluateOptions | undefined): unknown {
    this.calls.push({ who, name, args, options });
    const answer = this.answers.get(name);
    if (answer === undefined) throw new Error(`unexpected call ${name}`);
    return answer(args);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'aiaudit-routes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { store, issued } = loadOrCreateApiKeys(join(dir, 'keys.json'), defaultIdentityMap);
const bearer = (org: string, role: string) => `Bearer ${issued.find((k) => k.org === org && k.role === role)?.key ?? ''}`;
const recorder = bearer('OperatorOrgMSP', 'recorder');
const officer = bearer('OperatorOrgMSP', 'officer');

function build(findDecision?: DecisionLocator) {
  const ledger = new FakeLedger();
  const api = registerLedgerRoutes(new ApiRegistry(), { ledger, ...(findDecision === undefined ? {} : { findDecision }) });
  const app = createApp({
    config: { bodyLimitBytes: 64 * 1024, rateLimitPerMinute: 0 },
    logger: createLogger('silent'),
    metrics: createMetrics({ defaultMetrics: false }),
    verifyToken: createAuthenticator({ apiKeys: store }),
    readiness: async () => ({ ready: true, checks: {} }),
    api,
  });
  return { app, ledger, api };
}

const stored = (input: object, registeredAt: string) => ({ ...input, ownerMsp: 'OperatorOrgMSP', registeredBy: 'x509::/CN=User1::/CN=ca', registeredAt });

describe('ledger routes over a fake ledger', () => {
  it('registers a dataset as the principal\'s Fabric user with the validated input: 201 with Location and receipt', async () => {
    const { app, ledger } = build();
    const dataset = exampleDataset({ datasetId: 'ds-1', version: 'v1' });
    ledger.answers.set('lineage:RegisterDatasetVersion', ([text]) => stored(JSON.parse(text ?? '{}'), ledger.timestamp));
    const res = await request(app).post('/api/v1/datasets').set('Authorization', recorder).send(dataset);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/v1/datasets/ds-1/versions/v1');
    expect(res.body.receipt).toEqual({ txId: 'tx-1', blockNumber: '12' });
    expect(res.body.result).toMatchObject({ datasetId: 'ds-1', registeredAt: ledger.timestamp });
    expect(ledger.calls).toEqual([{ who: { mspId: 'OperatorOrgMSP', fabricUser: 'User1' }, name: 'lineage:RegisterDatasetVersion', args: [JSON.stringify(dataset)], options: undefined }]);
  });

  it('answers 200 when the chaincode returned a record written before this transaction (identical replay)', async () => {
    const { app, ledger } = build();
    const model = exampleModel({ modelId: 'm-1', version: '1' });
    ledger.answers.set('lineage:RegisterModelVersion', ([text]) => ({
      ...stored(JSON.parse(text ?? '{}'), '2025-04-30T08:00:00.000Z'),
      status: 'registered',
      statusHistory: [],
      openDriftAlertIds: [],
    }));
    const res = await request(app).post('/api/v1/models').set('Authorization', recorder).send(model);
    expect(res.status).toBe(200);
    expect(res.body.result.registeredAt).toBe('2025-04-30T08:00:00.000Z');
  });

  it('maps a chaincode refusal to its problem and never answers an unchecked chaincode result', async () => {
    const { app, ledger } = build();
    ledger.answers.set('lineage:GetModelVersion', () => {
      throw new AuditError(ErrorCode.NOT_FOUND, 'version', 'model version m@1 is not registered');
    });
    const missing = await request(app).get('/api/v1/models/m/versions/1').set('Authorization', officer);
    expect(missing.status).toBe(404);
    expect(missing.body.errors).toEqual([{ field: 'version', message: 'model version m@1 is not registered' }]);
    ledger.answers.set('lineage:GetModelVersion', () => ({ modelId: 'm' }));
    const broken = await request(app).get('/api/v1/models/m/versions/1').set('Authorization', officer);
    expect(broken.status).toBe(500);
    expect(broken.body.detail).not.toContain('schema');
  });

  it('builds the status change from path, body and the acting principal', async () => {
    const { app, ledger } = build();
    ledger.answers.set('lineage:ChangeModelStatus', () => {
      throw new AuditError(ErrorCode.PRECONDITION_FAILED, 'status', 'cannot change status from registered to deployed');
    });
    const res = await request(app).post('/api/v1/models/m/versions/1/status').set('Authorization', officer).send({ status: 'deployed', reason: 'go live' });
    expect(res.status).toBe(422);
    expect(JSON.parse(ledger.calls[0]?.args[0] ?? '{}')).toEqual({ modelId: 'm', version: '1', status: 'deployed', reason: 'go live', actorRef: 'apikey:OperatorOrgMSP.officer' });
  });

  it('refuses oversight without batchId when there is no decision index, naming the field and calling nothing', async () => {
    const { app, ledger } = build();
    const res = await request(app).post('/api/v1/decisions/d-1/oversight').set('Authorization', officer).send({ oversightId: 'o-1', reviewerRef: 'rev-1', action: 'confirmed' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'batchId', message: 'is required', in: 'body' }]);
    expect(ledger.calls).toEqual([]);
  });

  it('looks the batch up in the decision index when the body has none, and applies the chaincode rule on reason', async () => {
    const { app, ledger } = build(async (decisionId) => (decisionId === 'd-1' ? { batchId: 'b-9' } : undefined));
    ledger.answers.set('decisions:AddOversight', ([text]) => ({ ...JSON.parse(text ?? '{}'), modelId: 'm', modelVersion: '1', position: 0, at: ledger.timestamp, recordedBy: 'x509::u', ownerMsp: 'OperatorOrgMSP' }));
    const noReason = await request(app).post('/api/v1/decisions/d-1/oversight').set('Authorization', officer).send({ oversightId: 'o-1', reviewerRef: 'rev-1', action: 'overridden' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason', in: 'body' })]);
    const ok = await request(app).post('/api/v1/decisions/d-1/oversight').set('Authorization', officer).send({ oversightId: 'o-1', reviewerRef: 'rev-1', action: 'confirmed' });
    expect(ok.status).toBe(201);
    expect(JSON.parse(ledger.calls[0]?.args[0] ?? '{}')).toMatchObject({ batchId: 'b-9', decisionId: 'd-1' });
    const unknown = await request(app).post('/api/v1/decisions/d-2/oversight').set('Authorization', officer).send({ oversightId: 'o-1', reviewerRef: 'rev-1', action: 'confirmed' });
    expect(unknown.status).toBe(404);
  });

  it('answers a refused purge 422 with the committed entry and its receipt', async () => {
    const { app, ledger } = build();
    ledger.answers.set('privacy:PurgePrivateInputs', ([text]) => {
      const request = JSON.parse(text ?? '{}');
      return { batchId: request.batchId, decisionId: request.decisionId, outcome: 'refused', rule: 'retention period runs until 2032-03-01T00:00:00Z and no legal override was given', retentionUntil: '2032-03-01T00:00:00Z', requestedBy: 'x509::u', requesterMsp: 'OperatorOrgMSP', at: ledger.timestamp, txId: 'tx-1' };
    });
    const res = await request(app).post('/api/v1/decisions/d-1/purge').set('Authorization', officer).send({ batchId: 'b-1', reason: 'erasure request' });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'urn:aiaudit:problem:precondition-failed', txId: 'tx-1', receipt: { txId: 'tx-1', blockNumber: '12' }, entry: { outcome: 'refused', decisionId: 'd-1' } });
  });

  it('validates query parameters at the edge: types, bounds and unknown names', async () => {
    const { app, ledger } = build();
    const bad = await request(app).get('/api/v1/drift-alerts?modelId=m&pageSize=500&colour=red').set('Authorization', officer);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'pageSize']);
    const depth = await request(app).get('/api/v1/models/m/versions/1/lineage?depth=two').set('Authorization', officer);
    expect(depth.status).toBe(400);
    expect(depth.body.errors).toEqual([expect.objectContaining({ field: 'depth', in: 'query' })]);
    expect(ledger.calls).toEqual([]);
  });

  it('generates an OpenAPI document of every route that a standard validator accepts', async () => {
    const { api } = build();
    const document = openApiDocument(api, { title: 'aiaudit', version: '1' });
    const result = await validate(structuredClone(document) as ApiDocument);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('asks for exactly the role the chaincode requires of each write, and lets every role try a read', () => {
    const { api } = build();
    const writes: Record<string, RoleOperation> = {
      'POST /datasets': 'registerDataset',
      'POST /models': 'registerModel',
      'POST /models/{modelId}/versions/{version}/status': 'changeModelStatus',
      'PUT /models/{modelId}/versions/{version}/drift-policy': 'setDriftPolicy',
      'POST /drift-alerts': 'raiseDriftAlert',
      'POST /drift-alerts/{alertId}/transitions': 'transitionDriftAlert',
      'POST /decisions/{decisionId}/oversight': 'addOversight',
      'POST /decisions/{decisionId}/purge': 'purgePrivateInputs',
    };
    for (const route of api.routes) {
      const name = `${route.method.toUpperCase()} ${route.openApiPath}`;
      const operation = writes[name];
      if (route.method === 'get') expect([name, route.roles]).toEqual([name, ['recorder', 'officer', 'regulator', 'admin']]);
      else expect([name, route.roles]).toEqual([name, operation === undefined ? 'unmapped write' : [OPERATION_ROLE[operation]]]);
    }
    expect(api.routes.filter((r) => r.method !== 'get')).toHaveLength(Object.keys(writes).length);
  });
});
