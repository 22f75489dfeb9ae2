import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DecisionBatchInput, DecisionRecord, Identifier, ModelVersion, ModelVersionInput } from '@aiaudit/chaincode/domain';
import { renderDocsPage } from './docs-page.js';
import { ApiRegistry, openApiDocument, toOpenApiPath } from './openapi.js';
import { validateBody, validateParams, validateQuery } from './validate.js';

const noop = () => undefined;
type ApiDocument = Parameters<typeof validate>[0];

/** A registry shaped like the real API, built from the chaincode's own schemas. */
function sampleRegistry(): ApiRegistry {
  const api = new ApiRegistry();
  const version = validateParams(z.object({ modelId: Identifier, version: Identifier }));
  const search = validateQuery(
    z.object({
      modelId: Identifier.describe('Model id'),
      from: z.iso.datetime().optional(),
      pageSize: z.coerce.number().int().min(1).max(100).default(20),
      bookmark: z.string().optional(),
    }),
  );
  api
    .route(
      { method: 'post', path: '/models', summary: 'Register a model version', tags: ['models'], roles: ['recorder', 'admin'], body: validateBody(ModelVersionInput), responses: { 201: { description: 'Registered', schema: ModelVersion } } },
      noop,
    )
    .route(
      { method: 'get', path: '/models/:modelId/versions/:version', summary: 'Read a model version', tags: ['models'], roles: ['officer', 'regulator'], params: version, responses: { 200: { description: 'The version', schema: ModelVersion } } },
      noop,
    )
    .route(
      { method: 'post', path: '/decisions', summary: 'Record decisions', tags: ['decisions'], roles: ['recorder'], body: validateBody(DecisionBatchInput), responses: { 200: { description: 'Receipts', schema: z.object({ receipts: z.array(z.object({ decisionId: Identifier, txId: z.string(), blockNumber: z.string() })) }) } } },
      noop,
    )
    .route(
      { method: 'get', path: '/decisions', summary: 'Search decisions', tags: ['decisions'], roles: ['officer', 'regulator'], query: search, responses: { 200: { description: 'A page', schema: z.object({ items: z.array(DecisionRecord), bookmark: z.string() }) } } },
      noop,
    )
    .route(
      { method: 'get', path: '/decisions/:decisionId', summary: 'Read a decision', tags: ['decisions'], roles: ['officer', 'regulator'], responses: { 200: { description: 'The record', schema: DecisionRecord } } },
      noop,
    )
    .route({ method: 'get', path: '/events', summary: 'Server-sent events', roles: ['officer', 'regulator'], responses: { 200: { description: 'An event stream', contentType: 'text/event-stream', schema: z.string() } } }, noop);
  return api;
}

const info = { title: 'aiaudit gateway API', version: '1.0.0' };

describe('openApiDocument', () => {
  it('produces a document that a standard OpenAPI 3.1 validator accepts', async () => {
    const document = openApiDocument(sampleRegistry(), info);
    const result = await validate(structuredClone(document) as ApiDocument);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.specification).toBe('OpenAPI');
    expect(document.openapi).toBe('3.1.0');
  });

  it('the validator is not a rubber stamp: it refuses a broken document', async () => {
    const document = openApiDocument(sampleRegistry(), info);
    const broken: Record<string, unknown> = { ...structuredClone(document), paths: { '/x/{id}': { get: { responses: { 200: { description: 'x' } } } } } };
    expect((await validate(broken as ApiDocument)).valid).toBe(false);
  });

  it('documents each route: operation id, roles, parameters, body and error responses', () => {
    const document = openApiDocument(sampleRegistry(), info);
    const paths = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).parse(document.paths);
    expect(Object.keys(paths)).toEqual(['/models', '/models/{modelId}/versions/{version}', '/decisions', '/decisions/{decisionId}', '/events']);
    const search = paths['/decisions']?.get;
    expect(search).toMatchObject({
      operationId: 'getDecisions',
      'x-required-roles': ['officer', 'regulator'],
      security: [{ bearerAuth: [] }],
      parameters: [
        { name: 'modelId', in: 'query', required: true, description: 'Model id' },
        { name: 'from', in: 'query', required: false },
        { name: 'pageSize', in: 'query', required: false, schema: { type: 'integer', default: 20 } },
        { name: 'bookmark', in: 'query', required: false },
      ],
      responses: { 200: expect.any(Object), 400: { $ref: '#/components/responses/Problem' }, 401: expect.any(Object), 403: expect.any(Object) },
    });
    expect(paths['/decisions']?.post).toMatchObject({
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DecisionBatchInput' } } } },
    });
    expect(paths['/decisions/{decisionId}']?.get).toMatchObject({ parameters: [{ name: 'decisionId', in: 'path', required: true }] });
    expect(paths['/models/{modelId}/versions/{version}']?.get).toMatchObject({
      parameters: [
        { name: 'modelId', in: 'path', required: true },
        { name: 'version', in: 'path', required: true },
      ],
    });
  });

  it('keeps the chaincode schemas as named components, referenced rather than repeated', () => {
    const document = openApiDocument(sampleRegistry(), info);
    const components = z.object({ schemas: z.record(z.string(), z.unknown()) }).parse(document.components);
    expect(Object.keys(components.schemas)).toEqual(expect.arrayContaining(['DecisionBatchInput', 'DecisionInput', 'DecisionRecord', 'ModelVersionInput', 'ModelVersion', 'Problem']));
    expect(JSON.stringify(document)).not.toContain('#/$defs/');
  });

  it('renders a browsable page that lists every operation and links schemas', () => {
    const html = renderDocsPage(openApiDocument(sampleRegistry(), info), '/api/v1/openapi.json');
    expect(html).toContain('<code>/api/v1/decisions/{decisionId}</code>');
    expect(html).toContain('href="#schema-DecisionInput"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });
});

describe('ApiRegistry', () => {
  it.each([
    ['/models/:modelId', '/models/{modelId}'],
    ['/a/:x/b/:y_z', '/a/{x}/b/{y_z}'],
  ])('turns %s into %s', (path, expected) => {
    expect(toOpenApiPath(path)).toBe(expected);
  });

  it.each(['/files/*rest', '/maybe{/:x}', 'no-slash'])('refuses the undocumentable path %s', (path) => {
    expect(() => new ApiRegistry().route({ method: 'get', path, summary: 's', roles: ['admin'], responses: {} }, noop)).toThrow(/must start with \/ and use only :name/);
  });

  it('refuses a route registered twice and a validator in the wrong slot', () => {
    const api = sampleRegistry();
    expect(() => api.route({ method: 'get', path: '/decisions', summary: 'again', roles: ['admin'], responses: {} }, noop)).toThrow(/registered twice/);
    expect(() =>
      api.route({ method: 'put', path: '/x', summary: 'x', roles: ['admin'], query: validateBody(z.object({})), responses: {} }, noop),
    ).toThrow(/query needs a validator of the query/);
  });
});
