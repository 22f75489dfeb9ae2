// RFC 9457 problem+json: the one error type (ProblemError), the one error handler, and the mapping of chaincode and Fabric errors.
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, EndorseError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { AuditError, ErrorCode, formatPath, httpStatusOf, parseChaincodeError, type DecodedChaincodeError } from '../domain.js';
import { requestIdOf } from './request-context.js';

/** Where a bad value came from. */
export type ParamLocation = 'body' | 'query' | 'path' | 'header';

/** One failing field: `decisions[3].inputSha256` and what is wrong with it. */
export interface InvalidParam {
  readonly field: string;
  readonly message: string;
  readonly in?: ParamLocation;
}

/** The problem types this API uses; each becomes the URI `urn:aiaudit:problem:<slug>`. */
const TITLES = {
  'invalid-argument': 'Invalid argument',
  'malformed-body': 'Malformed request body',
  'payload-too-large': 'Request body too large',
  'unsupported-media-type': 'Unsupported media type',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  gone: 'Gone',
  'precondition-failed': 'Precondition failed',
  'rate-limited': 'Too many requests',
  'identity-provider-unavailable': 'Identity provider unavailable',
  'not-ready': 'Not ready',
  overloaded: 'Too many decisions waiting for the ledger',
  'ledger-conflict': 'Concurrent ledger update',
  'transaction-invalid': 'Transaction invalidated by the peers',
  'commit-status-unknown': 'Commit status unknown',
  'fabric-timeout': 'Fabric timed out',
  'fabric-unavailable': 'Fabric unavailable',
  'fabric-error': 'Fabric error',
  internal: 'Internal server error',
} as const;
export type ProblemSlug = keyof typeof TITLES;

export const problemTypeUri = (slug: ProblemSlug): string => `urn:aiaudit:problem:${slug}`;

export interface ProblemInit {
  status: number;
  slug: ProblemSlug;
  /** Defaults to the slug's title. */
  title?: string;
  /** Shown to the caller: say what to fix, never internals. */
  detail?: string;
  errors?: readonly InvalidParam[];
  /** The Fabric transaction this problem concerns, so the caller can check its status. */
  txId?: string;
  headers?: Readonly<Record<string, string>>;
  /** Further members of the problem document (RFC 9457 §3.2). */
  extensions?: Readonly<Record<string, unknown>>;
  /** Logged for 5xx, never sent. */
  cause?: unknown;
}

/** The one error type of the HTTP layer: throw it (or pass it to next) and the error handler renders it. */
export class ProblemError extends Error {
  readonly status: number;
  readonly slug: ProblemSlug;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: readonly InvalidParam[] | undefined;
  readonly txId: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title ?? TITLES[init.slug], { cause: init.cause });
    this.name = 'ProblemError';
    this.status = init.status;
    this.slug = init.slug;
    this.type = problemTypeUri(init.slug);
    this.title = init.title ?? TITLES[init.slug];
    this.detail = init.detail;
    this.errors = init.errors;
    this.txId = init.txId;
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }
}

/** 400 naming every failing field of a zod error. */
export function problemFromZod(error: z.core.$ZodError, location: ParamLocation = 'body'): ProblemError {
  const errors = error.issues.flatMap((issue) => invalidParams(issue, location));
  const [first] = errors;
  const detail = first === undefined ? 'The request is invalid.' : `${first.field}: ${first.message}`;
  return new ProblemError({ status: 400, slug: 'invalid-argument', detail, errors });
}

function invalidParams(issue: z.core.$ZodIssue, location: ParamLocation): InvalidParam[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: formatPath([...issue.path, key]), message: 'is not a known field', in: location }));
  }
  const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
  // A failure of the whole body or query has no field name: name the part instead.
  return [{ field: formatPath(issue.path) || location, message: missing ? 'is required' : issue.message, in: location }];
}

