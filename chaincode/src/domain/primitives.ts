// Shared field schemas: identifiers, hashes, RFC 3339 UTC times, pseudonymous subject references.
import { z } from 'zod';

export const IDENTIFIER_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** A client-chosen identifier: 1–128 characters of A–Z a–z 0–9 . _ : - */
export const Identifier = z
  .string({ error: 'must be a string' })
  .regex(IDENTIFIER_PATTERN, { error: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -' })
  .describe('Client-chosen identifier: 1-128 characters of A-Z a-z 0-9 . _ : -');

/** Lowercase hex SHA-256 (of the RFC 8785 canonical JSON of what it covers). */
export const Sha256 = z
  .string({ error: 'must be a string' })
  .regex(SHA256_PATTERN, { error: 'must be a SHA-256 as 64 lowercase hex characters' })
  .describe('SHA-256 as 64 lowercase hex characters');

/** An RFC 3339 timestamp in UTC (`Z`), any sub-second precision. */
export const Timestamp = z.iso
  .datetime({ error: 'must be an RFC 3339 UTC timestamp such as 2025-01-31T12:00:00Z' })
  .describe('RFC 3339 timestamp in UTC, e.g. 2025-01-31T12:00:00Z');

/** A UTC calendar day, YYYY-MM-DD. */
export const Day = z.iso
  .date({ error: 'must be a calendar day YYYY-MM-DD' })
  .describe('UTC calendar day, YYYY-MM-DD');

/** Bounded free text (names, reasons, notes). */
export const text = (max: number, what: string): z.ZodString =>
  z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .describe(what);

/** A finite JSON number. */
export const FiniteNumber = z.number({ error: 'must be a finite number' });

/**
 * Why a subjectRef candidate is unacceptable, in words a caller can act on; the field must be
 * a salted SHA-256 (64 lowercase hex) and never a raw identifier.
 */
export function subjectRefProblem(candidate: unknown): string {
  if (typeof candidate !== 'string') return 'must be a salted SHA-256 hash (64 lowercase hex characters)';
  if (candidate.includes('@')) {
    return 'looks like an email address: submit a salted SHA-256 hash (64 lowercase hex), never a raw identifier';
  }
  if (/^[0-9A-Fa-f]{64}$/.test(candidate)) return 'must use lowercase hex';
  if (/\s/.test(candidate) || /[G-Zg-z]/.test(candidate)) {
    return 'looks like a raw identifier (name, account or national id): submit a salted SHA-256 hash (64 lowercase hex)';
  }
  return 'must be a salted SHA-256 hash (64 lowercase hex characters), never a raw identifier';
}

/** Pseudonymous subject reference: a salted SHA-256 of the subject's identifier. */
export const SubjectRef = z
  .string({ error: (issue) => subjectRefProblem(issue.input) })
  .regex(SHA256_PATTERN, { error: (issue) => subjectRefProblem(issue.input) })
  .describe('Pseudonymous subject reference: salted SHA-256 (64 lowercase hex), never a raw identifier');

/** A time window [from, to] in UTC; `from` must not be after `to`. */
export const TimeWindow = z
  .strictObject({ from: Timestamp, to: Timestamp })
  .refine((w) => !(Date.parse(w.from) > Date.parse(w.to)), { error: 'from must not be after to', path: ['to'] })
  .describe('Time window [from, to] in UTC');
