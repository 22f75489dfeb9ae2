// The export routes over HTTP: who may export what, progress, the bundle download, validation, and the OpenAPI document.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { TarReader } from '@aiaudit/verifier';
import { gunzipSync } from 'node:zlib';
import { fixtureBlocks, fixtureIndex } from '../../../verifier/src/testing/fixture-ledger.js';
import type { Ledger } from '../fabric/ledger.js';
import { loadOrCreateApiKeys } from '../http/credential-store.js';
import { createApp } from '../http/app.js';
import { createAuthenticator } from '../http/auth.js';
import { createMetrics } from '../http/metrics.js';
import { ApiRegistry, openApiDocument } from '../http/openapi.js';
import { defaultIdentityMap } from '../http/principal.js';
import { createLogger } from '../logger.js';
import { ExportService } from './export-service.js';
import { registerExportRoutes } from './routes.js';

const dir = mkdtempSync(join(tmpdir(), 'aiaudit-export-routes-'));
const index = fixtureIndex();
const logger = createLogger('silent');
const ledger: Ledger = { submit: () => Promise.reject(new Error('unused')), evaluate: () => Promise.reject(new Error('unused')), close: () => undefined };
const exports = new ExportService({ dataDir: dir, channel: 'aiaudit', chaincode: 'aiaudit', blocksFor: () => fixtureBlocks(), index, ledger, logger });
exports.start();
afterAll(async () => {
  await exports.close();
  rmSync(dir, { recursive: true, force: true });
});

const { store, issued } = loadOrCreateApiKeys(join(dir, 'keys.json'), defaultIdentityMap);
const bearer = (org: string, role: string) => `Bearer ${issued.find((k) => k.org === org && k.role === role)?.key ?? ''}`;
const officer = bearer('OperatorOrgMSP', 'officer');
const regulator = bearer('RegulatorOrgMSP', 'regulator');
const api = registerExportRoutes(new ApiRegistry(), { exports });
const app = createApp({
  config: { bodyLimitBytes: 1024 * 1024, rateLimitPerMinute: 0 },
  logger,
  metrics: createMetrics({ defaultMetrics: false }),
  verifyToken: createAuthenticator({ apiKeys: store }),
  readiness: async () => ({ ready: true, checks: {} }),
  api,
});

