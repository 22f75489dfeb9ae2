// Shapes of the API answers the console reads: ledger records are the chaincode domain's own types; envelopes follow the OpenAPI document.
import type { DatasetVersion } from '../../chaincode/src/domain/dataset.js';
import type { DecisionRecord } from '../../chaincode/src/domain/decision.js';
import type { DriftAlert, DriftPolicy } from '../../chaincode/src/domain/drift.js';
import type { HistoryEntry } from '../../chaincode/src/domain/history.js';
import type { ModelVersion } from '../../chaincode/src/domain/model.js';
import type { OversightEntry } from '../../chaincode/src/domain/oversight.js';
import type { Role } from './permissions';

export type { DatasetVersion, DecisionRecord, DriftAlert, DriftPolicy, HistoryEntry, ModelVersion, OversightEntry };

export interface Principal {
  id: string;
  org: string;
  role: Role;
  fabricUser: string;
}

export interface WhoAmI {
  principal: Principal;
  ledger: { mspId: string; id: string; roles: string[] };
}

export interface Receipt {
  txId: string;
  blockNumber: string;
}

export interface WriteAnswer<T> {
  result: T;
  receipt: Receipt;
}

export interface LedgerAnchor {
  txId: string;
  blockNumber: string;
  txIndex: number;
  batchId: string;
  position: number;
}

export interface AnchoredDecision {
  decision: DecisionRecord;
  anchor: LedgerAnchor;
  duplicateAnchors: LedgerAnchor[];
}

export interface DecisionSearchPage {
  decisions: AnchoredDecision[];
  bookmark: string;
}

export interface LineageNode {
  kind: 'model' | 'dataset';
  id: string;
  version: string;
  key: string;
  record: ModelVersion | DatasetVersion;
}

export interface LineageGraph {
  root: string;
  direction: 'up' | 'down';
  depth: number;
  nodes: LineageNode[];
  edges: { from: string; to: string; relation: string }[];
  truncated: boolean;
}

export interface DriftAlertPage {
  alerts: DriftAlert[];
  bookmark: string;
}

export interface HistoryAnswer {
  kind: string;
  id: string;
  entries: HistoryEntry[];
}

export interface ExportStatus {
  exportId: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  filter: Record<string, string>;
  ownerMsp?: string;
  requestedBy: { org: string; role: string };
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  counts: { records: number; blocks: number; configBlocks: number };
  bytes: number;
  bundleSha256?: string;
  manifestSha256?: string;
  error?: string;
  statusUrl: string;
  bundleUrl?: string;
}

export interface ExportAccepted {
  exportId: string;
  state: 'queued';
  statusUrl: string;
}
