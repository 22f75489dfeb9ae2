// What both index stores share: the tables' row shapes, their mapping to the contract's types, and the search filters.
import type { BatchRow } from './rows.js';
import type { DecisionSearch, IndexedDecision, IndexedEvent } from './store.js';

/** A decisions row as both databases return it (PostgreSQL's BIGINTs are parsed to numbers by its store). */
export interface DecisionDbRow {
  seq: number;
  decision_id: string;
  batch_id: string;
  position: number;
  tx_id: string;
  block_number: number;
  tx_index: number;
  model_id: string;
  model_version: string;
  recorded_at: string;
  decided_at: string;
  subject_ref: string | null;
  outcome_label: string | null;
  owner_msp: string;
  /** JSON array of alert ids. */
  open_alert_ids: string;
  record_sha256: string;
  record_json: string;
  occurrence: number;
}

export interface BatchDbRow {
  batch_id: string;
  tx_id: string;
  block_number: number;
  tx_index: number;
  owner_msp: string;
  recorded_at: string;
  count: number;
}

export interface EventDbRow {
  block_number: number;
  tx_index: number;
  tx_id: string;
  name: string;
  payload_json: string;
  model_id: string | null;
  owner_msp: string | null;
  at: string | null;
}

/** Keys of the meta table (key/value text). */
export const MetaKey = {
  schemaVersion: 'schema_version',
  lastBlock: 'last_block',
  /** Hex SHA-256 data hash of the channel's block 0 (see chain-id.ts). */
  chainId: 'chain_id',
} as const;

export function toDecision(row: DecisionDbRow): IndexedDecision {
  const alerts: unknown = JSON.parse(row.open_alert_ids);
  return {
    seq: row.seq,
    occurrence: row.occurrence,
    decisionId: row.decision_id,
    anchor: { txId: row.tx_id, blockNumber: row.block_number, txIndex: row.tx_index, batchId: row.batch_id, position: row.position },
    modelId: row.model_id,
    modelVersion: row.model_version,
    recordedAt: row.recorded_at,
    decidedAt: row.decided_at,
    subjectRef: row.subject_ref ?? undefined,
    outcomeLabel: row.outcome_label ?? undefined,
    ownerMsp: row.owner_msp,
    openDriftAlertIds: Array.isArray(alerts) ? alerts.filter((a): a is string => typeof a === 'string') : [],
    recordSha256: row.record_sha256,
    recordJson: row.record_json,
  };
}

export function toBatch(row: BatchDbRow): BatchRow {
  return { batchId: row.batch_id, txId: row.tx_id, blockNumber: row.block_number, txIndex: row.tx_index, ownerMsp: row.owner_msp, recordedAt: row.recorded_at, count: row.count };
}

export function toEvent(row: EventDbRow): IndexedEvent {
  return {
    id: `${row.block_number}:${row.tx_index}`,
    blockNumber: row.block_number,
    txIndex: row.tx_index,
    txId: row.tx_id,
    name: row.name,
    payload: JSON.parse(row.payload_json),
    modelId: row.model_id ?? undefined,
    ownerMsp: row.owner_msp ?? undefined,
    at: row.at ?? undefined,
  };
}

/**
 * The WHERE conditions of a decision search over `decisions d` (standard SQL both databases run);
 * `param` adds a value and returns its placeholder (`?` for SQLite, `$n` for PostgreSQL).
 */
export function searchConditions(query: DecisionSearch, param: (value: string | number) => string): string[] {
  const where: string[] = [];
  const add = (sql: (placeholder: string) => string, value: string | number | undefined): void => {
    if (value !== undefined) where.push(sql(param(value)));
  };
  add((p) => `d.owner_msp = ${p}`, query.ownerMsp);
  add((p) => `d.model_id = ${p}`, query.modelId);
  add((p) => `d.model_version = ${p}`, query.modelVersion);
  add((p) => `d.recorded_at >= ${p}`, query.from);
  add((p) => `d.recorded_at <= ${p}`, query.to);
  add((p) => `d.subject_ref = ${p}`, query.subjectRef);
  add((p) => `d.seq IN (SELECT seq FROM decision_alerts WHERE alert_id = ${p})`, query.alertId);
  add((p) => `d.seq > ${p}`, query.afterSeq);
  return where;
}

/** Cuts a `limit + 1` row answer into the page and the cursor of the next one. */
export function searchPage(rows: readonly DecisionDbRow[], limit: number): { decisions: IndexedDecision[]; nextAfterSeq: number | undefined } {
  const page = rows.slice(0, limit).map(toDecision);
  return { decisions: page, nextAfterSeq: rows.length > limit ? page[page.length - 1]?.seq : undefined };
}

/** Groups rows ordered by (decision_id, seq) into each duplicated id's anchors. */
export function groupDuplicates(rows: Iterable<DecisionDbRow>): { decisionId: string; anchors: IndexedDecision['anchor'][] }[] {
  const out: { decisionId: string; anchors: IndexedDecision['anchor'][] }[] = [];
  for (const row of rows) {
    const decision = toDecision(row);
    const last = out[out.length - 1];
    if (last?.decisionId === decision.decisionId) last.anchors.push(decision.anchor);
    else out.push({ decisionId: decision.decisionId, anchors: [decision.anchor] });
  }
  return out;
}
