// Stored drift policies and alerts, with alert index keys by model+state and model+version+state.
import { z } from 'zod';
import { DriftAlert, DriftPolicy } from '../domain/drift.js';
import type { DriftAlertQuery } from '../domain/queries.js';
import { internalError } from '../domain/errors.js';
import { Identifier } from '../domain/primitives.js';
import { KeyType, keys } from './keys.js';
import { collect, decodeCursor, encodeCursor } from './pages.js';
import { decodeValue, readJson, writeJson } from './state.js';
import type { Stub } from './stub.js';

const AlertIndexEntry = z.strictObject({ alertId: Identifier, severity: z.enum(['warning', 'critical']) });

export const getPolicy = (stub: Stub, modelId: string, version: string) => readJson(stub, DriftPolicy, keys.policy(modelId, version));
export const putPolicy = (stub: Stub, policy: DriftPolicy) => writeJson(stub, keys.policy(policy.modelId, policy.version), policy);

export const getAlert = (stub: Stub, alertId: string) => readJson(stub, DriftAlert, keys.alert(alertId));

function indexKeys(alert: DriftAlert): [string, string] {
  return [
    keys.alertByModel(alert.modelId, alert.state, alert.raisedAt, alert.alertId),
    keys.alertByVersion(alert.modelId, alert.modelVersion, alert.state, alert.raisedAt, alert.alertId),
  ];
}

/** Writes the alert and its index keys; when `previous` is given, its index keys (old state) go. */
export async function putAlert(stub: Stub, alert: DriftAlert, previous?: DriftAlert): Promise<void> {
  await writeJson(stub, keys.alert(alert.alertId), alert);
  if (previous !== undefined && previous.state !== alert.state) {
    for (const key of indexKeys(previous)) await stub.deleteState(key);
  }
  if (previous === undefined || previous.state !== alert.state) {
    for (const key of indexKeys(alert)) await writeJson(stub, key, { alertId: alert.alertId, severity: alert.severity });
  }
}

/** Alerts of a model (or one version), optionally in one state, oldest first within a state. */
export async function queryAlerts(stub: Stub, query: DriftAlertQuery): Promise<{ alerts: DriftAlert[]; bookmark: string }> {
  const cursor = decodeCursor(query.bookmark);
  const [type, prefix] =
    query.modelVersion === undefined
      ? [KeyType.alertByModel, [query.modelId, ...(query.state === undefined ? [] : [query.state])]]
      : [KeyType.alertByVersion, [query.modelId, query.modelVersion, ...(query.state === undefined ? [] : [query.state])]];
  const page = await collect(stub, type, prefix, query.pageSize, cursor?.b ?? '', () => 'take');
  const alerts: DriftAlert[] = [];
  for (const entry of page.entries) {
    const { alertId } = decodeValue(AlertIndexEntry, entry.value, entry.key);
    const alert = await getAlert(stub, alertId);
    if (alert === undefined) throw internalError(`alert index entry without alert ${alertId}`);
    alerts.push(alert);
  }
  return { alerts, bookmark: page.bookmark === '' ? '' : encodeCursor({ b: page.bookmark }) };
}
