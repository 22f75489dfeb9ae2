// The gateway's configuration: AIAUDIT_* environment variables, validated once in main, frozen, passed down.
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export type LogLevel = z.infer<typeof LogLevel>;

export interface OidcConfig {
  readonly jwksUrl: URL;
  readonly issuer: string;
  readonly audience: string;
  readonly roleClaim: string;
  readonly orgClaim: string;
}

export type IndexDatabase = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly connectionProfile: string;
  readonly apiKeysFile: string;
  /** Undefined when OIDC is off (then only API keys authenticate). */
  readonly oidc: OidcConfig | undefined;
  readonly batch: { readonly maxSize: number; readonly lingerMs: number; readonly maxInFlight: number };
  /** Most decisions the outbox holds uncommitted; a submission that would pass it is refused with 503 and Retry-After. */
  readonly outboxMaxPending: number;
  readonly indexDatabase: IndexDatabase;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Requests per minute per client address on /api/v1; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  readonly logLevel: LogLevel;
  /** At start-up, have each org's admin grant the identity map's roles to the mapped Fabric users (local network). */
  readonly bootstrapRoles: boolean;
  /** Most attempts of one write when the peers invalidate it for a read conflict (MVCC/phantom); each attempt is a new transaction. */
  readonly fabricSubmitAttempts: number;
  /** The built web console (console/dist), served at /. */
  readonly consoleDir: string;
  /** Days a finished export's bundle is kept before it is deleted (the job record stays, marked expired); 0 keeps bundles forever. */
  readonly exportRetentionDays: number;
}

/** Thrown by loadConfig; the message names every bad variable, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const PREFIX = 'AIAUDIT_';

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });

const bool = z
  .string()
  .transform((text) => text.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }))
  .transform((text) => text === 'true' || text === '1' || text === 'yes');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, { error: 'must be a size such as 5mb, 512kb or 1048576' })
  .transform((text) => {
    const [, amount = '0', unit = 'b'] = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text) ?? [];
    return Math.floor(Number(amount) * (UNITS[unit.toLowerCase() || 'b'] ?? 1));
  })
  .pipe(z.number().min(1024, { error: 'must be at least 1kb' }).max(UNITS.gb ?? 0, { error: 'must be at most 1gb' }));

const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);
const databaseUrl = z
  .string()
  .refine((url) => /^(sqlite:|file:)/.test(url) || isPostgresUrl(url), { error: 'must be sqlite:<path>, file:<path> or postgres://…', abort: true })
  .refine((url) => !isPostgresUrl(url) || URL.canParse(url), { error: 'must be a URL such as postgres://user:password@host:5432/database' });

/** Every variable, its schema and default (as the text a user would write). */
const variables = {
  GATEWAY_HOST: nonEmpty.default('127.0.0.1'),
  GATEWAY_PORT: int(0, 65535).default(8080),
  DATA_DIR: nonEmpty.optional(),
  CONNECTION_PROFILE: nonEmpty.optional(),
  API_KEYS_FILE: nonEmpty.optional(),
  OIDC_JWKS_URL: httpUrl.optional(),
  OIDC_ISSUER: nonEmpty.optional(),
  OIDC_AUDIENCE: nonEmpty.optional(),
  OIDC_ROLE_CLAIM: nonEmpty.default('aiaudit_role'),
  OIDC_ORG_CLAIM: nonEmpty.default('aiaudit_org'),
  BATCH_MAX_SIZE: int(1, 10_000).default(250),
  BATCH_LINGER_MS: int(0, 10_000).default(20),
  BATCH_MAX_IN_FLIGHT: int(1, 256).default(32),
  OUTBOX_MAX_PENDING: int(1, 10_000_000).default(50_000),
  INDEX_DATABASE_URL: databaseUrl.optional(),
  BODY_LIMIT: byteSize.default(5 * 1024 ** 2),
  RATE_LIMIT_PER_MINUTE: int(0, 100_000_000).default(600_000),
  LOG_LEVEL: z
    .string()
    .transform((level) => level.toLowerCase())
    .pipe(z.enum(LogLevel.options, { error: `must be one of ${LogLevel.options.join(', ')}` }))
    .default('info'),
  BOOTSTRAP_ROLES: bool.default(true),
  FABRIC_SUBMIT_ATTEMPTS: int(1, 20).default(5),
  CONSOLE_DIR: nonEmpty.optional(),
  EXPORT_RETENTION_DAYS: int(0, 36_500).default(30),
} as const;

