// A record reduced to filterFields gets the same answer from filterMismatch as the whole record, under every filter.
import { describe, expect, it } from 'vitest';
import { filterFields, filterMismatch } from './filter.js';
import type { ExportFilter } from './layout.js';

const record = {
  decisionId: 'd-1',
  ownerMsp: 'OperatorOrgMSP',
  modelId: 'm',
  modelVersion: '1.0.0',
  subjectRef: 's',
  recordedAt: '2026-01-02T03:04:05.000Z',
  openDriftAlertIds: ['a-1'],
  output: { label: 'approve' },
};

const filters: [string, ExportFilter, string | undefined][] = [
  ['no filter', {}, undefined],
  ['its own scope', {}, 'OperatorOrgMSP'],
  ['another scope', {}, 'RegulatorOrgMSP'],
  ['its model', { modelId: 'm', modelVersion: '1.0.0' }, undefined],
  ['another model version', { modelId: 'm', modelVersion: '2' }, undefined],
  ['another subject', { subjectRef: 'x' }, undefined],
  ['a window holding it', { from: '2026-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }, undefined],
  ['a window after it', { from: '2026-02-01T00:00:00Z' }, undefined],
  ['its alert', { alertId: 'a-1' }, undefined],
  ['another alert', { alertId: 'a-2' }, undefined],
];

describe('filterFields', () => {
  it.each(filters)('keeps filterMismatch’s answer under %s', (_name, filter, ownerMsp) => {
    for (const r of [record, { ...record, recordedAt: 'not a time', openDriftAlertIds: 'a-1' }, { decisionId: 'd-2' }]) {
      expect(filterMismatch(filterFields(r), filter, ownerMsp)).toBe(filterMismatch(r, filter, ownerMsp));
    }
  });

  it('holds every member filterMismatch reads', () => {
    const read = new Set<string | symbol>();
    const spy = new Proxy(record, {
      get: (target, name) => {
        read.add(name);
        return Reflect.get(target, name);
      },
    });
    for (const [, filter, ownerMsp] of filters) filterMismatch(spy, filter, ownerMsp);
    expect([...read].sort()).toEqual(Object.keys(filterFields(record)).sort());
  });
});
