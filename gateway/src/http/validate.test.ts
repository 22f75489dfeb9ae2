import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notFoundHandler, problemHandler } from './problem.js';
import { validateBody, validateParams, validateQuery } from './validate.js';

const params = validateParams(z.object({ modelId: z.string().regex(/^[a-z]+$/) }));
const query = validateQuery(z.object({ pageSize: z.coerce.number().int().max(100).default(20), state: z.enum(['open', 'resolved']).optional() }));
const body = validateBody(z.object({ note: z.string().trim().min(1) }));

const app = express();
app.use(express.json());
app.post('/models/:modelId', params, query, body, (req, res) => {
  res.json({ params: params.valueOf(req), query: query.valueOf(req), body: body.valueOf(req), raw: req.body });
});
app.get('/unvalidated', (req, res) => {
  res.json(query.valueOf(req));
});
app.use(notFoundHandler);
app.use(problemHandler({ logger: { error: () => undefined, warn: () => undefined } }));

describe('validateBody / validateQuery / validateParams', () => {
  it('hands the handler parsed values: coerced, defaulted, transformed', async () => {
    const res = await request(app).post('/models/credit?state=open').send({ note: '  reviewed  ' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      params: { modelId: 'credit' },
      query: { pageSize: 20, state: 'open' },
      body: { note: 'reviewed' },
      raw: { note: 'reviewed' },
    });
  });

  it.each([
    ['/models/CREDIT', { note: 'x' }, 'modelId', 'path'],
    ['/models/credit?pageSize=500', { note: 'x' }, 'pageSize', 'query'],
    ['/models/credit?state=closed', { note: 'x' }, 'state', 'query'],
    ['/models/credit', { note: '   ' }, 'note', 'body'],
    ['/models/credit', {}, 'note', 'body'],
  ])('refuses %s %j naming %s in the %s', async (url, payload, field, location) => {
    const res = await request(app).post(url).send(payload);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field, in: location })]);
  });

  it('names the body itself when there is none', async () => {
    const res = await request(app).post('/models/credit');
    expect(res.body.errors).toEqual([{ field: 'body', message: 'is required', in: 'body' }]);
  });

  it('fails loudly when a handler reads a value its validator never parsed', async () => {
    const res = await request(app).get('/unvalidated');
    expect(res.status).toBe(500);
  });
});
