// Serves the built web console (console/dist) at / as static files under its own strict CSP; a clear page when it is not built.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type RequestHandler } from 'express';

/**
 * The console loads only its own script and stylesheet and talks only to this origin. Unlike
 * helmet's default there is no upgrade-insecure-requests: the gateway serves plain HTTP, and
 * upgrading the console's own assets to https would break it on any non-loopback host.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>aiaudit console not built</title></head>
<body><main><h1>The aiaudit web console is not built</h1>
<p>Build it with <code>npm run build -w console</code> (<code>npm start</code> does it too), then reload this page.</p>
<p>The REST API works without it: <a href="/api/v1/docs">/api/v1/docs</a>.</p></main></body></html>`;

/** GET / and the console's assets from `dir`; other paths fall through (the API is mounted before, 404 after). */
export function consoleRouter(dir: string): Router {
  const router = Router();
  const strictPolicy: RequestHandler = (req, res, next) => {
    if (req.path.startsWith('/api/')) {
      next('router');
      return;
    }
    res.set('Content-Security-Policy', CONSOLE_CSP);
    next();
  };
  router.use(strictPolicy);
  router.get('/', (_req, res, next) => {
    // Checked per request, so that a build made while the gateway runs is served at once.
    if (existsSync(join(dir, 'index.html'))) {
      next();
      return;
    }
    res.status(503).set({ 'Cache-Control': 'no-store', 'Retry-After': '30' }).type('html').send(NOT_BUILT_PAGE);
  });
  router.use(
    express.static(dir, {
      index: 'index.html',
      redirect: false,
      dotfiles: 'ignore',
      setHeaders: (res, path) => {
        // Vite names assets by content hash: cache them for good; index.html must always be fresh.
        res.set('Cache-Control', path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  return router;
}
