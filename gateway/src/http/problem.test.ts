import express from 'express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { SubmitError } from '@hyperledger/fabric-gateway/dist/submiterror.js';
import { AuditError, ErrorCode } from '../domain.js';
import { notFoundHandler, problemFromChaincode, problemHandler, ProblemError } from './problem.js';

function appThrowing(err: () => unknown, bodyLimit = 1024) {
  const logger = { error: vi.fn(), warn: vi.fn() };
  const app = express();
  app.use(express.json({ limit: bodyLimit }));
  app.post('/boom', () => {
    throw err();
  });
  app.use(notFoundHandler);
  app.use(problemHandler({ logger }));
  return { app, logger };
}

const Decisions = z.strictObject({ decisions: z.array(z.object({ inputSha256: z.string().regex(/^[0-9a-f]{64}$/) })) });

describe('problemHandler', () => {
  it('renders a zod error as 400 naming each failing field', async () => {
    const body = { decisions: [{ inputSha256: 'a'.repeat(64) }, {}, { inputSha256: 'XYZ' }], extra: 1 };
    const { app } = appThrowing(() => Decisions.safeParse(body, { reportInput: true }).error);
    const res = await request(app).post('/boom?subjectRef=secret').send({});
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({
      type: 'urn:aiaudit:problem:invalid-argument',
      title: 'Invalid argument',
      status: 400,
      instance: '/boom',
      errors: expect.arrayContaining([
        { field: 'decisions[1].inputSha256', message: 'is required', in: 'body' },
        { field: 'decisions[2].inputSha256', message: expect.any(String), in: 'body' },
        { field: 'extra', message: 'is not a known field', in: 'body' },
      ]),
    });
    expect(res.body.requestId).toEqual(expect.any(String));
  });

  it.each([
    ['malformed JSON', '{"decisions": [', 'application/json', 400, 'malformed-body'],
    ['a bare JSON string', '"text"', 'application/json', 400, 'malformed-body'],
    ['a body over the limit', JSON.stringify({ pad: 'x'.repeat(4096) }), 'application/json', 413, 'payload-too-large'],
    ['an unsupported charset', '{}', 'application/json; charset=latin1', 415, 'unsupported-media-type'],
  ])('renders %s from body-parser as %i', async (_what, body, contentType, status, slug) => {
    const { app } = appThrowing(() => new Error('handler must not run'));
    const res = await request(app).post('/boom').set('Content-Type', contentType).send(body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ status, type: `urn:aiaudit:problem:${slug}`, instance: '/boom' });
  });

  it('answers 404 problem+json for an unknown route', async () => {
    const { app } = appThrowing(() => new Error('unused'));
    const res = await request(app).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'urn:aiaudit:problem:not-found', detail: 'No route for GET /nowhere.', instance: '/nowhere' });
  });

  it('hides an unexpected error behind an opaque 500 and logs it with the request id', async () => {
    const { app, logger } = appThrowing(() => new Error('connect ECONNREFUSED 10.1.2.3:5432 password=hunter2'));
    const res = await request(app).post('/boom').set('X-Request-Id', 'req-42').send({});
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|ECONNREFUSED/);
    expect(res.body).toMatchObject({ type: 'urn:aiaudit:problem:internal', requestId: 'req-42' });
    expect(res.body.detail).toContain('req-42');
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0]?.[0]).toMatchObject({ requestId: 'req-42', status: 500 });
  });

  it('keeps headers, txId and extension members of a thrown ProblemError', async () => {
    const { app } = appThrowing(
      () => new ProblemError({ status: 429, slug: 'rate-limited', headers: { 'Retry-After': '7' }, txId: 'tx1', extensions: { limit: 5 } }),
    );
    const res = await request(app).post('/boom').send({});
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body).toMatchObject({ status: 429, title: 'Too many requests', txId: 'tx1', limit: 5 });
  });
});

const serviceError = (code: number): ServiceError =>
  Object.assign(new Error('grpc failure'), { code, details: 'grpc failure', metadata: new Metadata() }) as ServiceError;
const detail = (message: string) => [{ address: 'peer0.operator:7051', mspId: 'OperatorOrgMSP', message }];
const endorseError = (message: string, code = GrpcStatus.ABORTED) =>
  new EndorseError({ code, details: detail(message), cause: serviceError(code), transactionId: 'tx-e', message: 'failed to endorse' });