/** The slug and status of each chaincode error code; statuses come from the domain's own table. */
const CHAINCODE_SLUGS: Readonly<Record<ErrorCode, ProblemSlug>> = {
  INVALID_ARGUMENT: 'invalid-argument',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not-found',
  CONFLICT: 'conflict',
  PRECONDITION_FAILED: 'precondition-failed',
  INTERNAL: 'internal',
};

/**
 * Maps an error from a chaincode call to a problem: a decoded chaincode refusal to its code's
 * status (with the field), a Fabric client error by its kind, keeping the transaction id.
 * Anything else is an internal error whose cause is logged, not shown.
 */
export function problemFromChaincode(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  if (err instanceof AuditError) return fromDecoded({ code: err.code, field: err.field, message: err.detail }, undefined, err);
  if (err instanceof CommitError) return fromCommitError(err);
  if (err instanceof GatewayError) {
    const txId = 'transactionId' in err && typeof err.transactionId === 'string' ? err.transactionId : undefined;
    const decoded = firstDecoded([...err.details.map((d) => d.message), err.message]);
    if (decoded !== undefined) return fromDecoded(decoded, txId, err);
    return fromGatewayError(err, txId);
  }
  const decoded = err instanceof Error ? parseChaincodeError(err.message) : undefined;
  if (decoded !== undefined) return fromDecoded(decoded, undefined, err);
  return new ProblemError({ status: 500, slug: 'internal', cause: err });
}

function firstDecoded(texts: readonly string[]): DecodedChaincodeError | undefined {
  for (const text of texts) {
    const decoded = parseChaincodeError(text);
    if (decoded !== undefined) return decoded;
  }
  return undefined;
}

function fromDecoded(decoded: DecodedChaincodeError, txId: string | undefined, cause: unknown): ProblemError {
  const { code, field, message } = decoded;
  if (code === ErrorCode.INTERNAL) return new ProblemError({ status: httpStatusOf[code], slug: 'internal', txId, cause });
  return new ProblemError({
    status: httpStatusOf[code],
    slug: CHAINCODE_SLUGS[code],
    detail: field === undefined ? message : `${field}: ${message}`,
    errors: field === undefined ? undefined : [{ field, message }],
    txId,
    cause,
  });
}

function fromGatewayError(err: GatewayError, txId: string | undefined): ProblemError {
  if (err instanceof CommitStatusError) {
    return new ProblemError({
      status: 504,
      slug: 'commit-status-unknown',
      detail: 'The transaction was submitted but its commit status could not be read; check txId before resubmitting.',
      txId,
      cause: err,
    });
  }
  const stage = err instanceof EndorseError ? 'endorsement' : err.name === 'SubmitError' ? 'ordering' : 'evaluation';
  if (err.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return new ProblemError({ status: 504, slug: 'fabric-timeout', detail: `Fabric ${stage} timed out.`, txId, cause: err });
  }
  if (err.code === GrpcStatus.UNAVAILABLE) {
    return new ProblemError({
      status: 503,
      slug: 'fabric-unavailable',
      detail: `Fabric ${stage} failed: a peer or orderer is unreachable.`,
      txId,
      headers: { 'Retry-After': '5' },
      cause: err,
    });
  }
  return new ProblemError({ status: 502, slug: 'fabric-error', detail: `Fabric ${stage} failed.`, txId, cause: err });
}

function fromCommitError(err: CommitError): ProblemError {
  const validationCode = Object.entries(StatusCode).find(([, value]) => value === err.code)?.[0] ?? String(err.code);
  const base = { txId: err.transactionId, extensions: { validationCode }, cause: err };
  if (err.code === StatusCode.MVCC_READ_CONFLICT || err.code === StatusCode.PHANTOM_READ_CONFLICT) {
    return new ProblemError({
      ...base,
      status: 503,
      slug: 'ledger-conflict',
      detail: 'A concurrent update invalidated the transaction; nothing was written and a retry is safe.',
      headers: { 'Retry-After': '1' },
    });
  }
  if (err.code === StatusCode.DUPLICATE_TXID) {
    return new ProblemError({ ...base, status: 409, slug: 'conflict', detail: 'The transaction id was already used.' });
  }
  return new ProblemError({ ...base, status: 502, slug: 'transaction-invalid', detail: `The peers invalidated the transaction (${validationCode}); nothing was written.` });
}

