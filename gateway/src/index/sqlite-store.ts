// The index in SQLite (better-sqlite3, WAL): decisions, their alert join table, batches, events, model owners, the checkpoint.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { groupDuplicates, MetaKey, searchConditions, searchPage, toBatch, toDecision, toEvent, type BatchDbRow, type DecisionDbRow, type EventDbRow } from './db-rows.js';
import type { BatchRow, BlockRows } from './rows.js';
import type { DecisionSearch, DecisionSearchPage, DuplicateDecisionId, EventCursor, IndexedDecision, IndexedEvent, IndexStats, IndexStore } from './store.js';

/** 3: meta holds the chain id (an index without one is rebuilt, so every index has it from block 0 on). */
const SCHEMA_VERSION = '3';

const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
  batch_id TEXT NOT NULL, tx_id TEXT NOT NULL, block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL,
  owner_msp TEXT NOT NULL, recorded_at TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (block_number, tx_index, batch_id));
CREATE INDEX IF NOT EXISTS batches_by_id ON batches (batch_id);
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY,
  decision_id TEXT NOT NULL, batch_id TEXT NOT NULL, position INTEGER NOT NULL,
  tx_id TEXT NOT NULL, block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL,
  model_id TEXT NOT NULL, model_version TEXT NOT NULL, recorded_at TEXT NOT NULL, decided_at TEXT NOT NULL,
  subject_ref TEXT, outcome_label TEXT, owner_msp TEXT NOT NULL, open_alert_ids TEXT NOT NULL,
  record_sha256 TEXT NOT NULL, record_json TEXT NOT NULL, occurrence INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS decisions_by_id ON decisions (decision_id);