describe('problemFromChaincode', () => {
  it.each([
    ['INVALID_ARGUMENT', 'decisions[3].inputSha256', 400, 'invalid-argument'],
    ['FORBIDDEN', '-', 403, 'forbidden'],
    ['NOT_FOUND', 'modelVersion', 404, 'not-found'],
    ['CONFLICT', 'decisionId', 409, 'conflict'],
    ['PRECONDITION_FAILED', 'modelVersion', 422, 'precondition-failed'],
  ])('maps an endorsement refused with %s to %i, naming the field', (code, field, status, slug) => {
    const problem = problemFromChaincode(endorseError(`chaincode response 500, ${code}: ${field}: is wrong`));
    expect(problem).toMatchObject({ status, slug, txId: 'tx-e' });
    if (field === '-') expect(problem.errors).toBeUndefined();
    else expect(problem.errors).toEqual([{ field, message: 'is wrong' }]);
  });

  it('decodes an evaluate failure whose code is only in the message', () => {
    const err = new GatewayError({ code: GrpcStatus.UNKNOWN, details: [], cause: serviceError(2), message: 'evaluate failed: NOT_FOUND: -: no decision d-1' });
    expect(problemFromChaincode(err)).toMatchObject({ status: 404, detail: 'no decision d-1', txId: undefined });
  });

  it('hides the message of a chaincode INTERNAL error', () => {
    const problem = problemFromChaincode(endorseError('INTERNAL: -: corrupt value at key \u0000b\u0000x'));
    expect(problem).toMatchObject({ status: 500, slug: 'internal', detail: undefined, txId: 'tx-e' });
  });

  it('maps an AuditError thrown locally', () => {
    expect(problemFromChaincode(new AuditError(ErrorCode.CONFLICT, 'alertId', 'taken'))).toMatchObject({ status: 409, errors: [{ field: 'alertId' }] });
  });

  it.each([
    ['an endorsement with no code', endorseError('chaincode definition not found'), 502, 'fabric-error'],
    ['an endorsement timeout', endorseError('', GrpcStatus.DEADLINE_EXCEEDED), 504, 'fabric-timeout'],
    ['an unreachable peer', endorseError('', GrpcStatus.UNAVAILABLE), 503, 'fabric-unavailable'],
    [
      'a submit failure',
      new SubmitError({ code: GrpcStatus.UNAVAILABLE, details: [], cause: serviceError(14), transactionId: 'tx-s' }),
      503,
      'fabric-unavailable',
    ],
    [
      'a lost commit status',
      new CommitStatusError({ code: GrpcStatus.DEADLINE_EXCEEDED, details: [], cause: serviceError(4), transactionId: 'tx-c' }),
      504,
      'commit-status-unknown',
    ],
  ])('maps %s to %i and keeps the transaction id', (_what, err, status, slug) => {
    const problem = problemFromChaincode(err);
    expect(problem).toMatchObject({ status, slug });
    expect(problem.txId).toBe('transactionId' in err ? err.transactionId : undefined);
    expect(problem.detail ?? '').not.toContain('peer0');
  });

  it.each([
    [StatusCode.MVCC_READ_CONFLICT, 503, 'ledger-conflict', 'MVCC_READ_CONFLICT'],
    [StatusCode.PHANTOM_READ_CONFLICT, 503, 'ledger-conflict', 'PHANTOM_READ_CONFLICT'],
    [StatusCode.DUPLICATE_TXID, 409, 'conflict', 'DUPLICATE_TXID'],
    [StatusCode.ENDORSEMENT_POLICY_FAILURE, 502, 'transaction-invalid', 'ENDORSEMENT_POLICY_FAILURE'],
  ])('maps a commit with validation code %i to %i', (code, status, slug, validationCode) => {
    const problem = problemFromChaincode(new CommitError({ code, transactionId: 'tx-k', message: 'invalid' }));
    expect(problem).toMatchObject({ status, slug, txId: 'tx-k', extensions: { validationCode } });
  });

  it('turns anything else into an opaque 500 keeping the cause', () => {
    const cause = new Error('socket hang up');
    expect(problemFromChaincode(cause)).toMatchObject({ status: 500, slug: 'internal', detail: undefined, cause });
  });
});
