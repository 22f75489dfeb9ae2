// Process entry: loadConfig → logger → gateway (ledger, role bootstrap, API keys, routes) → listen; SIGTERM/SIGINT close everything.
import { once } from 'node:events';
import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { formatIssuedKeys, loadOrCreateApiKeys } from './http/credential-store.js';
import { API_BASE } from './http/app.js';
import { defaultIdentityMap } from './http/principal.js';
import { createLogger } from './logger.js';
import { decisionPipelineModule } from './decisions/index.js';
import { exportModule } from './export/index.js';
import { createGateway, type GatewayModuleFactory } from './server.js';

/**
 * ── Modules built on the ledger ──────────────────────────────────────────────────────────────
 * The decision pipeline (gateway/src/decisions, outbox, index, events: POST/GET /decisions, the
 * block-derived index, GET /events) plugs in here as a GatewayModuleFactory: it registers its
 * documented routes on context.api, returns its SSE router in `routers`, its index lookup as
 * `findDecision` (used by /decisions/{id}/oversight and /purge), its readiness checks, and a
 * `close` that drains in-flight batches. Order matters only for shutdown (closed in reverse).
 */
const MODULES: readonly GatewayModuleFactory[] = [decisionPipelineModule(), exportModule()];

/** How long shutdown waits for in-flight requests before cutting connections. */
const DRAIN_MS = 15_000;

async function main(argv: readonly string[]): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`aiaudit gateway: ${err.message}\n`);
    process.exit(2);
  }

  if (argv[0] === 'issue-keys') {
    // Used by `npm start` in the foreground, so that new keys reach the terminal and never the gateway's log file.
    const { issued } = loadOrCreateApiKeys(config.apiKeysFile, defaultIdentityMap);
    process.stdout.write(`${formatIssuedKeys(issued, config.apiKeysFile)}\n`);
    return;
  }
  if (argv.length > 0) {
    process.stderr.write(`usage: node gateway/dist/main.js [issue-keys]\n`);
    process.exit(2);
  }

  const logger = createLogger(config.logLevel);
  const gateway = await createGateway(config, { logger, modules: MODULES }).catch((err: unknown) => {
    logger.fatal({ err }, 'gateway start-up failed');
    throw err;
  });
  const granted = gateway.roles.filter((r) => r.action === 'granted').map((r) => `${r.role}→${r.fabricUser}@${r.org}`);
  logger.info({ granted, held: gateway.roles.length - granted.length }, 'roles of the identity map in place');
  // Printed once, on stdout, outside the structured log: the plaintext keys exist nowhere else.
  process.stdout.write(`${formatIssuedKeys(gateway.issuedKeys, config.apiKeysFile)}\n`);

  const server = gateway.app.listen(config.port, config.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, console: `${url}/`, api: `${url}${API_BASE}`, docs: `${url}${API_BASE}/docs` }, 'gateway listening');

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, draining requests');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => {
      logger.warn({ afterMs: DRAIN_MS }, 'requests still running: closing their connections');
      server.closeAllConnections();
    }, DRAIN_MS);
    // Modules first: the pipeline drains in-flight batches (their callers get receipts) and ends the
    // event streams, which would otherwise hold the server open until the drain timeout.
    await gateway.close();
    await closed;
    clearTimeout(force);
    logger.info('gateway stopped');
    // gRPC and pino may hold the loop a moment longer; nothing is left to do.
    setTimeout(() => process.exit(0), 500).unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (s) => void stop(s));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`aiaudit gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
