// The PostgreSQL index: the IndexStore contract suite on a real server, what is PostgreSQL's own (schema versions,
// concurrent writers, connection errors), and the gateway on the real network with its index in PostgreSQL.
// Needs AIAUDIT_TEST_POSTGRES_URL (bash scripts/postgres.sh ensure; npm test sets it); fails without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresIndex } from '../../gateway/src/index/postgres-store.js';
import { batchBlock, describeIndexStoreContract, record } from '../support/index-store-contract.js';
import { describeIndexRebuild } from '../support/index-rebuild-scenario.js';
import { runTag } from '../support/ledger.js';
import { createTestDatabase, requirePostgresUrl, type TestDatabase } from '../support/postgres.js';

const serverUrl = requirePostgresUrl();
let db: TestDatabase | undefined;
let schemas = 0;

const database = (): TestDatabase => {
  if (db === undefined) throw new Error('the test database was not created');
  return db;
};
/** A store in a schema of its own; small scan pages so that a scan crosses many. */
const openFresh = async () => openPostgresIndex(database().url, { schema: `contract_${++schemas}`, scanPageSize: 7 });

describe('PostgreSQL index store', () => {
  beforeAll(async () => {
    db = await createTestDatabase(serverUrl, `idx_${runTag}`);
  });
  afterAll(async () => {
    await db?.drop();
  });

  describeIndexStoreContract('PostgreSQL', openFresh);

  it('keeps the index across a reopen, and rebuilds an index of another schema version', async () => {
    const schema = `reopen_${runTag}`;
    const first = openPostgresIndex(database().url, { schema });
    await first.applyBlock(batchBlock(0, [{ batchId: 'b-1', records: [record('kept')] }], 'ee'.repeat(32)));
    await first.close();
    const second = openPostgresIndex(database().url, { schema });
    expect(await second.stats()).toEqual({ lastBlock: 0, batches: 1, decisions: 1, events: 1 });
    expect(await second.chainId()).toBe('ee'.repeat(32));
    await second.close();

    await database().query("UPDATE meta SET value = '2' WHERE key = 'schema_version'", [], schema);
    const third = openPostgresIndex(database().url, { schema });
    expect(await third.stats()).toEqual({ lastBlock: undefined, batches: 0, decisions: 0, events: 0 });
    expect(await third.chainId()).toBeUndefined();
    expect(await database().query("SELECT value FROM meta WHERE key = 'schema_version'", [], schema)).toEqual([{ value: '3' }]);
    await third.close();
  });

  it('applies a block once when two writers race for it (the checkpoint row serialises them)', async () => {
    const schema = `race_${runTag}`;
    const [a, b] = [openPostgresIndex(database().url, { schema }), openPostgresIndex(database().url, { schema })];
    await a.applyBlock(batchBlock(0, []));
    const block = batchBlock(1, [{ batchId: 'b-race', records: Array.from({ length: 50 }, (_, i) => record(`race-${i}`)) }]);
    await Promise.all([a.applyBlock(block), b.applyBlock(block), a.applyBlock(block)]);
    expect(await b.stats()).toEqual({ lastBlock: 1, batches: 1, decisions: 50, events: 1 });
    expect((await a.findDecision('race-3')).map((d) => d.occurrence)).toEqual([1]);
    await Promise.all([a.close(), b.close()]);
  });

  it('names the database it cannot reach, without the password', async () => {
    const store = openPostgresIndex('postgres://auditor:s3cret-pw@127.0.0.1:1/nowhere');
    const failure = await store.lastBlock().then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    expect(failure).toMatch(/^cannot open the PostgreSQL index at postgres:\/\/auditor:\*\*\*@127\.0\.0\.1:1\/nowhere: /);
    expect(failure).not.toContain('s3cret-pw');
    await store.close();
  });
});

let rebuildDb: TestDatabase | undefined;
describeIndexRebuild({
  name: 'PostgreSQL',
  async create() {
    rebuildDb = await createTestDatabase(serverUrl, `gw_${runTag}`);
    return rebuildDb.url;
  },
  async remove() {
    await rebuildDb?.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  },
  async exec(statement, values) {
    await rebuildDb?.query(statement, values);
  },
  placeholder: (n) => `$${n}`,
  dispose: async () => rebuildDb?.drop(),
});
