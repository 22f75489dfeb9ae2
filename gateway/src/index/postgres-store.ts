// The index in PostgreSQL (pg pool): the SQLite store's contract and tables; a block's rows go in a few array statements.
import { Pool, types, type PoolClient, type QueryResultRow } from 'pg';
import { groupDuplicates, MetaKey, searchConditions, searchPage, toBatch, toDecision, toEvent, type BatchDbRow, type DecisionDbRow, type EventDbRow } from './db-rows.js';
import * as sql from './postgres-sql.js';
import type { BatchRow, BlockRows } from './rows.js';
import type { DecisionSearch, DecisionSearchPage, DuplicateDecisionId, EventCursor, IndexedDecision, IndexedEvent, IndexStats, IndexStore } from './store.js';

export interface PostgresIndexOptions {
  /** Keep the tables in this schema (created if missing) instead of the connection's default (public). */
  schema?: string;
  /** Most connections in the pool (default 5: one writer, the rest readers). */
  maxConnections?: number;
  /** Rows per page of scanDecisions (default 1000). */
  scanPageSize?: number;
}

/** The URL with its password replaced by ***, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

// BIGINT (block numbers, seq, counts) as numbers: every value the index stores is far below 2^53.
const INT8_OID = 20;
const typeParsers = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown => (oid === INT8_OID ? Number : types.getTypeParser(oid, format)),
};

/**
 * Connects to the PostgreSQL index at `url` (postgres://user:password@host:port/database). The schema
 * is created on first use; a connection or schema problem surfaces on the first call, naming the URL
 * without its password.
 */
