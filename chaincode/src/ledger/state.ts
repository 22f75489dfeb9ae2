// Deterministic state values: canonical-JSON writes, schema-checked reads, existence checks over the stub.
import type { Stub } from './stub.js';
import type { z } from 'zod';
import { canonicalBytes } from '../domain/canonical-json.js';
import { internalError } from '../domain/errors.js';

/** Decodes stored bytes and checks them against the record schema; a mismatch is corrupt state. */
export function decodeValue<S extends z.ZodType>(schema: S, bytes: Uint8Array, key: string): z.output<S> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw internalError(`stored value of ${printable(key)} is not JSON`);
  }
  const result = schema.safeParse(decoded);
  if (!result.success) throw internalError(`stored value of ${printable(key)} does not match its schema`);
  return result.data;
}

/** The record at `key`, or undefined when absent. */
export async function readJson<S extends z.ZodType>(stub: Stub, schema: S, key: string): Promise<z.output<S> | undefined> {
  const bytes = await stub.getState(key);
  if (bytes === undefined || bytes.length === 0) return undefined;
  return decodeValue(schema, bytes, key);
}

/** Whether any value is stored at `key` (one getState; the value is not decoded). */
export async function exists(stub: Stub, key: string): Promise<boolean> {
  const bytes = await stub.getState(key);
  return bytes !== undefined && bytes.length > 0;
}

/** Writes `value` as canonical JSON (sorted keys, no whitespace): every endorser writes the same bytes. */
export async function writeJson(stub: Stub, key: string, value: unknown): Promise<void> {
  await stub.putState(key, canonicalBytes(value));
}

/** A key for log and error text: composite separators shown as `~`. */
export function printable(key: string): string {
  return key.replace(/\u0000/g, '~');
}
