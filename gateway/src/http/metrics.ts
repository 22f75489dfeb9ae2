// Prometheus metrics: one registry for the process; HTTP request counts and latencies by route and status.
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface Metrics {
  /** Register further metrics here (batch sizes, outbox depth, Fabric latencies): `new Histogram({ …, registers: [metrics.registry] })`. */
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'aiaudit_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'aiaudit_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'aiaudit_http_request_duration_seconds',
      help: 'HTTP request latency from arrival to the last byte sent, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
  };
}

/** Times each request; the route label is the matched template (e.g. /api/v1/models/:id), never the raw URL. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const matched: unknown = req.route;
      const template = typeof matched === 'object' && matched !== null && 'path' in matched ? String(matched.path) : undefined;
      const route = template === undefined ? '(unmatched)' : `${req.baseUrl}${template}`;
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      stop(labels);
    });
    next();
  };
}
