import { describe, expect, it } from 'vitest';
import { DatasetVersionInput, splitDatasetRef } from './dataset.js';
import { AuditError } from './errors.js';
import { exampleDataset, exampleModel } from './examples.js';
import { ModelStatusChangeInput, ModelVersionInput } from './model.js';
import { parseValue } from './validation.js';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AuditError && error.code === 'INVALID_ARGUMENT') return error.field;
    throw error;
  }
  return 'accepted';
}

describe('ModelVersionInput', () => {
  it.each([
    ['the example', exampleModel(), 'accepted'],
    ['no optional fields', { modelId: 'm', version: '1', name: 'n', artifactSha256: 'f'.repeat(64), riskClass: 'minimal', intendedUse: 'tests' }, 'accepted'],
    ['an unknown relation', exampleModel({ parents: [{ modelId: 'base', version: '1', relation: 'copied-from' as 'fine-tuned-from' }] }), 'parents[0].relation'],
    ['itself as parent', exampleModel({ parents: [{ modelId: 'credit-scorer', version: '1.0.0', relation: 'retrained-from' }] }), 'parents[0]'],
    ['a duplicate parent', exampleModel({ parents: [{ modelId: 'b', version: '1', relation: 'retrained-from' }, { modelId: 'b', version: '1', relation: 'distilled-from' }] }), 'parents[1]'],
    ['an unknown dataset use', exampleModel({ datasets: [{ datasetId: 'd', version: '1', use: 'tuning' as 'training' }] }), 'datasets[0].use'],
    ['a bad risk class', exampleModel({ riskClass: 'unacceptable' as 'high' }), 'riskClass'],
    ['a bad training parameters hash', exampleModel({ trainingRun: { runId: 'r', codeRef: 'c', parametersSha256: 'x', metrics: {} } }), 'trainingRun.parametersSha256'],
    ['a non-numeric metric', exampleModel({ trainingRun: { runId: 'r', codeRef: 'c', parametersSha256: '3'.repeat(64), metrics: { auc: 'good' as unknown as number } } }), 'trainingRun.metrics.auc'],
    ['a client-supplied status', { ...exampleModel(), status: 'deployed' }, 'status'],
    ['an empty name', exampleModel({ name: '' }), 'name'],
  ])('%s → %s', (_name, input, expected) => {
    expect(fieldOf(() => parseValue(ModelVersionInput, input))).toBe(expected);
  });

  it('fills in empty parents and datasets', () => {
    const parsed = parseValue(ModelVersionInput, { modelId: 'm', version: '1', name: 'n', artifactSha256: 'f'.repeat(64), riskClass: 'minimal', intendedUse: 'x' });
    expect(parsed.parents).toEqual([]);
    expect(parsed.datasets).toEqual([]);
  });
});

describe('ModelStatusChangeInput', () => {
  it.each([
    [{ modelId: 'm', version: '1', status: 'approved', reason: 'validated' }, 'accepted'],
    [{ modelId: 'm', version: '1', status: 'registered', reason: 'x' }, 'status'],
    [{ modelId: 'm', version: '1', status: 'retired' }, 'reason'],
  ])('%j → %s', (input, expected) => {
    expect(fieldOf(() => parseValue(ModelStatusChangeInput, input))).toBe(expected);
  });
});

describe('DatasetVersionInput', () => {
  it.each([
    ['the example', exampleDataset(), 'accepted'],
    ['a parent', exampleDataset({ parents: ['raw-applications@2024-q4'] }), 'accepted'],
    ['a parent without version', exampleDataset({ parents: ['raw-applications'] }), 'parents[0]'],
    ['itself as parent', exampleDataset({ parents: ['loan-applications@2024-q4'] }), 'parents[0]'],
    ['personal-data flag missing', { ...exampleDataset(), containsPersonalData: undefined }, 'containsPersonalData'],
  ])('%s → %s', (_name, input, expected) => {
    expect(fieldOf(() => parseValue(DatasetVersionInput, input))).toBe(expected);
  });

  it('splits a dataset reference', () => {
    expect(splitDatasetRef('raw:apps@2024.q4')).toEqual({ datasetId: 'raw:apps', version: '2024.q4' });
  });
});
