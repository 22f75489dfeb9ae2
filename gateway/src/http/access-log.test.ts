import { Writable } from 'node:stream';
import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { accessLevelOf, accessLog, securityHeaders } from './access-log.js';

function logged(level: 'info' | 'warn') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const app = express();
  app.use(accessLog(createLogger(level, sink)));
  app.get('/ok', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/boom', (_req, res) => {
    res.status(500).json({});
  });
  return { app, lines };
}

describe('accessLevelOf', () => {
  it.each([
    ['/api/v1/decisions', 201, 'info'],
    ['/api/v1/decisions?subjectRef=x', 400, 'warn'],
    ['/api/v1/decisions', 503, 'error'],
    ['/healthz', 200, 'debug'],
    ['/metrics', 200, 'debug'],
    ['/readyz', 503, 'debug'],
    ['/readyz?verbose=1', 200, 'debug'],
    ['/healthz', 500, 'error'],
  ] as const)('%s answering %i logs at %s', (url, status, level) => {
    expect(accessLevelOf(url, status)).toBe(level);
  });
});

describe('accessLog', () => {
  it('logs one line with the request id, path without query, status and time; answers with X-Request-Id', async () => {
    const { app, lines } = logged('info');
    const res = await request(app).get('/ok?subjectRef=secret-subject').set('X-Request-Id', 'req-7').set('Authorization', 'Bearer k-123');
    expect(res.headers['x-request-id']).toBe('req-7');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'request completed', requestId: 'req-7', req: { method: 'GET', path: '/ok' }, res: { statusCode: 200 } });
    expect(typeof lines[0]?.['responseTime']).toBe('number');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('secret-subject');
    expect(text).not.toContain('k-123');
  });

  it('at warn writes nothing for a success and an error line for a 500', async () => {
    const { app, lines } = logged('warn');
    await request(app).get('/ok');
    expect(lines).toHaveLength(0);
    await request(app).get('/boom');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, res: { statusCode: 500 } });
  });
});

describe('securityHeaders', () => {
  it('answers with exactly the headers helmet sets', async () => {
    const withHelmet = express().use(helmet()).get('/', (_req, res) => void res.send('x'));
    const ours = express().use(securityHeaders()).get('/', (_req, res) => void res.send('x'));
    const pick = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([k]) => !['date', 'etag', 'x-powered-by'].includes(k)));
    const expected = pick((await request(withHelmet).get('/')).headers);
    expect(Object.keys(expected)).toContain('content-security-policy');
    expect(pick((await request(ours).get('/')).headers)).toEqual(expected);
  });
});