async function finished(auth: string, statusUrl: string): Promise<request.Response> {
  for (let i = 0; i < 200; i++) {
    const status = await request(app).get(statusUrl).set('Authorization', auth);
    if (status.body.state === 'done' || status.body.state === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the export did not finish');
}

describe('export routes', () => {
  it('lets a regulator export every org, follow progress and download a bundle', async () => {
    const accepted = await request(app).post('/api/v1/exports').set('Authorization', regulator).send({ modelId: index.modelId });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ exportId: expect.stringMatching(/^exp-/), state: 'queued', statusUrl: `/api/v1/exports/${accepted.body.exportId}` });
    expect(accepted.headers.location).toBe(accepted.body.statusUrl);
    const status = await finished(regulator, accepted.body.statusUrl);
    expect(status.body).toMatchObject({ state: 'done', counts: { records: 7, blocks: 2, configBlocks: 1 }, requestedBy: { org: 'RegulatorOrgMSP', role: 'regulator' }, bundleUrl: `${accepted.body.statusUrl}/bundle` });
    expect(status.body.ownerMsp).toBeUndefined();
    const bundle = await request(app).get(status.body.bundleUrl).set('Authorization', regulator).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('application/gzip');
    expect(bundle.headers['content-disposition']).toBe(`attachment; filename="aiaudit-export-${accepted.body.exportId}.tar.gz"`);
    const tar = new TarReader();
    tar.push(gunzipSync(bundle.body));
    expect([...tar.finish().keys()]).toContain(`aiaudit-export-${accepted.body.exportId}/records.ndjson`);
  });

  it("scopes an officer's export to its own org and hides it from other orgs", async () => {
    const accepted = await request(app).post('/api/v1/exports').set('Authorization', officer).send({});
    const status = await finished(officer, accepted.body.statusUrl);
    expect(status.body).toMatchObject({ state: 'done', ownerMsp: 'OperatorOrgMSP', counts: { records: 7 } });
    const other = await request(app).get(accepted.body.statusUrl).set('Authorization', regulator);
    expect(other.status).toBe(404);
    expect((await request(app).get(`${accepted.body.statusUrl}/bundle`).set('Authorization', regulator)).status).toBe(404);
  });

  it.each([
    ['recorder', bearer('OperatorOrgMSP', 'recorder'), 403],
    ['admin', bearer('OperatorOrgMSP', 'admin'), 403],
    ['nobody', '', 401],
  ])('refuses the %s', async (_who, auth, status) => {
    const answer = await request(app).post('/api/v1/exports').set('Authorization', auth).send({});
    expect(answer.status).toBe(status);
  });

  it.each([
    [{ modelVersion: '1.0.0' }, 'modelVersion', 'needs modelId'],
    [{ from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'to', 'must not be before from'],
    [{ subjectRef: 'alice' }, 'subjectRef', expect.any(String)],
    [{ colour: 'red' }, 'colour', 'is not a known field'],
  ])('answers 400 naming the field for %j', async (body, field, message) => {
    const answer = await request(app).post('/api/v1/exports').set('Authorization', regulator).send(body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toContainEqual(expect.objectContaining({ field, message }));
  });

  it('answers 404 for an unknown export and 409 for a bundle that is not ready', async () => {
    expect((await request(app).get('/api/v1/exports/exp-00000000-0000-4000-8000-000000000000').set('Authorization', regulator)).status).toBe(404);
    expect((await request(app).get('/api/v1/exports/not-an-id').set('Authorization', regulator)).status).toBe(400);
    const slow = new ExportService({ dataDir: join(dir, 'slow'), channel: 'aiaudit', chaincode: 'aiaudit', blocksFor: () => fixtureBlocks(), index, ledger, logger });
    const job = slow.request({ principalId: 'x', org: 'RegulatorOrgMSP', role: 'regulator', fabricUser: 'User3' }, {}, undefined);
    const slowApp = createApp({ config: { bodyLimitBytes: 1024, rateLimitPerMinute: 0 }, logger, metrics: createMetrics({ defaultMetrics: false }), verifyToken: createAuthenticator({ apiKeys: store }), readiness: async () => ({ ready: true, checks: {} }), api: registerExportRoutes(new ApiRegistry(), { exports: slow }) });
    const answer = await request(slowApp).get(`/api/v1/exports/${job.id}/bundle`).set('Authorization', regulator);
    expect(answer.status).toBe(409);
    expect(answer.headers['retry-after']).toBe('2');
    await slow.close();
  });

  it('answers 410 Gone for a bundle deleted after the retention period, and still shows the job and its digests', async () => {
    const aging = new ExportService({ dataDir: join(dir, 'aging'), channel: 'aiaudit', chaincode: 'aiaudit', blocksFor: () => fixtureBlocks(), index, ledger, logger, retentionMs: 86_400_000 });
    aging.start();
    const agingApp = createApp({ config: { bodyLimitBytes: 1024 * 1024, rateLimitPerMinute: 0 }, logger, metrics: createMetrics({ defaultMetrics: false }), verifyToken: createAuthenticator({ apiKeys: store }), readiness: async () => ({ ready: true, checks: {} }), api: registerExportRoutes(new ApiRegistry(), { exports: aging }) });
    const accepted = await request(agingApp).post('/api/v1/exports').set('Authorization', regulator).send({ modelId: index.modelId });
    for (let i = 0; i < 200 && aging.get(accepted.body.exportId)?.state !== 'done'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await request(agingApp).get(`${accepted.body.statusUrl}/bundle`).set('Authorization', regulator)).status).toBe(200);
    expect(await aging.expire(Date.now() + 2 * 86_400_000)).toEqual([accepted.body.exportId]);
    const gone = await request(agingApp).get(`${accepted.body.statusUrl}/bundle`).set('Authorization', regulator);
    expect(gone.status).toBe(410);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(gone.body).toMatchObject({ type: 'urn:aiaudit:problem:gone', status: 410, detail: expect.stringContaining('retention period') });
    const status = await request(agingApp).get(accepted.body.statusUrl).set('Authorization', regulator);
    expect(status.body).toMatchObject({ state: 'expired', bundleSha256: expect.stringMatching(/^[0-9a-f]{64}$/), counts: { records: 7 } });
    expect(status.body.bundleUrl).toBeUndefined();
    await aging.close();
  });

  it('documents the routes in a valid OpenAPI document', async () => {
    const document = openApiDocument(api, { title: 'test', version: '1' });
    await expect(validate(structuredClone(document) as Parameters<typeof validate>[0])).resolves.toMatchObject({ valid: true });
  });
});