CREATE INDEX IF NOT EXISTS decisions_by_model ON decisions (model_id, model_version, seq);
CREATE INDEX IF NOT EXISTS decisions_by_subject ON decisions (subject_ref, seq) WHERE subject_ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS decisions_by_owner ON decisions (owner_msp, seq);
CREATE TABLE IF NOT EXISTS decision_alerts (alert_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (alert_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
  block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL, tx_id TEXT NOT NULL, name TEXT NOT NULL,
  payload_json TEXT NOT NULL, model_id TEXT, owner_msp TEXT, at TEXT,
  PRIMARY KEY (block_number, tx_index)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS model_owners (model_id TEXT PRIMARY KEY, owner_msp TEXT NOT NULL);
`;

/** Opens (creating if needed) the SQLite index at `path`; ':memory:' for a throw-away index. */
export function openSqliteIndex(path: string): SqliteIndexStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return new SqliteIndexStore(new Database(path));
}

type Params = (string | number | bigint | null)[];

/** Prepared once (and again after a reset, which drops the tables they refer to). */
function prepareStatements(db: Database.Database) {
  return {
    meta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    owner: db.prepare<[string, string]>('INSERT INTO model_owners (model_id, owner_msp) VALUES (?, ?) ON CONFLICT (model_id) DO NOTHING'),
    batch: db.prepare<Params>('INSERT OR IGNORE INTO batches (batch_id, tx_id, block_number, tx_index, owner_msp, recorded_at, count) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    decision: db.prepare<Params>(`INSERT INTO decisions (decision_id, batch_id, position, tx_id, block_number, tx_index, model_id, model_version,
      recorded_at, decided_at, subject_ref, outcome_label, owner_msp, open_alert_ids, record_sha256, record_json, occurrence)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COUNT(*) + 1 FROM decisions WHERE decision_id = ?))`),
    alert: db.prepare<[string, number | bigint]>('INSERT OR IGNORE INTO decision_alerts (alert_id, seq) VALUES (?, ?)'),
    event: db.prepare<Params>(`INSERT OR IGNORE INTO events (block_number, tx_index, tx_id, name, payload_json, model_id, owner_msp, at)
      VALUES (?, ?, ?, ?, ?, ?, COALESCE(?, (SELECT owner_msp FROM model_owners WHERE model_id = ?)), ?)`),
    findDecision: db.prepare<[string], DecisionDbRow>('SELECT * FROM decisions WHERE decision_id = ? ORDER BY seq'),
    // The ids as one JSON array parameter: one statement whatever their number.
    firstAppearances: db.prepare<[string], DecisionDbRow>('SELECT * FROM decisions WHERE decision_id IN (SELECT value FROM json_each(?)) AND occurrence = 1'),
    findBatch: db.prepare<[string], BatchDbRow>('SELECT * FROM batches WHERE batch_id = ? ORDER BY block_number, tx_index LIMIT 1'),
    eventsAfter: db.prepare<[number, number, number, number], EventDbRow>(
      'SELECT * FROM events WHERE block_number > ? OR (block_number = ? AND tx_index > ?) ORDER BY block_number, tx_index LIMIT ?',
    ),
  };
}

export class SqliteIndexStore implements IndexStore {
  readonly #db: Database.Database;
  readonly #applyBlock: (rows: BlockRows) => void;
  #s: ReturnType<typeof prepareStatements>;
  readonly #searches = new Map<string, Database.Statement<(string | number)[], DecisionDbRow>>();

  constructor(db: Database.Database) {
    this.#db = db;
    db.pragma('journal_mode = WAL');
    // The checkpoint commits with the rows, so a lost tail after a power cut is re-indexed, never half-applied.
    db.pragma('synchronous = NORMAL');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
    // With random subject references, every block's rows land on random pages of the subject index.
    // Checkpointing the WAL every 64 MiB instead of SQLite's 4 MiB copies a page that many blocks touched
    // once, not once per few blocks: 39-44 instead of 56-67 us per decision, measured inserting 270,000
    // decisions with random subjects in blocks of 450. (A reindex of the dev chain, whose bench records
    // share a few subjects, took as long either way.)
    db.pragma('wal_autocheckpoint = 16384');
    this.#createSchema();
    this.#s = prepareStatements(db);
    this.#applyBlock = db.transaction((rows: BlockRows) => this.#apply(rows));
  }

  #createSchema(): void {
    this.#db.exec(TABLES);
    const version = this.#db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(MetaKey.schemaVersion);
    if (version?.value === SCHEMA_VERSION) return;
    // A derived index of another layout is rebuilt from the ledger, not migrated.
    if (version !== undefined) this.#dropAll();
    this.#db.exec(TABLES);
    this.#db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(MetaKey.schemaVersion, SCHEMA_VERSION);
  }

  #lastBlock(): number | undefined {
    const row = this.#s.meta.get(MetaKey.lastBlock);
    return row === undefined ? undefined : Number(row.value);
  }

  async chainId(): Promise<string | undefined> {
    return this.#s.meta.get(MetaKey.chainId)?.value;
  }

  async lastBlock(): Promise<number | undefined> {
    return this.#lastBlock();
  }

  async applyBlock(rows: BlockRows): Promise<void> {
    this.#applyBlock(rows);
  }

  #apply(rows: BlockRows): void {
    const last = this.#lastBlock();
    if (last !== undefined && rows.blockNumber <= last) return;
    const expected = last === undefined ? 0 : last + 1;
    if (rows.blockNumber !== expected) throw new Error(`index expects block ${expected} next, got block ${rows.blockNumber}`);
    const s = this.#s;
    for (const row of rows.modelOwners) s.owner.run(row.modelId, row.ownerMsp);
    for (const b of rows.batches) s.batch.run(b.batchId, b.txId, b.blockNumber, b.txIndex, b.ownerMsp, b.recordedAt, b.count);
    for (const d of rows.decisions) {
      const a = d.anchor;
      const { lastInsertRowid } = s.decision.run(d.decisionId, a.batchId, a.position, a.txId, a.blockNumber, a.txIndex, d.modelId, d.modelVersion,
        d.recordedAt, d.decidedAt, d.subjectRef ?? null, d.outcomeLabel ?? null, d.ownerMsp, JSON.stringify(d.openDriftAlertIds), d.recordSha256, d.recordJson, d.decisionId);
      for (const alertId of d.openDriftAlertIds) s.alert.run(alertId, lastInsertRowid);
    }
    for (const e of rows.events) s.event.run(e.blockNumber, e.txIndex, e.txId, e.name, e.payloadJson, e.modelId ?? null, e.ownerMsp ?? null, e.modelId ?? null, e.at ?? null);
    if (rows.chainId !== undefined) s.setMeta.run(MetaKey.chainId, rows.chainId);
    s.setMeta.run(MetaKey.lastBlock, String(rows.blockNumber));
  }

  async findDecision(decisionId: string): Promise<IndexedDecision[]> {
    return this.#s.findDecision.all(decisionId).map(toDecision);
  }

  async firstAppearances(decisionIds: readonly string[]): Promise<Map<string, IndexedDecision>> {
    const found = new Map<string, IndexedDecision>();
    if (decisionIds.length === 0) return found;
    for (const row of this.#s.firstAppearances.all(JSON.stringify(decisionIds))) found.set(row.decision_id, toDecision(row));
    return found;
  }

  async findBatch(batchId: string): Promise<BatchRow | undefined> {
    const row = this.#s.findBatch.get(batchId);
    return row === undefined ? undefined : toBatch(row);
  }

  async searchDecisions(query: DecisionSearch): Promise<DecisionSearchPage> {
    const params: (string | number)[] = [];
    const where = searchConditions(query, (value) => {
      params.push(value);
      return '?';
    });
    const sql = `SELECT d.* FROM decisions d ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY d.seq LIMIT ?`;
    let statement = this.#searches.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<(string | number)[], DecisionDbRow>(sql);
      this.#searches.set(sql, statement);
    }
    return searchPage(statement.all(...params, query.limit + 1), query.limit);
  }

  async eventsAfter(cursor: EventCursor | undefined, limit: number): Promise<IndexedEvent[]> {
    const after = cursor ?? { blockNumber: -1, txIndex: -1 };
    return this.#s.eventsAfter.all(after.blockNumber, after.blockNumber, after.txIndex, limit).map(toEvent);
  }

  async *scanDecisions(): AsyncIterable<IndexedDecision> {
    // Rows are inserted block by block in ledger order, so seq order is (block, transaction, batch, position) order.
    const statement = this.#db.prepare<[], DecisionDbRow>('SELECT * FROM decisions ORDER BY seq');
    for (const row of statement.iterate()) yield toDecision(row);
  }

  async duplicateDecisionIds(): Promise<DuplicateDecisionId[]> {
    const rows = this.#db
      .prepare<[], DecisionDbRow>('SELECT * FROM decisions WHERE decision_id IN (SELECT decision_id FROM decisions WHERE occurrence > 1) ORDER BY decision_id, seq')
      .iterate();
    return groupDuplicates(rows);
  }

  async stats(): Promise<IndexStats> {
    const count = (table: string): number => this.#db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? 0;
    return { lastBlock: this.#lastBlock(), batches: count('batches'), decisions: count('decisions'), events: count('events') };
  }

  async reset(): Promise<void> {
    this.#dropAll();
    this.#createSchema();
    this.#s = prepareStatements(this.#db);
    this.#searches.clear();
  }

  #dropAll(): void {
    this.#db.exec('DROP TABLE IF EXISTS decision_alerts; DROP TABLE IF EXISTS decisions; DROP TABLE IF EXISTS batches; DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS model_owners; DROP TABLE IF EXISTS meta;');
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
