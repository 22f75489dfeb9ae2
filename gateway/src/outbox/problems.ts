// Problems of the decision pipeline: a batch refusal re-addressed to its caller's own field, stored and read back as JSON.
import { z } from 'zod';
import { ProblemError } from '../http/problem.js';

const POSITION = /^decisions\[(\d+)\]\.?/;

/**
 * The chaincode names a field of the whole batch (`decisions[12].modelVersion`); the caller sent
 * its own request, whose first decision sits at `offset` in the batch: `decisions[2].modelVersion`
 * for a list, `modelVersion` for a single record.
 */
export function callerProblem(problem: ProblemError, offset: number, listForm: boolean): ProblemError {
  const rename = (field: string): string => {
    const match = POSITION.exec(field);
    if (match === null) return field;
    const rest = field.slice(match[0].length);
    if (!listForm) return rest === '' ? 'body' : rest;
    const own = `decisions[${Number(match[1]) - offset}]`;
    return rest === '' ? own : `${own}.${rest}`;
  };
  const errors = problem.errors?.map((e) => ({ ...e, field: rename(e.field) }));
  const first = errors?.[0];
  return new ProblemError({
    status: problem.status,
    slug: problem.slug,
    title: problem.title,
    detail: first === undefined ? problem.detail : `${first.field}: ${first.message}`,
    errors,
    txId: problem.txId,
    headers: problem.headers,
    extensions: problem.extensions,
    cause: problem.cause,
  });
}

export const shuttingDown = (): ProblemError =>
  new ProblemError({
    status: 503,
    slug: 'not-ready',
    detail: 'The gateway is shutting down; the decision is kept in its outbox and is committed after the restart (see its status URL).',
    headers: { 'Retry-After': '5' },
  });

const StoredProblem = z.object({
  status: z.number().int(),
  slug: z.string(),
  title: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  txId: z.string().optional(),
});
export type StoredProblem = z.infer<typeof StoredProblem>;

export function problemToJson(problem: ProblemError): string {
  const stored: StoredProblem = {
    status: problem.status,
    slug: problem.slug,
    title: problem.title,
    detail: problem.status >= 500 && problem.slug === 'internal' ? 'An unexpected error occurred.' : problem.detail,
    errors: problem.errors?.map(({ field, message }) => ({ field, message })),
    txId: problem.txId,
  };
  return JSON.stringify(stored);
}

/** A stored problem as the status endpoint shows it (type URI and title included); undefined for unreadable JSON. */
export function storedProblem(json: string | undefined): (StoredProblem & { type: string }) | undefined {
  if (json === undefined) return undefined;
  const parsed = StoredProblem.safeParse(JSON.parse(json));
  if (!parsed.success) return undefined;
  return { type: `urn:aiaudit:problem:${parsed.data.slug}`, ...parsed.data };
}
