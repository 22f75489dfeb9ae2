import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Router } from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../logger.js';
import { loadOrCreateApiKeys } from './credential-store.js';
import { createApp, type AppDeps, type ReadinessReport } from './app.js';
import { createAuthenticator } from './auth.js';
import { createMetrics } from './metrics.js';
import { ApiRegistry } from './openapi.js';
import { defaultIdentityMap } from './principal.js';
import { validateBody, validateParams } from './validate.js';

const dir = mkdtempSync(join(tmpdir(), 'aiaudit-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { store, issued } = loadOrCreateApiKeys(join(dir, 'keys.json'), defaultIdentityMap);
const keyOf = (role: string) => `Bearer ${issued.find((k) => k.role === role && k.org === 'OperatorOrgMSP')?.key ?? ''}`;

function build(overrides: Partial<AppDeps> = {}) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const api = new ApiRegistry();
  const params = validateParams(z.object({ thingId: z.string().regex(/^[a-z0-9-]+$/) }));
  const body = validateBody(z.strictObject({ items: z.array(z.object({ sha256: z.string().length(64) })).min(1) }));
  api.route(
    { method: 'post', path: '/things/:thingId', summary: 'Store a thing', roles: ['recorder'], params, body, responses: { 201: { description: 'Stored' } } },
    ({ req, res, principal }) => {
      res.status(201).json({ thingId: params.valueOf(req).thingId, count: body.valueOf(req).items.length, by: principal.fabricUser });
    },
  );
  const extra = Router();
  extra.get('/extra', (_req, res) => {
    res.json({ ok: true });
  });
  const metrics = createMetrics({ defaultMetrics: false });
  const app = createApp({
    config: { bodyLimitBytes: 2048, rateLimitPerMinute: 0 },
    logger: createLogger('info', sink),
    metrics,
    verifyToken: createAuthenticator({ apiKeys: store }),
    readiness: async () => ({ ready: true, checks: { peers: { ok: true } } }),
    api,
    routers: [extra],
    ...overrides,
  });
  return { app, lines, metrics };
}

const sha = 'a'.repeat(64);

describe('createApp: operations', () => {
  it('answers /healthz while the process lives', async () => {
    const res = await request(build().app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
  });

  it('answers /readyz 200 with the checks when ready', async () => {
    const res = await request(build().app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { peers: { ok: true } } });
  });

  it.each<[string, () => Promise<ReadinessReport>, string]>([
    ['a failing check', async () => ({ ready: false, checks: { peers: { ok: false, detail: 'peer0 unreachable' }, chaincode: { ok: true } } }), 'Not ready: peers.'],
    ['a throwing check', async () => Promise.reject(new Error('boom')), 'Not ready: readiness.'],
    ['a hanging check', () => new Promise<ReadinessReport>(() => undefined), 'Not ready: readiness.'],
  ])('answers /readyz 503 problem+json for %s', async (_what, readiness, detail) => {
    const res = await request(build({ readiness, readinessTimeoutMs: 50 }).app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'urn:aiaudit:problem:not-ready', detail, checks: expect.any(Object) });
    expect(JSON.stringify(res.body)).not.toContain('boom');
  });

  it('keeps probes out of the info log: /readyz answering 503 while starting is not logged as an error', async () => {
    const notReady = async (): Promise<ReadinessReport> => ({ ready: false, checks: { index: { ok: false, detail: 'catching up' } } });
    const { app, lines } = build({ readiness: notReady });
    expect((await request(app).get('/readyz')).status).toBe(503);
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect(lines.filter((l) => l.includes('"/readyz"') || l.includes('"/healthz"'))).toEqual([]);
    await request(app).post('/api/v1/things/t-1').set('Authorization', keyOf('recorder')).send({ items: [{ sha256: sha }] });
    expect(lines.filter((l) => l.includes('"/api/v1/things/t-1"')).map((l) => (JSON.parse(l) as { level: number }).level)).toEqual([30]);
  });

  it('counts requests by route template and status in /metrics', async () => {
    const { app } = build();
    await request(app).post('/api/v1/things/t-1').set('Authorization', keyOf('recorder')).send({ items: [{ sha256: sha }] });
    await request(app).post('/api/v1/things/t-2').set('Authorization', keyOf('recorder')).send({ items: [{ sha256: sha }] });
    await request(app).get('/no/such/path');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('aiaudit_http_requests_total{method="POST",route="/api/v1/things/:thingId",status="201"} 2');
    expect(res.text).toContain('aiaudit_http_requests_total{method="GET",route="(unmatched)",status="404"} 1');
    expect(res.text).toContain('aiaudit_http_request_duration_seconds_bucket');
  });

  it('honours a plain X-Request-Id, replaces an unsafe one, and sets helmet headers', async () => {
    const { app } = build();
    const given = await request(app).get('/healthz').set('X-Request-Id', 'client-123');
    expect(given.headers['x-request-id']).toBe('client-123');
    const unsafe = await request(app).get('/healthz').set('X-Request-Id', 'bad id; injected');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(given.headers['x-content-type-options']).toBe('nosniff');
    expect(given.headers['x-powered-by']).toBeUndefined();
  });

  it('logs one line per request with its request id and never the API key', async () => {
    const { app, lines } = build();
    await request(app).post('/api/v1/things/t-1').set('Authorization', keyOf('recorder')).set('X-Request-Id', 'log-1').send({ items: [{ sha256: sha }] });
    const entries = lines.map((l) => JSON.parse(l) as { requestId?: string; res?: { statusCode?: number } });
    expect(entries.filter((e) => e.requestId === 'log-1')).toHaveLength(1);
    expect(entries[0]?.res?.statusCode).toBe(201);
    const secret = keyOf('recorder').slice('Bearer '.length);
    expect(lines.join('\n')).not.toContain(secret);
  });
});

