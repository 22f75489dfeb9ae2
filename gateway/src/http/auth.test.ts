import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OidcConfig } from '../config.js';
import { formatIssuedKeys, loadOrCreateApiKeys } from './credential-store.js';
import { authenticate, createAuthenticator, createJwtVerifier, requirePrincipal, requireRole, type TokenVerifier } from './auth.js';
import { defaultIdentityMap } from './principal.js';
import { notFoundHandler, problemHandler, ProblemError } from './problem.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aiaudit-auth-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('loadOrCreateApiKeys', () => {
  it('issues one key per (org, role) at first start into a 0600 file that holds only hashes', () => {
    const file = join(dir, 'gateway', 'api-keys.json');
    const { issued, store } = loadOrCreateApiKeys(file, defaultIdentityMap);
    expect(issued.map(({ org, role, fabricUser }) => `${org}/${role}/${fabricUser}`)).toEqual([
      'OperatorOrgMSP/recorder/User1',
      'OperatorOrgMSP/officer/User2',
      'OperatorOrgMSP/admin/Admin',
      'RegulatorOrgMSP/regulator/User3',
      'RegulatorOrgMSP/admin/Admin',
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    for (const { key } of issued) {
      expect(key).toMatch(/^aiaudit_[A-Za-z0-9_-]{43}$/);
      expect(text).not.toContain(key.slice(8));
    }
    const officer = issued.find((k) => k.role === 'officer');
    expect(store.verify(officer?.key ?? '')).toEqual({ id: 'apikey:OperatorOrgMSP.officer', org: 'OperatorOrgMSP', role: 'officer', fabricUser: 'User2' });
  });

  it('issues nothing on later starts and still accepts the first keys', () => {
    const file = join(dir, 'keys.json');
    const first = loadOrCreateApiKeys(file, defaultIdentityMap);
    const again = loadOrCreateApiKeys(file, defaultIdentityMap);
    expect(again.issued).toEqual([]);
    for (const { key, org, role } of first.issued) expect(again.store.verify(key)).toMatchObject({ org, role });
  });

  it('refuses a wrong, truncated or foreign key', () => {
    const { store, issued } = loadOrCreateApiKeys(join(dir, 'keys.json'), defaultIdentityMap);
    const key = issued[0]?.key ?? '';
    for (const wrong of [key.slice(0, -1), `${key}x`, 'aiaudit_', '', key.toUpperCase()]) expect(store.verify(wrong)).toBeUndefined();
    const other = loadOrCreateApiKeys(join(dir, 'other.json'), defaultIdentityMap);
    expect(other.store.verify(key)).toBeUndefined();
  });

  it('adds keys only for pairs newly added to the identity map', () => {
    const file = join(dir, 'keys.json');
    loadOrCreateApiKeys(file, { OperatorOrgMSP: { recorder: 'User1' } });
    const { issued } = loadOrCreateApiKeys(file, { OperatorOrgMSP: { recorder: 'User1', officer: 'User2' } });
    expect(issued.map((k) => k.role)).toEqual(['officer']);
  });

  it('refuses to start on a corrupt key file, naming it', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, '{"version":1,"keys":[{"id":"x"}]}');
    expect(() => loadOrCreateApiKeys(file, defaultIdentityMap)).toThrow(/keys\.json is malformed.*delete it/);
  });
});

function appWith(verify: TokenVerifier) {
  const app = express();
  app.use(authenticate(verify));
  app.get('/officer-only', requireRole('officer', 'regulator'), (req, res) => {
    res.json(requirePrincipal(req));
  });
  app.use(notFoundHandler);
  app.use(problemHandler({ logger: { error: () => undefined, warn: () => undefined } }));
  return app;
}

describe('authenticate and requireRole with API keys', () => {
  const setup = () => {
    const { store, issued } = loadOrCreateApiKeys(join(dir, 'keys.json'), defaultIdentityMap);
    const keyOf = (role: string, org = 'OperatorOrgMSP') => issued.find((k) => k.role === role && k.org === org)?.key ?? '';
    return { app: appWith(createAuthenticator({ apiKeys: store })), keyOf };
  };

  it('answers 401 with a Bearer challenge when no credentials are sent', async () => {
    const res = await request(setup().app).get('/officer-only');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="aiaudit"');
    expect(res.body).toMatchObject({ type: 'urn:aiaudit:problem:unauthorized', status: 401 });
  });

  it.each([
    ['an unknown API key', 'Bearer aiaudit_nope'],
    ['a JWT while OIDC is off', 'Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
  ])('answers 401 invalid_token for %s', async (_what, header) => {
    const res = await request(setup().app).get('/officer-only').set('Authorization', header);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="aiaudit", error="invalid_token"');
  });

  it('answers 403 to a valid key without the role, and lets the right role through', async () => {
    const { app, keyOf } = setup();
    const denied = await request(app).get('/officer-only').set('Authorization', `Bearer ${keyOf('recorder')}`);
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain('officer, regulator');
    const allowed = await request(app).get('/officer-only').set('Authorization', `Bearer ${keyOf('regulator', 'RegulatorOrgMSP')}`);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ id: 'apikey:RegulatorOrgMSP.regulator', org: 'RegulatorOrgMSP', role: 'regulator', fabricUser: 'User3' });
  });
});

