import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { DecisionBatchInput, DecisionInput, DecisionRecord, countModelVersions, decisionBatchInputSchema, decisionInputInOrder, decisionRecordOf } from './decision.js';
import { AuditError } from './errors.js';
import { exampleDecision } from './examples.js';
import { parseJsonArg, parseValue } from './validation.js';

function refusal(run: () => unknown): { code: string; field: string | undefined; detail: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof AuditError) return { code: error.code, field: error.field, detail: error.detail };
    throw error;
  }
  throw new Error('expected a refusal');
}

const batchWith = (decision: Record<string, unknown>) => ({ batchId: 'batch-1', decisions: [decision] });
const without = (key: string): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...exampleDecision() };
  delete copy[key];
  return copy;
};

describe('DecisionBatchInput accepts', () => {
  it.each([
    ['the full example', exampleDecision()],
    ['a minimal decision', { ...without('explanation'), subjectRef: undefined, inputSchema: undefined, confidence: undefined, threshold: undefined }],
    ['a boolean output value', exampleDecision({ output: { value: true } })],
    ['a numeric output value and no label', exampleDecision({ output: { value: 12000 } })],
    ['fractional-second UTC times', exampleDecision({ decidedAt: '2025-03-01T09:30:00.123456Z' })],
  ])('%s', (_name, decision) => {
    const parsed = parseValue(DecisionBatchInput, batchWith(decision));
    expect(parsed.decisions).toHaveLength(1);
  });

  it('500 decisions, the default limit', () => {
    const decisions = Array.from({ length: 500 }, (_, i) => exampleDecision({ decisionId: `d-${i}` }));
    expect(parseValue(DecisionBatchInput, { batchId: 'b', decisions }).decisions).toHaveLength(500);
  });
});

describe('DecisionBatchInput refuses, naming the field', () => {
  it.each([
    ['an identifier with a space', { decisionId: 'dec 1' }, 'decisions[0].decisionId', /1-128 characters/],
    ['a 129-character identifier', { decisionId: 'x'.repeat(129) }, 'decisions[0].decisionId', /1-128/],
    ['an uppercase hash', { inputSha256: 'A'.repeat(64) }, 'decisions[0].inputSha256', /lowercase hex/],
    ['a short hash', { inputSha256: 'abc' }, 'decisions[0].inputSha256', /64 lowercase hex/],
    ['a time with an offset', { decidedAt: '2025-03-01T10:30:00+01:00' }, 'decisions[0].decidedAt', /UTC/],
    ['a time without a zone', { decidedAt: '2025-03-01T10:30:00' }, 'decisions[0].decidedAt', /RFC 3339/],
    ['an empty output', { output: {} }, 'decisions[0].output', /at least one of label, score, value/],
    ['confidence above 1', { confidence: 1.5 }, 'decisions[0].confidence', /between 0 and 1/],
    ['an unknown mode', { mode: 'manual' }, 'decisions[0].mode', /automated or assisted/],
    ['legalEffect as a string', { legalEffect: 'yes' }, 'decisions[0].legalEffect', /true or false/],
    ['an email as subjectRef', { subjectRef: 'jane.doe@example.com' }, 'decisions[0].subjectRef', /email address/],
    ['a name as subjectRef', { subjectRef: 'Jane Doe' }, 'decisions[0].subjectRef', /raw identifier/],
    ['a national id as subjectRef', { subjectRef: 'AB123456C' }, 'decisions[0].subjectRef', /raw identifier/],
    ['an uppercase hash as subjectRef', { subjectRef: 'B'.repeat(64) }, 'decisions[0].subjectRef', /lowercase/],
    ['retention ending before the decision', { retentionUntil: '2025-02-01T00:00:00Z' }, 'decisions[0].retentionUntil', /before decidedAt/],
    ['an unknown field', { ssn: '123-45-6789' }, 'decisions[0].ssn', /not a known field/],
    ['a client-supplied recordedAt', { recordedAt: '2025-03-01T09:30:00Z' }, 'decisions[0].recordedAt', /not a known field/],
    ['client-supplied openDriftAlertIds', { openDriftAlertIds: [] }, 'decisions[0].openDriftAlertIds', /not a known field/],
    ['a non-numeric factor weight', { explanation: { method: 'shap', topFactors: [{ name: 'income', weight: 'high' }] } }, 'decisions[0].explanation.topFactors[0].weight', /finite number/],
  ])('%s', (_name, change, field, detail) => {
    const result = refusal(() => parseValue(DecisionBatchInput, batchWith(exampleDecision(change as object))));
    expect(result.code).toBe('INVALID_ARGUMENT');
    expect(result.field).toBe(field);
    expect(result.detail).toMatch(detail);
  });

  it('a missing required field', () => {
    expect(refusal(() => parseValue(DecisionBatchInput, batchWith(without('modelId'))))).toEqual({
      code: 'INVALID_ARGUMENT',
      field: 'decisions[0].modelId',
      detail: 'is required',
    });
  });

  it.each([
    ['no batchId', { decisions: [exampleDecision()] }, 'batchId', /required/],
    ['no decisions', { batchId: 'b', decisions: [] }, 'decisions', /at least one/],
    ['501 decisions', { batchId: 'b', decisions: Array.from({ length: 501 }, (_, i) => exampleDecision({ decisionId: `d${i}` })) }, 'decisions', /at most 500/],
    ['a repeated decision id', { batchId: 'b', decisions: [exampleDecision(), exampleDecision({ decisionId: 'x' }), exampleDecision()] }, 'decisions[2].decisionId', /duplicate of decisions\[0\]/],
  ])('a batch with %s', (_name, batch, field, detail) => {
    const result = refusal(() => parseValue(DecisionBatchInput, batch));
    expect(result.field).toBe(field);
    expect(result.detail).toMatch(detail);
  });

  it('a lower configured limit', () => {
    const schema = decisionBatchInputSchema(2);
    const decisions = [1, 2, 3].map((i) => exampleDecision({ decisionId: `d${i}` }));
    expect(refusal(() => parseValue(schema, { batchId: 'b', decisions })).detail).toMatch(/at most 2 decisions/);
  });

  it('text that is not JSON, naming the argument', () => {
    expect(refusal(() => parseJsonArg(DecisionBatchInput, '{"batchId":', 'batch'))).toEqual({
      code: 'INVALID_ARGUMENT',
      field: 'batch',
      detail: 'is not valid JSON',
    });
  });

  it('reports how many further problems there are', () => {
    const result = refusal(() => parseValue(DecisionBatchInput, batchWith(exampleDecision({ decisionId: '', modelId: '' }))));
    expect(result.detail).toMatch(/and 1 more problem\)$/);
  });
});

