// RaiseDriftAlert, TransitionDriftAlert and alert reads: severity from the policy, auto-suspension, the open-alert list.
import { AlertTransitionInput, DriftAlertInput, type DriftAlert } from '../../domain/drift.js';
import { assessDrift, checkAlertTransition, isClosed } from '../../domain/drift-rules.js';
import { notFound, preconditionFailed } from '../../domain/errors.js';
import { EventName } from '../../domain/events.js';
import type { ModelStatus, ModelVersion, StatusChange } from '../../domain/model.js';
import { canTransition, withStatus } from '../../domain/model-status.js';
import { Identifier } from '../../domain/primitives.js';
import { DriftAlertQuery } from '../../domain/queries.js';
import { parseJsonArg, parseStringArg } from '../../domain/validation.js';
import { getAlert, putAlert, queryAlerts } from '../../ledger/drift-store.js';
import { getOwnership, putModel } from '../../ledger/lineage-store.js';
import type { Tx } from '../tx.js';
import { policyFor } from './drift-policy.js';
import { replayOrConflict } from './idempotency.js';
import { requireModel } from './model-status.js';

export interface RaisedAlert {
  alert: DriftAlert;
  modelStatus: ModelStatus;
  /** Present when this transaction suspended the version (critical alert, onCritical=suspend). */
  modelStatusChange?: { from: ModelStatus; to: ModelStatus; reason: string; by: string; at: string; alertId: string };
}

export async function raiseDriftAlert(tx: Tx, text: string): Promise<RaisedAlert> {
  const input = parseJsonArg(DriftAlertInput, text, 'alert');
  const model = await requireModel(tx, input.modelId, input.modelVersion, 'modelVersion');
  await tx.requireRole('raiseDriftAlert', model.ownerMsp);
  const existing = await getAlert(tx.stub, input.alertId);
  if (existing !== undefined) {
    const alert = replayOrConflict(existing, input, Object.keys(DriftAlertInput.shape), 'alertId', `drift alert ${input.alertId}`);
    return { alert, modelStatus: model.status };
  }
  if (model.status === 'retired') throw preconditionFailed('modelVersion', 'the model version is retired: no alerts are raised on it');

  const policy = await policyFor(tx, input.modelId, input.modelVersion);
  const { severity, threshold } = assessDrift(policy, input.metric, input.value);
  const alert: DriftAlert = {
    ...input,
    threshold,
    severity,
    state: 'open',
    transitions: [{ state: 'open', by: tx.caller.id, at: tx.time }],
    ownerMsp: model.ownerMsp,
    raisedBy: tx.caller.id,
    raisedAt: tx.time,
  };
  let updated: ModelVersion = { ...model, openDriftAlertIds: [...model.openDriftAlertIds, alert.alertId] };
  let change: RaisedAlert['modelStatusChange'];
  if (severity === 'critical' && policy.onCritical === 'suspend' && canTransition(model.status, 'suspended')) {
    const reason = `critical drift: ${input.metric}=${input.value} crossed ${threshold} (onCritical=suspend)`;
    const suspension: StatusChange = { status: 'suspended', by: tx.caller.id, at: tx.time, reason, alertId: alert.alertId };
    updated = withStatus(updated, suspension);
    change = { from: model.status, to: 'suspended', reason, by: tx.caller.id, at: tx.time, alertId: alert.alertId };
  }
  await putAlert(tx.stub, alert);
  await putModel(tx.stub, updated);
  tx.emit(EventName.DriftAlertRaised, {
    alertId: alert.alertId,
    modelId: alert.modelId,
    version: alert.modelVersion,
    metric: alert.metric,
    value: alert.value,
    threshold,
    severity,
    modelStatusChange: change,
  });
  return { alert, modelStatus: updated.status, modelStatusChange: change };
}

export async function transitionDriftAlert(tx: Tx, text: string): Promise<DriftAlert> {
  const input = parseJsonArg(AlertTransitionInput, text, 'transition');
  const alert = await getAlert(tx.stub, input.alertId);
  if (alert === undefined) throw notFound('alertId', `drift alert ${input.alertId} does not exist`);
  await tx.requireRole('transitionDriftAlert', alert.ownerMsp);
  checkAlertTransition(alert.state, input.to);
  const next: DriftAlert = {
    ...alert,
    state: input.to,
    transitions: [...alert.transitions, { state: input.to, by: tx.caller.id, actorRef: input.actorRef, at: tx.time, note: input.note }],
  };
  await putAlert(tx.stub, next, alert);
  if (isClosed(input.to)) {
    const model = await requireModel(tx, alert.modelId, alert.modelVersion, 'alertId');
    await putModel(tx.stub, { ...model, openDriftAlertIds: model.openDriftAlertIds.filter((id) => id !== alert.alertId) });
  }
  tx.emit(EventName.DriftAlertChanged, {
    alertId: alert.alertId,
    modelId: alert.modelId,
    version: alert.modelVersion,
    from: alert.state,
    to: input.to,
    by: tx.caller.id,
    at: tx.time,
  });
  return next;
}

export async function readDriftAlert(tx: Tx, alertIdArg: unknown): Promise<DriftAlert> {
  const alertId = parseStringArg(Identifier, alertIdArg, 'alertId');
  const alert = await getAlert(tx.stub, alertId);
  if (alert === undefined) throw notFound('alertId', `drift alert ${alertId} does not exist`);
  await tx.requireRead(alert.ownerMsp);
  return alert;
}

export async function listDriftAlerts(tx: Tx, text: string): Promise<{ alerts: DriftAlert[]; bookmark: string }> {
  const query = parseJsonArg(DriftAlertQuery, text, 'query');
  const ownership = await getOwnership(tx.stub, 'model', query.modelId);
  if (ownership === undefined) throw notFound('modelId', `model ${query.modelId} is not registered`);
  await tx.requireRead(ownership.ownerMsp);
  return queryAlerts(tx.stub, query);
}