/** Variables whose values may hold credentials (a postgres password): never echoed in errors. */
const SECRET = new Set([`${PREFIX}INDEX_DATABASE_URL`]);

export const configVariableNames: readonly string[] = Object.keys(variables).map((name) => PREFIX + name);

const EnvSchema = z.object(variables);

export interface LoadConfigOptions {
  /** Folder that relative paths and the default data folder are resolved against; defaults to the repository root. */
  repoRoot?: string;
}

/** Reads, validates and freezes the configuration; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): GatewayConfig {
  const repoRoot = options.repoRoot ?? resolve(__dirname, '..', '..');
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(variables)) {
    const value = env[PREFIX + name];
    // An empty variable means "not set", as a blank line in an env file would.
    raw[name] = value === undefined || value.trim() === '' ? undefined : value;
  }
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = PREFIX + String(issue.path[0] ?? '');
        const got = SECRET.has(name) ? undefined : raw[String(issue.path[0] ?? '')];
        return `${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
      }),
    );
  }
  const v = parsed.data;
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(repoRoot, p));
  const dataDir = path(v.DATA_DIR ?? '.data');
  const config: GatewayConfig = {
    host: v.GATEWAY_HOST,
    port: v.GATEWAY_PORT,
    dataDir,
    connectionProfile: path(v.CONNECTION_PROFILE ?? join(dataDir, 'network', 'connection.json')),
    apiKeysFile: path(v.API_KEYS_FILE ?? join(dataDir, 'gateway', 'api-keys.json')),
    oidc: oidcFrom(v),
    batch: deepFreeze({ maxSize: v.BATCH_MAX_SIZE, lingerMs: v.BATCH_LINGER_MS, maxInFlight: v.BATCH_MAX_IN_FLIGHT }),
    outboxMaxPending: v.OUTBOX_MAX_PENDING,
    indexDatabase: indexDatabaseFrom(v.INDEX_DATABASE_URL, dataDir, path),
    bodyLimitBytes: v.BODY_LIMIT,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    logLevel: v.LOG_LEVEL,
    bootstrapRoles: v.BOOTSTRAP_ROLES,
    fabricSubmitAttempts: v.FABRIC_SUBMIT_ATTEMPTS,
    consoleDir: path(v.CONSOLE_DIR ?? join('console', 'dist')),
    exportRetentionDays: v.EXPORT_RETENTION_DAYS,
  };
  return deepFreeze(config);
}

function oidcFrom(v: z.output<typeof EnvSchema>): OidcConfig | undefined {
  const parts = { OIDC_JWKS_URL: v.OIDC_JWKS_URL, OIDC_ISSUER: v.OIDC_ISSUER, OIDC_AUDIENCE: v.OIDC_AUDIENCE };
  const missing = Object.entries(parts).filter(([, value]) => value === undefined).map(([name]) => PREFIX + name);
  if (missing.length === 3) return undefined;
  if (v.OIDC_JWKS_URL === undefined || v.OIDC_ISSUER === undefined || v.OIDC_AUDIENCE === undefined) {
    throw new ConfigError(missing.map((name) => `${name}: must be set when any of ${Object.keys(parts).map((n) => PREFIX + n).join(', ')} is set`));
  }
  return deepFreeze({
    jwksUrl: new URL(v.OIDC_JWKS_URL),
    issuer: v.OIDC_ISSUER,
    audience: v.OIDC_AUDIENCE,
    roleClaim: v.OIDC_ROLE_CLAIM,
    orgClaim: v.OIDC_ORG_CLAIM,
  });
}

function indexDatabaseFrom(url: string | undefined, dataDir: string, path: (p: string) => string): IndexDatabase {
  if (url === undefined) return { kind: 'sqlite', path: join(dataDir, 'gateway', 'index.sqlite') };
  if (isPostgresUrl(url)) return { kind: 'postgres', url };
  const file = url.replace(/^(sqlite|file):(\/\/)?/, '');
  if (file === '') throw new ConfigError([`${PREFIX}INDEX_DATABASE_URL: must name a file after ${url}`]);
  return { kind: 'sqlite', path: path(file) };
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null && !(inner instanceof URL)) deepFreeze(inner);
  }
  return Object.freeze(value);
}
