import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as domain from './index.js';

/** Every schema the gateway turns into OpenAPI, by its meta id. */
const published = Object.entries(domain as Record<string, unknown>).flatMap(([name, value]): [string, z.ZodType][] =>
  value instanceof z.ZodType && z.globalRegistry.get(value)?.id !== undefined ? [[name, value]] : [],
);

describe('JSON Schema generation (for the gateway\'s OpenAPI)', () => {
  it('publishes the record and input schemas', () => {
    const ids = published.map(([, schema]) => z.globalRegistry.get(schema)?.id);
    expect(ids).toEqual(expect.arrayContaining(['DecisionBatchInput', 'DecisionRecord', 'ModelVersionInput', 'DriftAlertInput', 'PurgeRequest', 'RoleGrantInput']));
  });

  it.each(published)('%s converts for input and output', (_name, schema) => {
    for (const io of ['input', 'output'] as const) {
      const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
      expect(JSON.stringify(json)).toContain('"type":"object"');
    }
  });

  it('carries field descriptions and patterns', () => {
    const json = JSON.stringify(z.toJSONSchema(domain.DecisionInput, { io: 'input' }));
    expect(json).toContain('salted SHA-256');
    expect(json).toContain('^[0-9a-f]{64}$');
  });
});
