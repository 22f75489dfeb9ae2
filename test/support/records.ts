// Unique-per-run records for integration tests, built on the domain's valid examples.
import { exampleDataset, exampleDecision, exampleDriftAlert, exampleModel } from '../../chaincode/src/domain/examples.js';
import type { DecisionInput } from '../../chaincode/src/domain/decision.js';
import { runTag } from './ledger.js';

/** A dataset and a model version registered under ids unique to this run and `name`. */
export function lineageFixture(name: string) {
  const datasetId = `ds-${name}-${runTag}`;
  const modelId = `model-${name}-${runTag}`;
  const dataset = exampleDataset({ datasetId, version: 'v1' });
  const model = exampleModel({ modelId, version: '1.0.0', datasets: [{ datasetId, version: 'v1', use: 'training' }] });
  return { datasetId, modelId, dataset, model };
}

export function decisions(modelId: string, count: number, prefix: string, overrides: Partial<DecisionInput> = {}): DecisionInput[] {
  return Array.from({ length: count }, (_, i) =>
    exampleDecision({ decisionId: `${prefix}-${runTag}-${i}`, modelId, modelVersion: '1.0.0', ...overrides }));
}

export const driftAlert = exampleDriftAlert;
