// Local API keys: one per (org, role) of the identity map, created at first start; the file keeps only SHA-256 hashes.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { fabricUserFor, identityPairs, Role, type IdentityMap, type Principal } from './principal.js';

/** Every key starts with this, so a bearer token is told apart from a JWT without trying both. */
export const API_KEY_PREFIX = 'aiaudit_';

const KeyRecord = z.object({
  id: z.string().min(1),
  org: z.string().min(1),
  role: Role,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
type KeyRecord = z.infer<typeof KeyRecord>;

const KeysFile = z.object({ version: z.literal(1), note: z.string().optional(), keys: z.array(KeyRecord) });

/** A key created by this start: shown to the operator once (main prints it), never stored. */
export interface IssuedApiKey {
  readonly org: string;
  readonly role: Role;
  readonly fabricUser: string;
  readonly key: string;
}

export interface ApiKeyStore {
  /** The principal whose key this is, or undefined. Compares hashes in constant time against every key. */
  verify(token: string): Principal | undefined;
  /** The (org, role) pairs that hold a key. */
  readonly holders: readonly { org: string; role: Role }[];
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** A store over already-hashed records; keys whose (org, role) the identity map no longer holds are ignored. */
export function apiKeyStore(records: readonly KeyRecord[], identities: IdentityMap): ApiKeyStore {
  const usable = records
    .map((r) => ({ ...r, digest: Buffer.from(r.sha256, 'hex'), fabricUser: fabricUserFor(identities, r.org, r.role) }))
    .filter((r): r is typeof r & { fabricUser: string } => r.fabricUser !== undefined);
  return {
    holders: usable.map(({ org, role }) => ({ org, role })),
    verify(token) {
      const presented = sha256(token);
      let match: (typeof usable)[number] | undefined;
      for (const record of usable) {
        // No early exit: the time taken does not depend on which key (if any) matched.
        if (timingSafeEqual(record.digest, presented) && match === undefined) match = record;
      }
      if (match === undefined) return undefined;
      return { id: `apikey:${match.id}`, org: match.org, role: match.role, fabricUser: match.fabricUser };
    },
  };
}

/** The start-up banner main prints once for newly issued keys. */
export function formatIssuedKeys(issued: readonly IssuedApiKey[], file: string): string {
  if (issued.length === 0) return `API keys: unchanged (hashes in ${file}; delete it to issue new keys)`;
  const rows = issued.map((k) => `  ${`${k.org} ${k.role}`.padEnd(28)} ${k.key}`);
  return [`API keys issued now and shown only this once (hashes kept in ${file}):`, ...rows].join('\n');
}

export interface LoadedApiKeys {
  store: ApiKeyStore;
  /** Keys created now (first start, or a pair newly added to the identity map): print them once. */
  issued: IssuedApiKey[];
}

/**
 * Loads the key file, first creating it (mode 0600) with a new key for every (org, role) of the
 * identity map that has none. Only hashes are written: the plaintext of a key exists only in
 * the returned `issued` list. Delete the file to issue a fresh set.
 */
export function loadOrCreateApiKeys(file: string, identities: IdentityMap, now: () => Date = () => new Date()): LoadedApiKeys {
  const existing = readKeysFile(file);
  const records = existing ?? [];
  const issued: IssuedApiKey[] = [];
  for (const { org, role, fabricUser } of identityPairs(identities)) {
    if (records.some((r) => r.org === org && r.role === role)) continue;
    const key = newApiKey();
    records.push({ id: `${org}.${role}`, org, role, sha256: sha256(key).toString('hex'), createdAt: now().toISOString() });
    issued.push({ org, role, fabricUser, key });
  }
  if (issued.length > 0) {
    const written = writeKeysFile(file, records, existing === undefined);
    // Another process created the file first: use its keys, ours were never valid.
    if (!written) return loadOrCreateApiKeys(file, identities, now);
  }
  return { store: apiKeyStore(records, identities), issued };
}

function readKeysFile(file: string): KeyRecord[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw new Error(`cannot read the API keys file ${file}: ${String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`the API keys file ${file} is not JSON; delete it to issue new keys`);
  }
  const parsed = KeysFile.safeParse(json);
  if (!parsed.success) throw new Error(`the API keys file ${file} is malformed (${parsed.error.issues[0]?.message ?? 'invalid'}); delete it to issue new keys`);
  return parsed.data.keys;
}

/** Writes via a temporary file; when `create`, fails (returns false) rather than replace a file another process made. */
function writeKeysFile(file: string, keys: readonly KeyRecord[], create: boolean): boolean {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const body = {
    version: 1,
    note: 'SHA-256 hashes of the local API keys; each key was printed once when it was created. Delete this file to issue new keys.',
    keys,
  };
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  try {
    if (!create) {
      renameSync(temporary, file);
      return true;
    }
    linkSync(temporary, file);
    return true;
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(temporary, { force: true });
  }
}
