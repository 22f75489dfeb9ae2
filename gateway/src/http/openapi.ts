// The route registry: each route is declared once (method, path, schemas, roles) and both mounted and documented as OpenAPI 3.1.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { requirePrincipal, requireRole } from './auth.js';
import type { Principal, Role } from './principal.js';
import { renderDocsPage } from './docs-page.js';
import { SchemaComponents, type Json } from './json-schema.js';
import type { Validator } from './validate.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteResponse {
  description: string;
  /** Omit for a response without a body. */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  /** An RFC 9457 problem (the shared Problem response, with this description); `schema` is then ignored. */
  problem?: boolean;
}

export interface RouteDefinition {
  method: HttpMethod;
  /** Express syntax relative to the API base, e.g. `/models/:modelId/versions/:version`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** Defaults to method + path in camelCase. */
  operationId?: string;
  /** Who may call it; every registered route requires an authenticated principal. */
  roles: readonly [Role, ...Role[]];
  /** Validators from validateParams / validateQuery / validateBody; the handler reads them with `.valueOf(req)`. */
  params?: Validator<z.ZodType>;
  query?: Validator<z.ZodType>;
  body?: Validator<z.ZodType>;
  responses: Readonly<Record<number, RouteResponse>>;
}

/** What a handler receives: the request, the response and the authenticated caller. */
export interface RouteContext {
  req: Request;
  res: Response;
  principal: Principal;
}

export type RouteHandler = (ctx: RouteContext) => void | Promise<void>;

/** What the registry remembers of a route to document it. */
export interface RegisteredRoute {
  method: HttpMethod;
  path: string;
  openApiPath: string;
  operationId: string;
  summary: string;
  description: string | undefined;
  tags: readonly string[];
  roles: readonly Role[];
  params: z.ZodType | undefined;
  query: z.ZodType | undefined;
  body: z.ZodType | undefined;
  responses: Readonly<Record<number, RouteResponse>>;
}

const EXPECTED_LOCATION = { params: 'path', query: 'query', body: 'body' } as const;

/** Collects routes: `route()` mounts the handler on `router` behind the role check and validators, and records it for OpenAPI. */
export class ApiRegistry {
  readonly router: Router = Router();
  readonly #routes: RegisteredRoute[] = [];

  get routes(): readonly RegisteredRoute[] {
    return this.#routes;
  }

  route(definition: RouteDefinition, handler: RouteHandler): this {
    const openApiPath = toOpenApiPath(definition.path);
    const operationId = definition.operationId ?? defaultOperationId(definition.method, openApiPath);
    const where = `${definition.method.toUpperCase()} ${definition.path}`;
    for (const other of this.#routes) {
      if (other.method === definition.method && other.openApiPath === openApiPath) throw new Error(`route ${where} is registered twice`);
      if (other.operationId === operationId) throw new Error(`operationId ${operationId} is used twice`);
    }
    for (const part of ['params', 'query', 'body'] as const) {
      const validator = definition[part];
      if (validator !== undefined && validator.location !== EXPECTED_LOCATION[part]) {
        throw new Error(`route ${where}: ${part} needs a validator of the ${EXPECTED_LOCATION[part]}, got one of the ${validator.location}`);
      }
    }
    const validators: RequestHandler[] = [definition.params, definition.query, definition.body].filter((v) => v !== undefined);
    const run: RequestHandler = async (req, res) => {
      await handler({ req, res, principal: requirePrincipal(req) });
    };
    this.router[definition.method](definition.path, requireRole(...definition.roles), ...validators, run);
    this.#routes.push({
      method: definition.method,
      path: definition.path,
      openApiPath,
      operationId,
      summary: definition.summary,
      description: definition.description,
      tags: definition.tags ?? [],
      roles: definition.roles,
      params: definition.params?.schema,
      query: definition.query?.schema,
      body: definition.body?.schema,
      responses: definition.responses,
    });
    return this;
  }
}