describe('OIDC JWTs against a JWKS served over HTTP', () => {
  let server: Server;
  let privateKey: KeyLike;
  let oidc: OidcConfig;
  const issuer = 'https://idp.test/realms/aiaudit';

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((req, res) => {
      res.writeHead(req.url === '/jwks' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    oidc = { jwksUrl: new URL(`http://127.0.0.1:${port}/jwks`), issuer, audience: 'aiaudit', roleClaim: 'aiaudit_role', orgClaim: 'aiaudit_org' };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (claims: JWTPayload, overrides: { iss?: string; aud?: string; exp?: number } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(overrides.iss ?? issuer)
      .setAudience(overrides.aud ?? 'aiaudit')
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime(overrides.exp ?? Math.floor(Date.now() / 1000) + 300)
      .sign(privateKey);
  const officer = { aiaudit_role: 'officer', aiaudit_org: 'OperatorOrgMSP' };
  const verify = () => createJwtVerifier(oidc, defaultIdentityMap);
  const failure = async (promise: Promise<unknown>): Promise<ProblemError> => {
    const err = await promise.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    return err as ProblemError;
  };

  it('accepts a good token and maps it to the Fabric user for (org, role)', async () => {
    expect(await verify()(await token(officer))).toEqual({ id: 'oidc:alice', org: 'OperatorOrgMSP', role: 'officer', fabricUser: 'User2' });
  });

  it.each([
    ['a wrong issuer', { iss: 'https://evil.test/' }, 'iss'],
    ['a wrong audience', { aud: 'someone-else' }, 'aud'],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 60 }, 'expired'],
  ])('answers 401 to %s', async (_what, overrides, mentions) => {
    const problem = await failure(verify()(await token(officer, overrides)));
    expect(problem).toMatchObject({ status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="aiaudit", error="invalid_token"' } });
    expect(problem.detail).toContain(mentions);
  });

  it('answers 401 to a token signed by another key', async () => {
    const stranger = await generateKeyPair('ES256');
    const forged = await new SignJWT(officer).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer).setAudience('aiaudit').setSubject('mallory').setExpirationTime('5m').sign(stranger.privateKey);
    expect((await failure(verify()(forged))).status).toBe(401);
  });

  it.each([
    ['no role claim', { aiaudit_org: 'OperatorOrgMSP' }, 'aiaudit_role'],
    ['an unknown role', { aiaudit_role: 'superuser', aiaudit_org: 'OperatorOrgMSP' }, 'aiaudit_role'],
    ['an unknown org', { aiaudit_role: 'officer', aiaudit_org: 'EvilOrgMSP' }, 'aiaudit_org'],
    ['a role the org does not hold', { aiaudit_role: 'regulator', aiaudit_org: 'OperatorOrgMSP' }, 'no regulator role'],
  ])('answers 403 to a valid token with %s', async (_what, claims, mentions) => {
    const problem = await failure(verify()(await token(claims)));
    expect(problem.status).toBe(403);
    expect(problem.detail).toContain(mentions);
  });

  it('answers 503 when the JWKS cannot be fetched', async () => {
    const broken = createJwtVerifier({ ...oidc, jwksUrl: new URL(oidc.jwksUrl.href.replace('/jwks', '/missing')) }, defaultIdentityMap);
    expect((await failure(broken(await token(officer)))).status).toBe(503);
  });

  it('routes JWTs and API keys through one authenticator over HTTP', async () => {
    const { store } = loadOrCreateApiKeys(join(dir, 'keys.json'), defaultIdentityMap);
    const app = appWith(createAuthenticator({ apiKeys: store, jwt: verify() }));
    const ok = await request(app).get('/officer-only').set('Authorization', `Bearer ${await token(officer)}`);
    expect(ok.status).toBe(200);
    const expired = await request(app).get('/officer-only').set('Authorization', `Bearer ${await token(officer, { exp: 1 })}`);
    expect(expired.status).toBe(401);
    const recorder = await request(app).get('/officer-only').set('Authorization', `Bearer ${await token({ ...officer, aiaudit_role: 'recorder' })}`);
    expect(recorder.status).toBe(403);
  });
});

describe('formatIssuedKeys', () => {
  it('prints each new key once with its org and role, and nothing secret on later starts', () => {
    const file = join(dir, 'keys.json');
    const { issued } = loadOrCreateApiKeys(file, defaultIdentityMap);
    const banner = formatIssuedKeys(issued, file);
    for (const { key } of issued) expect(banner).toContain(key);
    expect(banner).toContain('OperatorOrgMSP recorder');
    expect(formatIssuedKeys(loadOrCreateApiKeys(file, defaultIdentityMap).issued, file)).not.toContain('aiaudit_');
  });
});
