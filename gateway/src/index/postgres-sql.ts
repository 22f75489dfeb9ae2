// Every statement of the PostgreSQL index: the schema (same tables as SQLite) and the queries postgres-store.ts runs.
import { MetaKey } from './db-rows.js';

/** 3: the layout of sqlite-store.ts's version 3 (chain id in meta). Another version is dropped and rebuilt. */
export const SCHEMA_VERSION = '3';

/** Serialises schema creation between processes opening the same database (gateway, export module, CLI). */
export const LOCK_SCHEMA = 'SELECT pg_advisory_xact_lock(7306514175)';

export const createSchemaIn = (schema: string): string => `CREATE SCHEMA IF NOT EXISTS "${schema}"`;

// Text that is compared or ordered uses the C collation: byte order, as in SQLite, whatever the database's locale.
export const CREATE_META = 'CREATE TABLE IF NOT EXISTS meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL)';

export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS batches (
  batch_id TEXT COLLATE "C" NOT NULL, tx_id TEXT NOT NULL, block_number BIGINT NOT NULL, tx_index INTEGER NOT NULL,
  owner_msp TEXT NOT NULL, recorded_at TEXT COLLATE "C" NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (block_number, tx_index, batch_id));
CREATE INDEX IF NOT EXISTS batches_by_id ON batches (batch_id);
CREATE TABLE IF NOT EXISTS decisions (
  seq BIGINT PRIMARY KEY,
  decision_id TEXT COLLATE "C" NOT NULL, batch_id TEXT COLLATE "C" NOT NULL, position INTEGER NOT NULL,
  tx_id TEXT NOT NULL, block_number BIGINT NOT NULL, tx_index INTEGER NOT NULL,
  model_id TEXT COLLATE "C" NOT NULL, model_version TEXT COLLATE "C" NOT NULL,
  recorded_at TEXT COLLATE "C" NOT NULL, decided_at TEXT COLLATE "C" NOT NULL,
  subject_ref TEXT COLLATE "C", outcome_label TEXT, owner_msp TEXT COLLATE "C" NOT NULL, open_alert_ids TEXT NOT NULL,
  record_sha256 TEXT NOT NULL, record_json TEXT NOT NULL, occurrence INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS decisions_by_id ON decisions (decision_id);
CREATE INDEX IF NOT EXISTS decisions_by_model ON decisions (model_id, model_version, seq);
CREATE INDEX IF NOT EXISTS decisions_by_subject ON decisions (subject_ref, seq) WHERE subject_ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS decisions_by_owner ON decisions (owner_msp, seq);
CREATE INDEX IF NOT EXISTS decisions_repeated ON decisions (decision_id) WHERE occurrence > 1;
CREATE TABLE IF NOT EXISTS decision_alerts (alert_id TEXT COLLATE "C" NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (alert_id, seq));
CREATE TABLE IF NOT EXISTS events (
  block_number BIGINT NOT NULL, tx_index INTEGER NOT NULL, tx_id TEXT NOT NULL, name TEXT NOT NULL,
  payload_json TEXT NOT NULL, model_id TEXT, owner_msp TEXT, at TEXT,
  PRIMARY KEY (block_number, tx_index));
CREATE TABLE IF NOT EXISTS model_owners (model_id TEXT COLLATE "C" PRIMARY KEY, owner_msp TEXT NOT NULL);
`;

const DATA_TABLES = 'decision_alerts, decisions, batches, events, model_owners';
export const DROP_TABLES = `DROP TABLE IF EXISTS ${DATA_TABLES}; DELETE FROM meta`;
export const TRUNCATE_TABLES = `TRUNCATE ${DATA_TABLES}`;
export const CLEAR_META = `DELETE FROM meta WHERE key <> '${MetaKey.schemaVersion}'`;

export const GET_META = 'SELECT value FROM meta WHERE key = $1';
export const SET_META = 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

/** Taken by applyBlock: the schema_version row always exists, so locking it serialises every writer. */
export const LOCK_CHECKPOINT = `SELECT key, value FROM meta WHERE key IN ('${MetaKey.schemaVersion}', '${MetaKey.lastBlock}') FOR UPDATE`;

export const MAX_SEQ = 'SELECT COALESCE(MAX(seq), 0) AS max_seq FROM decisions';
export const OCCURRENCES = 'SELECT decision_id, COUNT(*) AS n FROM decisions WHERE decision_id = ANY($1::text[]) GROUP BY decision_id';

// One statement per table and block: the rows travel as arrays and unnest back into rows.
export const INSERT_OWNERS = `INSERT INTO model_owners (model_id, owner_msp)
  SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (model_id) DO NOTHING`;

export const INSERT_BATCHES = `INSERT INTO batches (batch_id, tx_id, block_number, tx_index, owner_msp, recorded_at, count)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::text[], $6::text[], $7::int[]) ON CONFLICT DO NOTHING`;

export const INSERT_DECISIONS = `INSERT INTO decisions (seq, decision_id, batch_id, position, tx_id, block_number, tx_index, model_id, model_version,
    recorded_at, decided_at, subject_ref, outcome_label, owner_msp, open_alert_ids, record_sha256, record_json, occurrence)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::bigint[], $7::int[], $8::text[], $9::text[],
    $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::int[])`;

export const INSERT_ALERTS = `INSERT INTO decision_alerts (alert_id, seq) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING`;

/** An event without an owner in its payload takes its model's owner (registered in this block or before). */
export const INSERT_EVENTS = `INSERT INTO events (block_number, tx_index, tx_id, name, payload_json, model_id, owner_msp, at)
  SELECT u.block_number, u.tx_index, u.tx_id, u.name, u.payload_json, u.model_id,
    COALESCE(u.owner_msp, (SELECT m.owner_msp FROM model_owners m WHERE m.model_id = u.model_id)), u.at
  FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
    AS u (block_number, tx_index, tx_id, name, payload_json, model_id, owner_msp, at)
  ON CONFLICT DO NOTHING`;

export const FIND_DECISION = 'SELECT * FROM decisions WHERE decision_id = $1 ORDER BY seq';
export const FIRST_APPEARANCES = 'SELECT * FROM decisions WHERE decision_id = ANY($1::text[]) AND occurrence = 1';
export const FIND_BATCH = 'SELECT * FROM batches WHERE batch_id = $1 ORDER BY block_number, tx_index LIMIT 1';
export const EVENTS_AFTER = 'SELECT * FROM events WHERE block_number > $1 OR (block_number = $1 AND tx_index > $2) ORDER BY block_number, tx_index LIMIT $3';
/** One page of the ledger-order scan (keyset on seq). */
export const SCAN_DECISIONS = 'SELECT * FROM decisions WHERE seq > $1 ORDER BY seq LIMIT $2';
export const DUPLICATES = 'SELECT * FROM decisions WHERE decision_id IN (SELECT decision_id FROM decisions WHERE occurrence > 1) ORDER BY decision_id, seq';
export const STATS = `SELECT (SELECT value FROM meta WHERE key = '${MetaKey.lastBlock}') AS last_block,
  (SELECT COUNT(*) FROM batches) AS batches, (SELECT COUNT(*) FROM decisions) AS decisions, (SELECT COUNT(*) FROM events) AS events`;

/** A search over `decisions d` with the given conditions; the limit is the last parameter. */
export const searchSql = (where: readonly string[], limitParam: string): string =>
  `SELECT d.* FROM decisions d ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY d.seq LIMIT ${limitParam}`;