/** `/models/:modelId` → `/models/{modelId}`; Express wildcards and optional groups are refused (they cannot be documented). */
export function toOpenApiPath(path: string): string {
  if (!path.startsWith('/') || /[*{}()?+]/.test(path)) throw new Error(`route path ${path} must start with / and use only :name parameters`);
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function defaultOperationId(method: HttpMethod, openApiPath: string): string {
  const words = openApiPath.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** The problem+json body every error response carries. */
export const ProblemDocument = z.object({
  type: z.string().describe('urn:aiaudit:problem:<kind>'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().describe('The request path'),
  requestId: z.string().describe('Quote it when reporting a problem; also in the X-Request-Id header'),
  errors: z
    .array(z.object({ field: z.string().describe('e.g. decisions[3].inputSha256'), message: z.string(), in: z.enum(['body', 'query', 'path', 'header']).optional() }))
    .optional()
    .describe('Each failing field'),
  txId: z.string().optional().describe('The Fabric transaction concerned'),
});

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** The OpenAPI 3.1 document of every route in `registry`, served under `basePath`. */
export function openApiDocument(registry: ApiRegistry, info: OpenApiInfo, basePath = '/api/v1'): Json {
  const components = new SchemaComponents();
  const problem = { $ref: '#/components/responses/Problem' };
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of registry.routes) {
    const pathParameters = parametersOf(route.params, 'path', components, route);
    // Every {name} in the path must be declared; undeclared ones are plain strings.
    for (const [, name = ''] of route.openApiPath.matchAll(/\{([^}]+)\}/g)) {
      if (!pathParameters.some((p) => p.name === name)) pathParameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
    const parameters = [...pathParameters, ...parametersOf(route.query, 'query', components, route)];
    const responses: Json = {};
    for (const [status, response] of Object.entries(route.responses)) {
      if (response.problem === true) {
        responses[status] = { ...problem, description: response.description };
        continue;
      }
      responses[status] = {
        description: response.description,
        ...(response.schema === undefined ? {} : { content: { [response.contentType ?? 'application/json']: { schema: components.toSchema(response.schema, 'output') } } }),
      };
    }
    for (const status of [...(parameters.length > 0 || route.body !== undefined ? ['400'] : []), '401', '403']) responses[status] ??= problem;
    responses.default = problem;
    (paths[route.openApiPath] ??= {})[route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      description: [route.description, `Roles: ${route.roles.join(', ')}.`].filter((line) => line !== undefined).join('\n\n'),
      ...(route.tags.length > 0 ? { tags: route.tags } : {}),
      'x-required-roles': route.roles,
      security: [{ bearerAuth: [] }],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body === undefined
        ? {}
        : { requestBody: { required: !route.body.safeParse(undefined).success, content: { 'application/json': { schema: components.toSchema(route.body, 'input') } } } }),
      responses,
    };
  }
  const tags = [...new Set(registry.routes.flatMap((r) => r.tags))].sort().map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: basePath }],
    ...(tags.length > 0 ? { tags } : {}),
    paths,
    components: {
      schemas: { ...components.schemas, Problem: components.toSchema(ProblemDocument, 'output') },
      responses: { Problem: { description: 'An RFC 9457 problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A local API key (aiaudit_…) or an OIDC access token (JWT)' } },
    },
  };
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query', components: SchemaComponents, route: RegisteredRoute): Json[] {
  if (schema === undefined) return [];
  const object = components.resolve(components.toSchema(schema, 'input'));
  const properties = object.properties;
  if (object.type !== 'object' || typeof properties !== 'object' || properties === null) {
    throw new Error(`route ${route.method.toUpperCase()} ${route.path}: the ${location} schema must be an object`);
  }
  const required = Array.isArray(object.required) ? object.required : [];
  return Object.entries(properties).map(([name, property]: [string, unknown]) => {
    const described = typeof property === 'object' && property !== null && 'description' in property ? property.description : undefined;
    return {
      name,
      in: location,
      required: location === 'path' || required.includes(name),
      ...(typeof described === 'string' ? { description: described } : {}),
      schema: property,
    };
  });
}

/** Serves GET /openapi.json and GET /docs (HTML) for the registry; rebuilt when routes were added since. */
export function openApiRouter(registry: ApiRegistry, info: OpenApiInfo, basePath = '/api/v1'): Router {
  const router = Router();
  let built: { routeCount: number; document: Json; html: string } | undefined;
  const current = () => {
    if (built === undefined || built.routeCount !== registry.routes.length) {
      const document = openApiDocument(registry, info, basePath);
      built = { routeCount: registry.routes.length, document, html: renderDocsPage(document, `${basePath}/openapi.json`) };
    }
    return built;
  };
  router.get('/openapi.json', (_req, res) => {
    res.json(current().document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(current().html);
  });
  return router;
}
