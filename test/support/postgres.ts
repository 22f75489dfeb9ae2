// PostgreSQL for integration tests: the server URL from the environment, a throw-away database per run.
import { Client } from 'pg';
import { redactDatabaseUrl } from '../../gateway/src/index/postgres-store.js';

export const POSTGRES_URL_VARIABLE = 'AIAUDIT_TEST_POSTGRES_URL';

/** The test server's URL; throws (the test fails, never skips) when it is not configured. */
export function requirePostgresUrl(): string {
  const url = process.env[POSTGRES_URL_VARIABLE]?.trim();
  if (url === undefined || url === '') {
    throw new Error(
      `${POSTGRES_URL_VARIABLE} is not set: the PostgreSQL index tests need a server. Start the local one with ` +
        '`bash scripts/postgres.sh ensure` and run with ' + `${POSTGRES_URL_VARIABLE}="$(bash scripts/postgres.sh url)" (npm test does both)`,
    );
  }
  return url;
}

export interface TestDatabase {
  /** The URL of the new database (same server and credentials). */
  url: string;
  name: string;
  /** Runs SQL in the new database (search_path `schema` when given). */
  query<R = Record<string, unknown>>(text: string, values?: unknown[], schema?: string): Promise<R[]>;
  /** Drops the database (closing whatever still connects to it). */
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates database `aiaudit_<tag>` on the server of `serverUrl` (its role needs CREATEDB). */
export async function createTestDatabase(serverUrl: string, tag: string): Promise<TestDatabase> {
  const name = `aiaudit_${tag.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  }).catch((err: unknown) => {
    throw new Error(`cannot create test database ${name} at ${redactDatabaseUrl(serverUrl)}: ${err instanceof Error ? err.message : String(err)}`);
  });
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  return {
    url,
    name,
    query: (text, values = [], schema) =>
      withClient(url, async (c) => {
        if (schema !== undefined) await c.query(`SET search_path = ${schema}`);
        return (await c.query(text, values)).rows;
      }),
    drop: () => withClient(serverUrl, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
