// The key layout: every state key the chaincode writes, built and parsed in one place.
import { internalError } from '../domain/errors.js';

/**
 * Key layout. Composite keys are Fabric's: U+0000 objectType U+0000 attr U+0000 … ; all
 * attributes are validated identifiers (or an MSP id / identity id without U+0000).
 *
 * | object type       | attributes                                               | value                          | written by |
 * |-------------------|----------------------------------------------------------|--------------------------------|------------|
 * | dataset           | datasetId, version                                       | DatasetVersion                 | RegisterDatasetVersion |
 * | model             | modelId, version                                         | ModelVersion                   | RegisterModelVersion, ChangeModelStatus, RaiseDriftAlert, TransitionDriftAlert |
 * | owner             | kind (model/dataset), id                                 | {kind,id,ownerMsp,registeredAt}| first version of an id |
 * | lineage-child     | parentKind, parentId, parentVersion, childKind, childId, childVersion | {relation}        | registration (one per parent edge) |
 * | batch             | batchId                                                  | DecisionBatch (all records)    | RecordDecisions |
 * | batch-by-model    | modelId, modelVersion, day, txTime, batchId              | BatchIndexEntry                | RecordDecisions (one per model version in the batch) |
 * | batch-by-day      | day, txTime, batchId                                     | BatchIndexEntry                | RecordDecisions (one per batch) |
 * | oversight         | batchId, decisionId, oversightId                         | OversightEntry                 | AddOversight |
 * | purge-log         | batchId, decisionId, txId                                | PurgeLogEntry                  | PurgePrivateInputs |
 * | policy            | modelId, version                                         | DriftPolicy                    | SetDriftPolicy |
 * | alert             | alertId                                                  | DriftAlert                     | RaiseDriftAlert, TransitionDriftAlert |
 * | alert-by-model    | modelId, state, raisedAt, alertId                        | AlertIndexEntry                | raise / transition (moved on state change) |
 * | alert-by-version  | modelId, version, state, raisedAt, alertId               | AlertIndexEntry                | raise / transition (moved on state change) |
 * | grant             | mspId, identityId                                        | RoleGrant                      | GrantRole, RevokeRole |
 * | private-input     | batchId, decisionId  (collection operatorPrivateInputs)  | PrivateInputRecord             | StorePrivateInputs; purged by PurgePrivateInputs |
 *
 * `day` is YYYY-MM-DD and `txTime` the RFC 3339 UTC ledger time with milliseconds, so keys
 * sort by time. No counters or per-decision keys: a batch of N decisions for V model
 * versions writes 2 + V keys.
 */
export const KeyType = {
  dataset: 'dataset',
  model: 'model',
  owner: 'owner',
  lineageChild: 'lineage-child',
  batch: 'batch',
  batchByModel: 'batch-by-model',
  batchByDay: 'batch-by-day',
  oversight: 'oversight',
  purgeLog: 'purge-log',
  policy: 'policy',
  alert: 'alert',
  alertByModel: 'alert-by-model',
  alertByVersion: 'alert-by-version',
  grant: 'grant',
  privateInput: 'private-input',
} as const;
export type KeyType = (typeof KeyType)[keyof typeof KeyType];

const SEPARATOR = '\u0000';
const MAX_RUNE = '\u{10ffff}';

/** Fabric's composite key encoding (identical to ChaincodeStub.createCompositeKey). */
export function compositeKey(type: KeyType, attributes: readonly string[]): string {
  for (const attribute of attributes) {
    if (attribute === '' || attribute.includes(SEPARATOR) || attribute.includes(MAX_RUNE)) {
      throw internalError(`invalid ${type} key attribute ${JSON.stringify(attribute)}`);
    }
  }
  return `${SEPARATOR}${type}${SEPARATOR}${attributes.map((a) => `${a}${SEPARATOR}`).join('')}`;
}

/** Splits a composite key into its type and attributes; undefined for a simple key. */
export function splitKey(key: string): { type: string; attributes: string[] } | undefined {
  if (!key.startsWith(SEPARATOR) || !key.endsWith(SEPARATOR)) return undefined;
  const [type = '', ...attributes] = key.slice(1, -1).split(SEPARATOR);
  return { type, attributes };
}

export const keys = {
  dataset: (datasetId: string, version: string) => compositeKey(KeyType.dataset, [datasetId, version]),
  model: (modelId: string, version: string) => compositeKey(KeyType.model, [modelId, version]),
  owner: (kind: 'model' | 'dataset', id: string) => compositeKey(KeyType.owner, [kind, id]),
  lineageChild: (parent: readonly [string, string, string], child: readonly [string, string, string]) =>
    compositeKey(KeyType.lineageChild, [...parent, ...child]),
  batch: (batchId: string) => compositeKey(KeyType.batch, [batchId]),
  batchByModel: (modelId: string, version: string, day: string, txTime: string, batchId: string) =>
    compositeKey(KeyType.batchByModel, [modelId, version, day, txTime, batchId]),
  batchByDay: (day: string, txTime: string, batchId: string) => compositeKey(KeyType.batchByDay, [day, txTime, batchId]),
  oversight: (batchId: string, decisionId: string, oversightId: string) =>
    compositeKey(KeyType.oversight, [batchId, decisionId, oversightId]),
  purgeLog: (batchId: string, decisionId: string, txId: string) => compositeKey(KeyType.purgeLog, [batchId, decisionId, txId]),
  policy: (modelId: string, version: string) => compositeKey(KeyType.policy, [modelId, version]),
  alert: (alertId: string) => compositeKey(KeyType.alert, [alertId]),
  alertByModel: (modelId: string, state: string, raisedAt: string, alertId: string) =>
    compositeKey(KeyType.alertByModel, [modelId, state, raisedAt, alertId]),
  alertByVersion: (modelId: string, version: string, state: string, raisedAt: string, alertId: string) =>
    compositeKey(KeyType.alertByVersion, [modelId, version, state, raisedAt, alertId]),
  grant: (mspId: string, identityId: string) => compositeKey(KeyType.grant, [mspId, identityId]),
  privateInput: (batchId: string, decisionId: string) => compositeKey(KeyType.privateInput, [batchId, decisionId]),
};