export function openPostgresIndex(url: string, options: PostgresIndexOptions = {}): PostgresIndexStore {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`PostgreSQL index schema ${JSON.stringify(schema)} must be a lower-case SQL identifier`);
  const pool = new Pool({
    connectionString: url,
    max: options.maxConnections ?? 5,
    application_name: 'aiaudit-index',
    types: typeParsers,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  return new PostgresIndexStore(pool, { ...options, where: redactDatabaseUrl(url) });
}

export class PostgresIndexStore implements IndexStore {
  readonly #pool: Pool;
  readonly #ready: Promise<void>;
  readonly #scanPageSize: number;
  #closed = false;

  constructor(pool: Pool, options: PostgresIndexOptions & { where: string }) {
    this.#pool = pool;
    this.#scanPageSize = options.scanPageSize ?? 1000;
    // An idle connection dropped by the server is replaced by the pool; the next query reports real trouble.
    pool.on('error', () => undefined);
    this.#ready = this.#createSchema(options.schema).catch((err: unknown) => {
      throw new Error(`cannot open the PostgreSQL index at ${options.where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
    // Reported by the first call that awaits it, not as an unhandled rejection.
    this.#ready.catch(() => undefined);
  }

  async #createSchema(schema: string | undefined): Promise<void> {
    await this.#transaction(async (c) => {
      await c.query(sql.LOCK_SCHEMA);
      if (schema !== undefined) await c.query(sql.createSchemaIn(schema));
      await c.query(sql.CREATE_META);
      const version = (await c.query<{ value: string }>(sql.GET_META, [MetaKey.schemaVersion])).rows[0]?.value;
      if (version === sql.SCHEMA_VERSION) return;
      // A derived index of another layout is rebuilt from the ledger, not migrated.
      if (version !== undefined) await c.query(sql.DROP_TABLES);
      await c.query(sql.CREATE_TABLES);
      await c.query(sql.SET_META, [MetaKey.schemaVersion, sql.SCHEMA_VERSION]);
    });
  }

  async #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async #query<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.#ready;
    return (await this.#pool.query<R>(text, values)).rows;
  }

  async #meta(key: string): Promise<string | undefined> {
    return (await this.#query<{ value: string }>(sql.GET_META, [key]))[0]?.value;
  }

  async lastBlock(): Promise<number | undefined> {
    const value = await this.#meta(MetaKey.lastBlock);
    return value === undefined ? undefined : Number(value);
  }

  async chainId(): Promise<string | undefined> {
    return this.#meta(MetaKey.chainId);
  }

  async applyBlock(rows: BlockRows): Promise<void> {
    await this.#ready;
    await this.#transaction(async (c) => {
      const meta = (await c.query<{ key: string; value: string }>(sql.LOCK_CHECKPOINT)).rows;
      const lastValue = meta.find((row) => row.key === MetaKey.lastBlock)?.value;
      const last = lastValue === undefined ? undefined : Number(lastValue);
      if (last !== undefined && rows.blockNumber <= last) return;
      const expected = last === undefined ? 0 : last + 1;
      if (rows.blockNumber !== expected) throw new Error(`index expects block ${expected} next, got block ${rows.blockNumber}`);
      await insertRows(c, rows);
      if (rows.chainId !== undefined) await c.query(sql.SET_META, [MetaKey.chainId, rows.chainId]);
      await c.query(sql.SET_META, [MetaKey.lastBlock, String(rows.blockNumber)]);
    });
  }

  async findDecision(decisionId: string): Promise<IndexedDecision[]> {
    return (await this.#query<DecisionDbRow>(sql.FIND_DECISION, [decisionId])).map(toDecision);
  }

  async firstAppearances(decisionIds: readonly string[]): Promise<Map<string, IndexedDecision>> {
    const found = new Map<string, IndexedDecision>();
    if (decisionIds.length === 0) return found;
    for (const row of await this.#query<DecisionDbRow>(sql.FIRST_APPEARANCES, [decisionIds])) found.set(row.decision_id, toDecision(row));
    return found;
  }

  async findBatch(batchId: string): Promise<BatchRow | undefined> {
    const row = (await this.#query<BatchDbRow>(sql.FIND_BATCH, [batchId]))[0];
    return row === undefined ? undefined : toBatch(row);
  }

  async searchDecisions(query: DecisionSearch): Promise<DecisionSearchPage> {
    const params: (string | number)[] = [];
    const param = (value: string | number): string => `$${params.push(value)}`;
    const where = searchConditions(query, param);
    const text = sql.searchSql(where, param(query.limit + 1));
    return searchPage(await this.#query<DecisionDbRow>(text, params), query.limit);
  }

  async eventsAfter(cursor: EventCursor | undefined, limit: number): Promise<IndexedEvent[]> {
    const after = cursor ?? { blockNumber: -1, txIndex: -1 };
    return (await this.#query<EventDbRow>(sql.EVENTS_AFTER, [after.blockNumber, after.txIndex, limit])).map(toEvent);
  }

  async *scanDecisions(): AsyncIterable<IndexedDecision> {
    // Keyset pages in seq order (= ledger order): memory stays at one page whatever the index holds.
    let afterSeq = 0;
    for (;;) {
      const page = await this.#query<DecisionDbRow>(sql.SCAN_DECISIONS, [afterSeq, this.#scanPageSize]);
      for (const row of page) yield toDecision(row);
      const last = page[page.length - 1];
      if (last === undefined || page.length < this.#scanPageSize) return;
      afterSeq = last.seq;
    }
  }

  async duplicateDecisionIds(): Promise<DuplicateDecisionId[]> {
    return groupDuplicates(await this.#query<DecisionDbRow>(sql.DUPLICATES));
  }

  async stats(): Promise<IndexStats> {
    const row = (await this.#query<{ last_block: string | null; batches: number; decisions: number; events: number }>(sql.STATS))[0];
    return {
      lastBlock: row?.last_block == null ? undefined : Number(row.last_block),
      batches: row?.batches ?? 0,
      decisions: row?.decisions ?? 0,
      events: row?.events ?? 0,
    };
  }

  async reset(): Promise<void> {
    await this.#ready;
    await this.#transaction(async (c) => {
      await c.query(sql.TRUNCATE_TABLES);
      await c.query(sql.CLEAR_META);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ready.catch(() => undefined);
    await this.#pool.end();
  }
}

/** A block's rows in one statement per table (a 500-decision block is a handful of round trips, not 500). */
async function insertRows(c: PoolClient, rows: BlockRows): Promise<void> {
  const { modelOwners: owners, batches, decisions, events } = rows;
  if (owners.length > 0) await c.query(sql.INSERT_OWNERS, [owners.map((o) => o.modelId), owners.map((o) => o.ownerMsp)]);
  if (batches.length > 0) {
    await c.query(sql.INSERT_BATCHES, [
      batches.map((b) => b.batchId), batches.map((b) => b.txId), batches.map((b) => b.blockNumber), batches.map((b) => b.txIndex),
      batches.map((b) => b.ownerMsp), batches.map((b) => b.recordedAt), batches.map((b) => b.count),
    ]);
  }
  if (decisions.length > 0) {
    const maxSeq = (await c.query<{ max_seq: number }>(sql.MAX_SEQ)).rows[0]?.max_seq ?? 0;
    // The n-th appearance of an id on the ledger: those already indexed, then earlier ones in this block.
    const seen = new Map<string, number>();
    const ids = [...new Set(decisions.map((d) => d.decisionId))];
    for (const row of (await c.query<{ decision_id: string; n: number }>(sql.OCCURRENCES, [ids])).rows) seen.set(row.decision_id, row.n);
    const occurrences = decisions.map((d) => {
      const n = (seen.get(d.decisionId) ?? 0) + 1;
      seen.set(d.decisionId, n);
      return n;
    });
    const seqs = decisions.map((_, i) => maxSeq + i + 1);
    await c.query(sql.INSERT_DECISIONS, [
      seqs, decisions.map((d) => d.decisionId), decisions.map((d) => d.anchor.batchId), decisions.map((d) => d.anchor.position),
      decisions.map((d) => d.anchor.txId), decisions.map((d) => d.anchor.blockNumber), decisions.map((d) => d.anchor.txIndex),
      decisions.map((d) => d.modelId), decisions.map((d) => d.modelVersion), decisions.map((d) => d.recordedAt), decisions.map((d) => d.decidedAt),
      decisions.map((d) => d.subjectRef ?? null), decisions.map((d) => d.outcomeLabel ?? null), decisions.map((d) => d.ownerMsp),
      decisions.map((d) => JSON.stringify(d.openDriftAlertIds)), decisions.map((d) => d.recordSha256), decisions.map((d) => d.recordJson), occurrences,
    ]);
    const alerts = decisions.flatMap((d, i) => d.openDriftAlertIds.map((alertId) => [alertId, seqs[i] ?? 0] as const));
    if (alerts.length > 0) await c.query(sql.INSERT_ALERTS, [alerts.map(([alertId]) => alertId), alerts.map(([, seq]) => seq)]);
  }
  if (events.length > 0) {
    await c.query(sql.INSERT_EVENTS, [
      events.map((e) => e.blockNumber), events.map((e) => e.txIndex), events.map((e) => e.txId), events.map((e) => e.name),
      events.map((e) => e.payloadJson), events.map((e) => e.modelId ?? null), events.map((e) => e.ownerMsp ?? null), events.map((e) => e.at ?? null),
    ]);
  }
}
