// The Express application: operations endpoints, the /api/v1 slot behind auth, and the one error handler. No listen here.
import express, { Router, type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config.js';
import { accessLog, securityHeaders } from './access-log.js';
import { authenticate, type TokenVerifier } from './auth.js';
import { consoleRouter } from './console-static.js';
import { httpMetrics, type Metrics } from './metrics.js';
import { ApiRegistry, openApiRouter, type OpenApiInfo } from './openapi.js';
import { notFoundHandler, problemHandler, ProblemError, sendProblem } from './problem.js';

export const API_BASE = '/api/v1';

export interface ReadinessCheck {
  ok: boolean;
  detail?: string;
}

/** What /readyz reports; ready only when every dependency (peers, chaincode, stores) answers. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, ReadinessCheck>;
}

export interface AppDeps {
  config: Pick<GatewayConfig, 'bodyLimitBytes' | 'rateLimitPerMinute'>;
  logger: Logger;
  metrics: Metrics;
  /** Verifies bearer tokens (createAuthenticator). */
  verifyToken: TokenVerifier;
  /** Called by GET /readyz; a throw or a timeout counts as not ready. */
  readiness: () => Promise<ReadinessReport>;
  /** The documented routes, mounted under /api/v1 and served as /api/v1/openapi.json and /api/v1/docs. */
  api: ApiRegistry;
  /** Further routers mounted under /api/v1 after the registry's, behind the same authentication (not documented). */
  routers?: readonly Router[];
  openApiInfo?: OpenApiInfo;
  readinessTimeoutMs?: number;
  /** The built web console served at / (console/dist); absent: no console routes. */
  consoleDir?: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag: API answers are not cached conditionally, and hashing every body cost CPU on each call (the console's files get theirs from express.static).
  app.set('etag', false);
  app.use(accessLog(deps.logger));
  app.use(securityHeaders());
  app.use(httpMetrics(deps.metrics));

  const startedAt = Date.now();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });
  app.get('/readyz', async (req, res) => {
    const report = await readinessWithin(deps.readiness, deps.readinessTimeoutMs ?? 5_000, deps.logger);
    if (report.ready) {
      res.json({ status: 'ready', checks: report.checks });
      return;
    }
    const failing = Object.entries(report.checks).filter(([, check]) => !check.ok).map(([name]) => name);
    const detail = failing.length > 0 ? `Not ready: ${failing.join(', ')}.` : 'Not ready.';
    sendProblem(req, res, new ProblemError({ status: 503, slug: 'not-ready', detail, headers: { 'Retry-After': '5' }, extensions: { checks: report.checks } }));
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  const api = Router();
  if (deps.config.rateLimitPerMinute > 0) api.use(rateLimiter(deps.config.rateLimitPerMinute));
  api.use(openApiRouter(deps.api, deps.openApiInfo ?? { title: 'aiaudit gateway API', version: '1' }, API_BASE));
  api.use(authenticate(deps.verifyToken));
  api.use(requireJsonBody);
  api.use(express.json({ limit: deps.config.bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  api.use(deps.api.router);
  for (const router of deps.routers ?? []) api.use(router);
  app.use(API_BASE, api);
  if (deps.consoleDir !== undefined) app.use(consoleRouter(deps.consoleDir));

  app.use(notFoundHandler);
  app.use(problemHandler({ logger: deps.logger }));
  return app;
}

/** 415 for a request body that is not JSON (express.json would silently skip it). */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (req.is(['application/json', 'application/*+json']) === false) {
    const given = (req.get('content-type') ?? '').slice(0, 100);
    throw new ProblemError({ status: 415, slug: 'unsupported-media-type', detail: `Send the body as application/json, not ${given || 'an untyped body'}.` });
  }
  next();
};

function rateLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new ProblemError({ status: 429, slug: 'rate-limited', detail: `At most ${perMinute} requests per minute are accepted from one address.` }));
    },
  });
}

async function readinessWithin(check: () => Promise<ReadinessReport>, timeoutMs: number, logger: Logger): Promise<ReadinessReport> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessReport>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, checks: { readiness: { ok: false, detail: `no answer within ${timeoutMs} ms` } } }), timeoutMs);
  });
  try {
    return await Promise.race([check(), timeout]);
  } catch (err) {
    logger.warn({ err }, 'readiness check failed');
    return { ready: false, checks: { readiness: { ok: false, detail: 'the check failed' } } };
  } finally {
    clearTimeout(timer);
  }
}
