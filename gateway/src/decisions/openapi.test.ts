import { validate } from '@readme/openapi-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineApp, type PipelineApp } from '../../../test/support/pipeline-app.js';
import { ApiRegistry, openApiDocument } from '../http/openapi.js';

type ApiDocument = Parameters<typeof validate>[0];
const apps: PipelineApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('the decision routes in OpenAPI', () => {
  it('documents every route with its roles and schemas in a valid OpenAPI 3.1 document', async () => {
    const app = await startPipelineApp();
    apps.push(app);
    const api = new ApiRegistry();
    app.pipeline.registerRoutes(api);
    expect(api.routes.map((r) => `${r.method.toUpperCase()} ${r.openApiPath} ${r.roles.join(',')}`)).toEqual([
      'POST /decisions recorder',
      'GET /decisions/{decisionId} recorder,officer,regulator,admin',
      'GET /decisions recorder,officer,regulator,admin',
      'GET /decisions/{decisionId}/status recorder,officer,regulator,admin',
    ]);
    const document = openApiDocument(api, { title: 'test', version: '1' });
    const result = await validate(structuredClone(document) as ApiDocument);
    expect(result.valid ? [] : result.errors).toEqual([]);
    const paths = JSON.stringify(document);
    expect(paths).toContain('DecisionReceipt');
    expect(paths).toContain('LedgerAnchor');
  });
});