describe('DecisionRecord and batch helpers', () => {
  it('a record is the input plus ledger-assigned fields', () => {
    const record = { ...exampleDecision(), recordedAt: '2025-03-01T09:30:01Z', ownerMsp: 'OperatorOrgMSP', recordedBy: 'x509::/CN=a::/CN=b', openDriftAlertIds: [] };
    expect(parseValue(DecisionRecord, record)).toEqual(record);
  });

  it('counts model versions in first-seen order', () => {
    const decisions = [
      { modelId: 'a', modelVersion: '1' },
      { modelId: 'b', modelVersion: '1' },
      { modelId: 'a', modelVersion: '1' },
      { modelId: 'a', modelVersion: '2' },
    ];
    expect(countModelVersions(decisions)).toEqual([
      { modelId: 'a', version: '1', count: 2 },
      { modelId: 'b', version: '1', count: 1 },
      { modelId: 'a', version: '2', count: 1 },
    ]);
  });
});

describe('records built in canonical member order', () => {
  // Every optional member present, so every nested object's order is exercised.
  const input = DecisionInput.parse(
    exampleDecision({
      referenceDataRef: 'bureau-2025-03',
      output: { label: 'approve', score: 0.87, value: 12_000 },
      explanation: { method: 'shap', sha256: 'c'.repeat(64), topFactors: [{ name: 'income', weight: 0.4 }] },
    }),
  );
  const ledger = { openDriftAlertIds: ['a-1'], ownerMsp: 'OperatorOrgMSP', recordedAt: '2025-03-01T09:30:01.000Z', recordedBy: 'x509::/CN=User1::/CN=ca' };

  it('holds the input and the ledger fields, nothing lost, nothing added', () => {
    expect(DecisionRecord.parse(decisionRecordOf(input, ledger))).toEqual({ ...input, ...ledger });
    expect(decisionInputInOrder(input)).toEqual(input);
  });

  it('stands, deep, as canonical JSON writes it (a schema member declared out of order breaks this)', () => {
    const record = decisionRecordOf(input, ledger);
    expect(JSON.stringify(record)).toBe(canonicalJson(record));
    expect(JSON.stringify(decisionInputInOrder(input))).toBe(canonicalJson(input));
  });
});
