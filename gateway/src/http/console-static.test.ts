import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createApp } from './app.js';
import { createAuthenticator } from './auth.js';
import { CONSOLE_CSP } from './console-static.js';
import { loadOrCreateApiKeys } from './credential-store.js';
import { createMetrics } from './metrics.js';
import { ApiRegistry } from './openapi.js';
import { defaultIdentityMap } from './principal.js';

const dir = mkdtempSync(join(tmpdir(), 'aiaudit-console-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { store } = loadOrCreateApiKeys(join(dir, 'keys.json'), defaultIdentityMap);

const built = join(dir, 'dist');
mkdirSync(join(built, 'assets'), { recursive: true });
writeFileSync(join(built, 'index.html'), '<!doctype html><title>aiaudit console</title><script type="module" src="/assets/app-1a2b.js"></script>');
writeFileSync(join(built, 'assets', 'app-1a2b.js'), 'console.log("hi")');
writeFileSync(join(built, '.secret'), 'not for the web');

function appServing(consoleDir: string | undefined) {
  return createApp({
    config: { bodyLimitBytes: 2048, rateLimitPerMinute: 0 },
    logger: createLogger('silent'),
    metrics: createMetrics({ defaultMetrics: false }),
    verifyToken: createAuthenticator({ apiKeys: store }),
    readiness: async () => ({ ready: true, checks: {} }),
    api: new ApiRegistry(),
    ...(consoleDir === undefined ? {} : { consoleDir }),
  });
}

describe('the web console at /', () => {
  const app = appServing(built);

  it('serves index.html at / without credentials, never cached, under the console CSP', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('<title>aiaudit console</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('serves hashed assets with a long cache lifetime', async () => {
    const res = await request(app).get('/assets/app-1a2b.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers unknown paths and dotfiles with the 404 problem, not a file', async () => {
    for (const path of ['/nope.html', '/.secret', '/assets/missing.js']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('leaves the API alone: docs, OpenAPI and authentication keep working', async () => {
    const docs = await request(app).get('/api/v1/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    expect(docs.headers['content-security-policy']).not.toBe(CONSOLE_CSP);
    expect((await request(app).get('/api/v1/openapi.json')).body).toHaveProperty('openapi');
    expect((await request(app).get('/api/v1/decisions')).status).toBe(401);
  });

  it('says how to build the console when it is not built, with 503 rather than an error', async () => {
    const res = await request(appServing(join(dir, 'missing'))).get('/');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('npm run build -w console');
    expect(res.text).toContain('/api/v1/docs');
  });

  it('has no console routes when no folder is configured', async () => {
    expect((await request(appServing(undefined)).get('/')).status).toBe(404);
  });
});
