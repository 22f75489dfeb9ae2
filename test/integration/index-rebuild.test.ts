// The block-derived index in SQLite against the real ledger (the scenario is shared with PostgreSQL: index-postgres.test.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeIndexRebuild } from '../support/index-rebuild-scenario.js';

let indexFile = '';

describeIndexRebuild({
  name: 'SQLite',
  async create(dataDir) {
    indexFile = join(dataDir, 'gateway', 'index.sqlite');
    return `sqlite:${indexFile}`;
  },
  async remove() {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${indexFile}${suffix}`, { force: true });
  },
  async exec(statement, values) {
    const db = new Database(indexFile);
    try {
      db.prepare(statement).run(...values);
    } finally {
      db.close();
    }
  },
  placeholder: () => '?',
  dispose: async () => undefined,
});
