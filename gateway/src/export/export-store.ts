// Export jobs in SQLite (better-sqlite3, in the data folder): who asked for what, progress, and the finished bundle's digest.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ExportFilter } from '@aiaudit/verifier';

/** `expired`: finished, and its bundle deleted after the retention period (the job and its digests stay as a record). */
export type ExportState = 'queued' | 'running' | 'done' | 'failed' | 'expired';

export interface ExportRequester {
  /** Principal id (for the audit trail). */
  principalId: string;
  org: string;
  role: string;
  /** The Fabric user whose identity reads the ledger for this export. */
  fabricUser: string;
}

export interface ExportJob {
  id: string;
  state: ExportState;
  filter: ExportFilter;
  /** Only this org's decisions (officer exports); undefined for a regulator's. */
  ownerMsp: string | undefined;
  requester: ExportRequester;
  createdAt: string;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  records: number;
  blocks: number;
  configBlocks: number;
  /** Bytes written so far (running) or the archive's size (done). */
  bytes: number;
  bundleSha256: string | undefined;
  manifestSha256: string | undefined;
  error: string | undefined;
}

interface JobRow {
  id: string;
  state: ExportState;
  filter_json: string;
  owner_msp: string | null;
  requester_json: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  records: number;
  blocks: number;
  config_blocks: number;
  bytes: number;
  bundle_sha256: string | null;
  manifest_sha256: string | null;
  error: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS exports (
  id TEXT PRIMARY KEY, state TEXT NOT NULL, filter_json TEXT NOT NULL, owner_msp TEXT, requester_json TEXT NOT NULL,
  created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
  records INTEGER NOT NULL DEFAULT 0, blocks INTEGER NOT NULL DEFAULT 0, config_blocks INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,
  bundle_sha256 TEXT, manifest_sha256 TEXT, error TEXT);
CREATE INDEX IF NOT EXISTS exports_by_state ON exports (state, created_at);
`;

function parseObject(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : {};
}

const text = (object: Record<string, unknown>, name: string): string | undefined => {
  const value = object[name];
  return typeof value === 'string' ? value : undefined;
};

function toJob(row: JobRow): ExportJob {
  const filterObject = parseObject(row.filter_json);
  const filter: ExportFilter = {};
  for (const name of ['modelId', 'modelVersion', 'from', 'to', 'subjectRef', 'alertId'] as const) {
    const value = text(filterObject, name);
    if (value !== undefined) filter[name] = value;
  }
  const requester = parseObject(row.requester_json);
  return {
    id: row.id,
    state: row.state,
    filter,
    ownerMsp: row.owner_msp ?? undefined,
    requester: { principalId: text(requester, 'principalId') ?? '', org: text(requester, 'org') ?? '', role: text(requester, 'role') ?? '', fabricUser: text(requester, 'fabricUser') ?? '' },
    createdAt: row.created_at,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
    records: row.records,
    blocks: row.blocks,
    configBlocks: row.config_blocks,
    bytes: row.bytes,
    bundleSha256: row.bundle_sha256 ?? undefined,
    manifestSha256: row.manifest_sha256 ?? undefined,
    error: row.error ?? undefined,
  };
}

export class ExportStore {
  readonly #db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(SCHEMA);
  }

  create(job: Pick<ExportJob, 'id' | 'filter' | 'ownerMsp' | 'requester' | 'createdAt'>): ExportJob {
    this.#db
      .prepare('INSERT INTO exports (id, state, filter_json, owner_msp, requester_json, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(job.id, 'queued', JSON.stringify(job.filter), job.ownerMsp ?? null, JSON.stringify(job.requester), job.createdAt);
    const created = this.get(job.id);
    if (created === undefined) throw new Error(`export ${job.id} was not stored`);
    return created;
  }

  get(id: string): ExportJob | undefined {
    const row = this.#db.prepare<[string], JobRow>('SELECT * FROM exports WHERE id = ?').get(id);
    return row === undefined ? undefined : toJob(row);
  }

  /** Jobs not finished, oldest first (after a restart they run again from the start). */
  unfinished(): ExportJob[] {
    return this.#db.prepare<[], JobRow>("SELECT * FROM exports WHERE state IN ('queued', 'running') ORDER BY created_at, id").all().map(toJob);
  }

  markRunning(id: string, startedAt: string): void {
    this.#db.prepare("UPDATE exports SET state = 'running', started_at = ?, records = 0, blocks = 0, config_blocks = 0, bytes = 0, error = NULL WHERE id = ?").run(startedAt, id);
  }

  progress(id: string, counts: { records: number; blocks: number; configBlocks: number; bytes: number }): void {
    this.#db.prepare('UPDATE exports SET records = ?, blocks = ?, config_blocks = ?, bytes = ? WHERE id = ?').run(counts.records, counts.blocks, counts.configBlocks, counts.bytes, id);
  }

  markDone(id: string, result: { finishedAt: string; records: number; blocks: number; configBlocks: number; bytes: number; bundleSha256: string; manifestSha256: string }): void {
    this.#db
      .prepare("UPDATE exports SET state = 'done', finished_at = ?, records = ?, blocks = ?, config_blocks = ?, bytes = ?, bundle_sha256 = ?, manifest_sha256 = ? WHERE id = ?")
      .run(result.finishedAt, result.records, result.blocks, result.configBlocks, result.bytes, result.bundleSha256, result.manifestSha256, id);
  }

  /** Marks every finished job that finished before `cutoff` (ISO time) as expired; returns their ids. */
  expireFinishedBefore(cutoff: string): string[] {
    return this.#db.transaction(() => {
      const ids = this.#db.prepare<[string], { id: string }>("SELECT id FROM exports WHERE state IN ('done', 'failed') AND finished_at < ? ORDER BY finished_at").all(cutoff).map((r) => r.id);
      const mark = this.#db.prepare<[string]>("UPDATE exports SET state = 'expired' WHERE id = ?");
      for (const id of ids) mark.run(id);
      return ids;
    })();
  }

  markFailed(id: string, finishedAt: string, error: string): void {
    this.#db.prepare("UPDATE exports SET state = 'failed', finished_at = ?, error = ? WHERE id = ?").run(finishedAt, error, id);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
