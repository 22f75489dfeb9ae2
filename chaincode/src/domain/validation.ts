// Edge validation: unknown in, schema.parse once, typed out; zod failures become INVALID_ARGUMENT naming the path.
import { z } from 'zod';
import { AuditError, invalidArgument } from './errors.js';

type PathSegment = PropertyKey;

/** Renders a zod path as `decisions[3].inputSha256`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Converts a zod failure into one INVALID_ARGUMENT naming the first failing field. */
export function fromZodError(error: z.ZodError, prefix: readonly PathSegment[] = []): AuditError {
  const [first, ...rest] = error.issues;
  if (first === undefined) return invalidArgument(formatPath(prefix), 'is invalid');
  const { path, message } = describeIssue(first);
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  return invalidArgument(formatPath([...prefix, ...path]), `${message}${more}`);
}

function describeIssue(issue: z.core.$ZodIssue): { path: PathSegment[]; message: string } {
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const [key, ...others] = issue.keys;
    const also = others.length > 0 ? ` (also ${others.join(', ')})` : '';
    return { path: key === undefined ? path : [...path, key], message: `is not a known field${also}` };
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return { path, message: 'is required' };
  return { path, message: issue.message };
}

/** Validates an already-decoded value; throws INVALID_ARGUMENT naming the field. */
export function parseValue<S extends z.ZodType>(schema: S, value: unknown, prefix: readonly PathSegment[] = []): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw fromZodError(result.error, prefix);
  return result.data;
}

/**
 * Decodes a transaction's JSON string argument and validates it. Errors name the field
 * inside the argument (`decisions[3].inputSha256`), or the argument itself when it is not JSON.
 */
export function parseJsonArg<S extends z.ZodType>(schema: S, text: unknown, argName: string): z.output<S> {
  if (typeof text !== 'string') throw invalidArgument(argName, 'must be a JSON string');
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    throw invalidArgument(argName, 'is not valid JSON');
  }
  return parseValue(schema, decoded);
}

/** Validates a plain string argument (an id) against a field schema; errors name the argument. */
export function parseStringArg<S extends z.ZodType>(schema: S, value: unknown, argName: string): z.output<S> {
  return parseValue(schema, value, [argName]);
}