describe('createApp: /api/v1', () => {
  it('runs a registered route with typed, validated input and the caller', async () => {
    const res = await request(build().app).post('/api/v1/things/t-9').set('Authorization', keyOf('recorder')).send({ items: [{ sha256: sha }, { sha256: sha }] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ thingId: 't-9', count: 2, by: 'User1' });
  });

  it.each([
    ['no credentials', {}, { items: [{ sha256: sha }] }, 401],
    ['the wrong role', { Authorization: keyOf('officer') }, { items: [{ sha256: sha }] }, 403],
    ['a missing field', { Authorization: keyOf('recorder') }, { items: [{}] }, 400],
  ])('refuses %s', async (_what, headers, body, status) => {
    const res = await request(build().app).post('/api/v1/things/t-1').set(headers).send(body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('names the failing field of the body and the path', async () => {
    const res = await request(build().app).post('/api/v1/things/BAD_ID').set('Authorization', keyOf('recorder')).send({ items: [{ sha256: 'x' }] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'thingId', in: 'path' })]);
    const body = await request(build().app).post('/api/v1/things/ok').set('Authorization', keyOf('recorder')).send({ items: [{ sha256: 'x' }] });
    expect(body.body.errors).toEqual([expect.objectContaining({ field: 'items[0].sha256', in: 'body' })]);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"items": [', 400, 'malformed-body'],
    ['a non-JSON body', 'text/plain', 'items=1', 415, 'unsupported-media-type'],
    ['an oversize body', 'application/json', JSON.stringify({ items: [{ sha256: 'x'.repeat(4096) }] }), 413, 'payload-too-large'],
  ])('answers %s with a problem+json', async (_what, contentType, payload, status, slug) => {
    const res = await request(build().app).post('/api/v1/things/t-1').set('Authorization', keyOf('recorder')).set('Content-Type', contentType).send(payload);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ type: `urn:aiaudit:problem:${slug}`, instance: '/api/v1/things/t-1' });
  });

  it('mounts extra routers behind the same authentication', async () => {
    const { app } = build();
    expect((await request(app).get('/api/v1/extra')).status).toBe(401);
    expect((await request(app).get('/api/v1/extra').set('Authorization', keyOf('officer'))).body).toEqual({ ok: true });
  });

  it('answers 404 problem+json for unknown routes, after authentication inside the API', async () => {
    const { app } = build();
    expect((await request(app).get('/nope')).status).toBe(404);
    expect((await request(app).get('/api/v1/nope')).status).toBe(401);
    const res = await request(app).get('/api/v1/nope').set('Authorization', keyOf('officer'));
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('urn:aiaudit:problem:not-found');
  });

  it('serves the OpenAPI document and the docs page without credentials', async () => {
    const { app } = build();
    const spec = await request(app).get('/api/v1/openapi.json');
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(['/things/{thingId}']);
    const docs = await request(app).get('/api/v1/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    expect(docs.text).toContain('/api/v1/things/{thingId}');
  });

  it('limits requests per minute with a 429 problem', async () => {
    const { app } = build({ config: { bodyLimitBytes: 2048, rateLimitPerMinute: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await request(app).get('/api/v1/extra').set('Authorization', keyOf('officer'))).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await request(app).get('/api/v1/extra');
    expect(limited.body).toMatchObject({ type: 'urn:aiaudit:problem:rate-limited', status: 429 });
    expect((await request(app).get('/healthz')).status).toBe(200);
  });
});
