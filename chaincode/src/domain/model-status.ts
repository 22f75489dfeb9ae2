// The model version lifecycle: which status changes are allowed, and which statuses accept decisions.
import { preconditionFailed } from './errors.js';
import type { ModelStatus, ModelVersion, StatusChange } from './model.js';

/**
 * Allowed status changes. registered → approved → deployed is the normal path; any live
 * status can be suspended (by an officer, or by a critical drift alert under
 * onCritical=suspend); a suspended version can be re-deployed only if it was approved before
 * and none of its open drift alerts is critical; retired is final.
 */
export const STATUS_TRANSITIONS: Readonly<Record<ModelStatus, readonly ModelStatus[]>> = Object.freeze({
  registered: ['approved', 'suspended', 'retired'],
  approved: ['deployed', 'suspended', 'retired'],
  deployed: ['suspended', 'retired'],
  suspended: ['deployed', 'retired'],
  retired: [],
});

/** Statuses against which decisions are refused. */
const HALTED: ReadonlySet<ModelStatus> = new Set(['suspended', 'retired']);

export function acceptsDecisions(status: ModelStatus): boolean {
  return !HALTED.has(status);
}

export function canTransition(from: ModelStatus, to: ModelStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

/**
 * Throws PRECONDITION_FAILED (field `status`) unless `to` is allowed from the version's
 * current status. `openCriticalAlertIds` are the version's open alerts whose severity is critical.
 */
export function checkStatusChange(version: ModelVersion, to: ModelStatus, openCriticalAlertIds: readonly string[]): void {
  const from = version.status;
  if (from === to) throw preconditionFailed('status', `model version is already ${to}`);
  if (!canTransition(from, to)) {
    const allowed = STATUS_TRANSITIONS[from];
    const hint = allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : `${from} is final`;
    throw preconditionFailed('status', `cannot change status from ${from} to ${to} (${hint})`);
  }
  if (from === 'suspended' && to === 'deployed') {
    if (!version.statusHistory.some((change) => change.status === 'approved')) {
      throw preconditionFailed('status', 'a suspended version that was never approved cannot be deployed');
    }
    if (openCriticalAlertIds.length > 0) {
      throw preconditionFailed('status', `close the critical drift alert(s) ${openCriticalAlertIds.join(', ')} before re-deploying`);
    }
  }
}

/** The version with `change` applied and appended to its history. */
export function withStatus(version: ModelVersion, change: StatusChange): ModelVersion {
  return { ...version, status: change.status, statusHistory: [...version.statusHistory, change] };
}
