// One access-log line per request and the security headers, both costing little on the hot path (POST /decisions).
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Level, Logger } from 'pino';
import { requestIdOf } from './request-context.js';

const OPERATIONS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Probes and scrapes would drown the log; /readyz saying 503 while the index catches up is a state, not a fault. */
export function accessLevelOf(url: string, status: number): Level {
  const path = url.split('?')[0] ?? '';
  if ((OPERATIONS_PATHS.has(path) && status < 500) || (path === '/readyz' && status === 503)) return 'debug';
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

/**
 * Answers with the request's id (X-Request-Id) and logs each request once, when its answer is sent (or its connection closes first): request id, method,
 * path (never the query: subject references), status and time. No headers, so no credentials. Nothing is
 * built for a line the level would drop: at warn, a successful request costs one listener.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.setHeader('X-Request-Id', requestIdOf(req));
    const line = (status: number, message: string, level: Level): void => {
      if (!logger.isLevelEnabled(level)) return;
      const entry = {
        requestId: requestIdOf(req),
        req: { method: req.method, path: req.originalUrl.split('?')[0], remoteAddress: req.socket.remoteAddress },
        res: { statusCode: status },
        responseTime: Math.round(performance.now() - started),
      };
      logger[level](entry, message);
    };
    res.once('finish', () => line(res.statusCode, 'request completed', accessLevelOf(req.originalUrl, res.statusCode)));
    res.once('close', () => {
      if (!res.writableFinished) line(res.statusCode, 'request aborted', 'warn');
    });
    next();
  };
}

/**
 * helmet's default headers, worked out once: helmet answers every request with the same set, and
 * running its dozen middlewares per request was a measurable share of a one-decision call.
 */
export function securityHeaders(): RequestHandler {
  const headers = new Map<string, string>();
  const capture = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, String(value)),
    removeHeader: () => undefined,
  };
  let synchronous = false;
  helmet()(capture as unknown as IncomingMessage, capture as unknown as ServerResponse, () => (synchronous = true));
  if (!synchronous || headers.size === 0) throw new Error('helmet did not set its headers synchronously');
  return (_req, res, next) => {
    res.setHeaders(headers);
    next();
  };
}
