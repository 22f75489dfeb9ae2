// Validation at the edge: middleware factories that parse body, query or path params once and hand handlers typed data.
import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { problemFromZod, type ParamLocation } from './problem.js';

/** A middleware that validates one part of the request, plus a typed accessor for the parsed value. */
export interface Validator<S extends z.ZodType> extends RequestHandler {
  readonly schema: S;
  readonly location: ParamLocation;
  /** The parsed value for `req`; throws if the middleware did not run on it first. */
  readonly valueOf: (req: Request) => z.output<S>;
}

function validator<S extends z.ZodType>(schema: S, location: ParamLocation, pick: (req: Request) => unknown): Validator<S> {
  const values = new WeakMap<Request, { value: z.output<S> }>();
  const middleware: RequestHandler = (req, _res, next) => {
    const result = schema.safeParse(pick(req), { reportInput: true });
    if (!result.success) {
      next(problemFromZod(result.error, location));
      return;
    }
    values.set(req, { value: result.data });
    if (location === 'body') req.body = result.data;
    next();
  };
  const valueOf = (req: Request): z.output<S> => {
    const parsed = values.get(req);
    if (parsed === undefined) throw new Error(`the ${location} validator did not run before the handler`);
    return parsed.value;
  };
  return Object.assign(middleware, { schema, location, valueOf });
}

/** Validates the JSON body; the parsed value also replaces req.body. */
export const validateBody = <S extends z.ZodType>(schema: S): Validator<S> => validator(schema, 'body', (req) => req.body);

/** Validates the query string (values are strings or string arrays: use z.coerce for numbers). */
export const validateQuery = <S extends z.ZodType>(schema: S): Validator<S> => validator(schema, 'query', (req) => ({ ...req.query }));

/** Validates the path parameters (`:id` segments). */
export const validateParams = <S extends z.ZodType>(schema: S): Validator<S> => validator(schema, 'path', (req) => ({ ...req.params }));
