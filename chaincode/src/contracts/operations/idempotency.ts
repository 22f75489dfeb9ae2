// Idempotent registration: an identical re-submission returns the stored record, different content is a conflict.
import { canonicalJson } from '../../domain/canonical-json.js';
import { conflict } from '../../domain/errors.js';

function pick(record: object, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, Reflect.get(record, field)]));
}

/**
 * Compares the submitted fields (`fields` = every key of the input schema) of the stored
 * record with the new input, canonically. Returns the stored record when they are equal;
 * throws CONFLICT naming `idField` otherwise.
 */
export function replayOrConflict<T extends object>(stored: T, input: object, fields: readonly string[], idField: string, what: string): T {
  if (canonicalJson(pick(stored, fields)) === canonicalJson(pick(input, fields))) return stored;
  const differing = fields.filter((field) => canonicalJson(pick(stored, [field])) !== canonicalJson(pick(input, [field])));
  throw conflict(idField, `${what} is already registered with different content (${differing.join(', ')}); content is immutable`);
}
