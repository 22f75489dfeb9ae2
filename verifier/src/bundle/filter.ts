// Whether a decision record belongs to an export: the manifest's filter and org scope, applied to the record itself.
import type { ExportFilter } from './layout.js';

function member(record: object, name: string): unknown {
  return Reflect.get(record, name);
}

/** The members of a record that filterMismatch reads, whatever the filter: the record reduced to them gets the same answer. */
export function filterFields(record: Readonly<Record<string, unknown>>): object {
  return {
    ownerMsp: record.ownerMsp,
    modelId: record.modelId,
    modelVersion: record.modelVersion,
    subjectRef: record.subjectRef,
    recordedAt: record.recordedAt,
    openDriftAlertIds: record.openDriftAlertIds,
  };
}

/** Undefined when `record` matches; otherwise the first reason it does not. */
export function filterMismatch(record: unknown, filter: ExportFilter, ownerMsp: string | undefined): string | undefined {
  if (typeof record !== 'object' || record === null) return 'it is not a JSON object';
  const equal = (name: string, wanted: string | undefined): string | undefined => {
    const actual = member(record, name);
    return wanted === undefined || actual === wanted ? undefined : `${name} is ${JSON.stringify(actual)}, not ${JSON.stringify(wanted)}`;
  };
  const mismatch = equal('ownerMsp', ownerMsp) ?? equal('modelId', filter.modelId) ?? equal('modelVersion', filter.modelVersion) ?? equal('subjectRef', filter.subjectRef);
  if (mismatch !== undefined) return mismatch;
  if (filter.from !== undefined || filter.to !== undefined) {
    const recordedAt = member(record, 'recordedAt');
    const time = typeof recordedAt === 'string' ? Date.parse(recordedAt) : Number.NaN;
    if (Number.isNaN(time)) return 'recordedAt is not a time';
    if (filter.from !== undefined && time < Date.parse(filter.from)) return `recordedAt ${String(recordedAt)} is before ${filter.from}`;
    if (filter.to !== undefined && time > Date.parse(filter.to)) return `recordedAt ${String(recordedAt)} is after ${filter.to}`;
  }
  if (filter.alertId !== undefined) {
    const alerts = member(record, 'openDriftAlertIds');
    if (!Array.isArray(alerts) || !alerts.includes(filter.alertId)) return `openDriftAlertIds does not include ${filter.alertId}`;
  }
  return undefined;
}
