// Valid example inputs: OpenAPI examples for the gateway and the starting point of every test.
import type { DatasetVersionInput } from './dataset.js';
import type { DecisionInput } from './decision.js';
import type { DriftAlertInput } from './drift.js';
import type { ModelVersionInput } from './model.js';

const hex = (digit: string): string => digit.repeat(64);

export const exampleDataset = (overrides: Partial<DatasetVersionInput> = {}): DatasetVersionInput => ({
  datasetId: 'loan-applications',
  version: '2024-q4',
  sha256: hex('1'),
  uri: 's3://datasets/loan-applications/2024-q4/manifest.json',
  source: 'core banking export, de-identified',
  license: 'internal',
  containsPersonalData: true,
  parents: [],
  ...overrides,
});

export const exampleModel = (overrides: Partial<ModelVersionInput> = {}): ModelVersionInput => ({
  modelId: 'credit-scorer',
  version: '1.0.0',
  name: 'Consumer credit scorer',
  framework: 'xgboost-2.1',
  artifactSha256: hex('2'),
  artifactUri: 's3://models/credit-scorer/1.0.0/model.json',
  parents: [],
  datasets: [{ datasetId: 'loan-applications', version: '2024-q4', use: 'training' }],
  trainingRun: { runId: 'run-42', codeRef: 'git+https://git.example/credit@4f1c2e', parametersSha256: hex('3'), metrics: { auc: 0.81 } },
  riskClass: 'high',
  intendedUse: 'Scoring consumer credit applications up to EUR 50,000',
  modelCardSha256: hex('4'),
  ...overrides,
});

export const exampleDecision = (overrides: Partial<DecisionInput> = {}): DecisionInput => ({
  decisionId: 'dec-000001',
  modelId: 'credit-scorer',
  modelVersion: '1.0.0',
  useCase: 'consumer-credit',
  decidedAt: '2025-03-01T09:30:00Z',
  inputSha256: hex('a'),
  inputSchema: 'loan-application-v3',
  output: { label: 'approve', score: 0.87 },
  confidence: 0.91,
  threshold: 0.6,
  mode: 'automated',
  legalEffect: true,
  explanation: {
    method: 'shap',
    topFactors: [
      { name: 'income', weight: 0.42 },
      { name: 'debt_ratio', weight: -0.31 },
      { name: 'payment_history', weight: 0.18 },
    ],
  },
  subjectRef: hex('b'),
  retentionUntil: '2032-03-01T00:00:00Z',
  ...overrides,
});

export const exampleDriftAlert = (overrides: Partial<DriftAlertInput> = {}): DriftAlertInput => ({
  alertId: 'alert-0001',
  modelId: 'credit-scorer',
  modelVersion: '1.0.0',
  metric: 'psi',
  feature: 'income',
  value: 0.17,
  referenceWindow: { from: '2025-01-01T00:00:00Z', to: '2025-01-31T23:59:59Z' },
  window: { from: '2025-03-01T00:00:00Z', to: '2025-03-07T23:59:59Z' },
  ...overrides,
});