/** body-parser's error kinds (its `type` property) and the problem each becomes. */
const BODY_PARSER_ERRORS: Readonly<Record<string, { status: number; slug: ProblemSlug; detail: string }>> = {
  'entity.parse.failed': { status: 400, slug: 'malformed-body', detail: 'The request body is not valid JSON (an object or array).' },
  'entity.verify.failed': { status: 400, slug: 'malformed-body', detail: 'The request body failed verification.' },
  'request.aborted': { status: 400, slug: 'malformed-body', detail: 'The request body was not received completely.' },
  'request.size.invalid': { status: 400, slug: 'malformed-body', detail: 'The request body length does not match Content-Length.' },
  'entity.too.large': { status: 413, slug: 'payload-too-large', detail: 'The request body is larger than this gateway accepts.' },
  'parameters.too.many': { status: 413, slug: 'payload-too-large', detail: 'The request has too many parameters.' },
  'encoding.unsupported': { status: 415, slug: 'unsupported-media-type', detail: 'The request body content encoding is not supported.' },
  'charset.unsupported': { status: 415, slug: 'unsupported-media-type', detail: 'The request body charset is not supported; use UTF-8.' },
};

const HttpErrorShape = z.object({ status: z.number().int().min(400).max(599), type: z.string().optional(), expose: z.boolean().optional() });

/** Any thrown value as a problem; unknown errors become an opaque 500. */
export function toProblem(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  if (err instanceof z.core.$ZodError) return problemFromZod(err);
  const shape = HttpErrorShape.safeParse(err);
  if (shape.success) {
    const known = shape.data.type === undefined ? undefined : BODY_PARSER_ERRORS[shape.data.type];
    if (known !== undefined) return new ProblemError({ ...known, cause: err });
    if (shape.data.status < 500) {
      const slug = shape.data.status === 404 ? 'not-found' : shape.data.status === 415 ? 'unsupported-media-type' : 'malformed-body';
      return new ProblemError({ status: shape.data.status, slug, title: STATUS_CODES[shape.data.status], cause: err });
    }
  }
  return problemFromChaincode(err);
}

/** Writes a problem as application/problem+json. */
export function sendProblem(req: Request, res: Response, problem: ProblemError): void {
  const requestId = requestIdOf(req);
  const body: Record<string, unknown> = {
    ...problem.extensions,
    type: problem.type,
    title: problem.title,
    status: problem.status,
    ...(problem.detail === undefined ? {} : { detail: problem.detail }),
    instance: req.originalUrl.split('?')[0],
    requestId,
    ...(problem.errors === undefined ? {} : { errors: problem.errors }),
    ...(problem.txId === undefined ? {} : { txId: problem.txId }),
  };
  if (problem.status >= 500 && problem.slug === 'internal') body.detail = `An unexpected error occurred; quote requestId ${requestId} when reporting it.`;
  res.status(problem.status).set(problem.headers).type('application/problem+json').json(body);
}

export interface ProblemHandlerOptions {
  logger: Pick<Logger, 'error' | 'warn'>;
}

/** The one error handler, mounted last: renders every error as problem+json and logs server faults with the request id. */
export function problemHandler(options: ProblemHandlerOptions): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const problem = toProblem(err);
    if (problem.status >= 500) {
      options.logger.error({ requestId: requestIdOf(req), err: problem.cause ?? problem, txId: problem.txId, status: problem.status }, problem.title);
    }
    sendProblem(req, res, problem);
  };
}

/** 404 for any route nothing else answered. */
export const notFoundHandler: RequestHandler = (req) => {
  throw new ProblemError({ status: 404, slug: 'not-found', detail: `No route for ${req.method} ${req.path}.` });
};
