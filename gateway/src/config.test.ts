import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariableNames, loadConfig } from './config.js';

const repoRoot = '/srv/aiaudit';
const load = (env: Record<string, string>) => loadConfig(env, { repoRoot });

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    expect(load({})).toEqual({
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/srv/aiaudit/.data',
      connectionProfile: '/srv/aiaudit/.data/network/connection.json',
      apiKeysFile: '/srv/aiaudit/.data/gateway/api-keys.json',
      oidc: undefined,
      batch: { maxSize: 250, lingerMs: 20, maxInFlight: 32 },
      outboxMaxPending: 50_000,
      indexDatabase: { kind: 'sqlite', path: '/srv/aiaudit/.data/gateway/index.sqlite' },
      bodyLimitBytes: 5 * 1024 * 1024,
      rateLimitPerMinute: 600_000,
      logLevel: 'info',
      bootstrapRoles: true,
      fabricSubmitAttempts: 5,
      consoleDir: '/srv/aiaudit/console/dist',
      exportRetentionDays: 30,
    });
  });

  it('defaults the repository root to the folder above gateway/', () => {
    expect(loadConfig({}).dataDir).toBe(join(__dirname, '..', '..', '.data'));
  });

  it('derives file defaults from DATA_DIR and resolves relative paths against the repo root', () => {
    const config = load({ AIAUDIT_DATA_DIR: 'var/data', AIAUDIT_API_KEYS_FILE: '/etc/aiaudit/keys.json' });
    expect(config.dataDir).toBe('/srv/aiaudit/var/data');
    expect(config.connectionProfile).toBe('/srv/aiaudit/var/data/network/connection.json');
    expect(config.apiKeysFile).toBe('/etc/aiaudit/keys.json');
    expect(config.indexDatabase).toEqual({ kind: 'sqlite', path: '/srv/aiaudit/var/data/gateway/index.sqlite' });
  });

  it('serves the console from console/dist unless AIAUDIT_CONSOLE_DIR names another folder', () => {
    expect(load({ AIAUDIT_CONSOLE_DIR: 'web/build' }).consoleDir).toBe('/srv/aiaudit/web/build');
    expect(load({ AIAUDIT_CONSOLE_DIR: '/opt/aiaudit/console' }).consoleDir).toBe('/opt/aiaudit/console');
    expect(load({ AIAUDIT_DATA_DIR: '/var/aiaudit' }).consoleDir).toBe('/srv/aiaudit/console/dist');
  });

  it('reads every value it is given', () => {
    const config = load({
      AIAUDIT_GATEWAY_HOST: '0.0.0.0',
      AIAUDIT_GATEWAY_PORT: '9000',
      AIAUDIT_BATCH_MAX_SIZE: '100',
      AIAUDIT_BATCH_LINGER_MS: '0',
      AIAUDIT_BATCH_MAX_IN_FLIGHT: '32',
      AIAUDIT_OUTBOX_MAX_PENDING: '1000',
      AIAUDIT_BODY_LIMIT: '512kb',
      AIAUDIT_RATE_LIMIT_PER_MINUTE: '0',
      AIAUDIT_LOG_LEVEL: 'DEBUG',
      AIAUDIT_INDEX_DATABASE_URL: 'postgres://audit:secret@127.0.0.1:5432/aiaudit',
      AIAUDIT_BOOTSTRAP_ROLES: 'False',
      AIAUDIT_FABRIC_SUBMIT_ATTEMPTS: '1',
    });
    expect(config).toMatchObject({
      bootstrapRoles: false,
      fabricSubmitAttempts: 1,
      host: '0.0.0.0',
      port: 9000,
      batch: { maxSize: 100, lingerMs: 0, maxInFlight: 32 },
      outboxMaxPending: 1000,
      bodyLimitBytes: 512 * 1024,
      rateLimitPerMinute: 0,
      logLevel: 'debug',
      indexDatabase: { kind: 'postgres', url: 'postgres://audit:secret@127.0.0.1:5432/aiaudit' },
    });
  });

  it.each([
    ['sqlite:idx.db', '/srv/aiaudit/idx.db'],
    ['sqlite:///var/lib/idx.db', '/var/lib/idx.db'],
    ['file:/var/lib/idx.db', '/var/lib/idx.db'],
  ])('accepts the sqlite index URL %s', (url, path) => {
    expect(load({ AIAUDIT_INDEX_DATABASE_URL: url }).indexDatabase).toEqual({ kind: 'sqlite', path });
  });

  it('accepts a postgresql:// URL as is, and refuses a malformed PostgreSQL URL without echoing its password', () => {
    expect(load({ AIAUDIT_INDEX_DATABASE_URL: 'postgresql://audit@db.internal/aiaudit?sslmode=require' }).indexDatabase).toEqual({
      kind: 'postgres',
      url: 'postgresql://audit@db.internal/aiaudit?sslmode=require',
    });
    expect(problemsOf({ AIAUDIT_INDEX_DATABASE_URL: 'postgres://audit:s3cret@[::1/aiaudit' })).toEqual([
      'AIAUDIT_INDEX_DATABASE_URL: must be a URL such as postgres://user:password@host:5432/database',
    ]);
    expect(problemsOf({ AIAUDIT_INDEX_DATABASE_URL: 'mysql://audit:s3cret@db/aiaudit' })).toEqual(['AIAUDIT_INDEX_DATABASE_URL: must be sqlite:<path>, file:<path> or postgres://…']);
  });

  it('treats blank variables as unset', () => {
    expect(load({ AIAUDIT_GATEWAY_PORT: '  ', AIAUDIT_OIDC_ISSUER: '' })).toMatchObject({ port: 8080, oidc: undefined });
  });

  it('enables OIDC only with URL, issuer and audience, with default claim names', () => {
    const config = load({
      AIAUDIT_OIDC_JWKS_URL: 'https://idp.example/jwks',
      AIAUDIT_OIDC_ISSUER: 'https://idp.example/',
      AIAUDIT_OIDC_AUDIENCE: 'aiaudit',
    });
    expect(config.oidc).toEqual({
      jwksUrl: new URL('https://idp.example/jwks'),
      issuer: 'https://idp.example/',
      audience: 'aiaudit',
      roleClaim: 'aiaudit_role',
      orgClaim: 'aiaudit_org',
    });
  });

  it('returns a frozen object, nested parts included', () => {
    const config = load({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.batch)).toBe(true);
    expect(Object.isFrozen(config.indexDatabase)).toBe(true);
  });

  it.each([
    ['AIAUDIT_GATEWAY_PORT', 'http', 'must be a whole number'],
    ['AIAUDIT_GATEWAY_PORT', '70000', 'must be at most 65535'],
    ['AIAUDIT_GATEWAY_PORT', '-1', 'must be a whole number'],
    ['AIAUDIT_BATCH_MAX_SIZE', '0', 'must be at least 1'],
    ['AIAUDIT_BATCH_MAX_SIZE', '2.5', 'must be a whole number'],
    ['AIAUDIT_BATCH_LINGER_MS', '20ms', 'must be a whole number'],
    ['AIAUDIT_BATCH_MAX_IN_FLIGHT', '1000', 'must be at most 256'],
    ['AIAUDIT_OUTBOX_MAX_PENDING', '0', 'must be at least 1'],
    ['AIAUDIT_BODY_LIMIT', 'lots', 'must be a size'],
    ['AIAUDIT_BODY_LIMIT', '10', 'must be at least 1kb'],
    ['AIAUDIT_BODY_LIMIT', '2gb', 'must be at most 1gb'],
    ['AIAUDIT_RATE_LIMIT_PER_MINUTE', 'many', 'must be a whole number'],
    ['AIAUDIT_LOG_LEVEL', 'loud', 'must be one of fatal, error, warn, info'],
    ['AIAUDIT_INDEX_DATABASE_URL', 'mysql://x', 'must be sqlite:<path>'],
    ['AIAUDIT_INDEX_DATABASE_URL', 'sqlite:', 'must name a file'],
    ['AIAUDIT_OIDC_JWKS_URL', 'ftp://idp/jwks', 'must be an http(s) URL'],
    ['AIAUDIT_BOOTSTRAP_ROLES', 'maybe', 'must be true or false'],
    ['AIAUDIT_FABRIC_SUBMIT_ATTEMPTS', '0', 'must be at least 1'],
    ['AIAUDIT_FABRIC_SUBMIT_ATTEMPTS', '21', 'must be at most 20'],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    const env: Record<string, string> = { [name]: value };
    if (name === 'AIAUDIT_OIDC_JWKS_URL') Object.assign(env, { AIAUDIT_OIDC_ISSUER: 'i', AIAUDIT_OIDC_AUDIENCE: 'a' });
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name}: ${message}`);
  });

  it('never echoes the index database URL, which may hold a password', () => {
    const [problem] = problemsOf({ AIAUDIT_INDEX_DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(problem).not.toContain('hunter2');
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ AIAUDIT_GATEWAY_PORT: 'x', AIAUDIT_LOG_LEVEL: 'y' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['AIAUDIT_GATEWAY_PORT', 'AIAUDIT_LOG_LEVEL']);
  });

  it.each([
    [{ AIAUDIT_OIDC_ISSUER: 'https://idp/' }, ['AIAUDIT_OIDC_JWKS_URL', 'AIAUDIT_OIDC_AUDIENCE']],
    [{ AIAUDIT_OIDC_JWKS_URL: 'https://idp/jwks', AIAUDIT_OIDC_ISSUER: 'https://idp/' }, ['AIAUDIT_OIDC_AUDIENCE']],
  ])('refuses a partial OIDC configuration %o, naming what is missing', (env, missing) => {
    expect(problemsOf(env).map((p) => p.split(':')[0])).toEqual(missing);
  });

  it('has every variable documented in .env.example', () => {
    const example = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
    for (const name of configVariableNames) expect(example).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
  });
});
