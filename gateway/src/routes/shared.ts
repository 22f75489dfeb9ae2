// What every ledger route shares: the signer of a principal, write receipts, replay detection, result checks, role sets.
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import { Identifier } from '../domain.js';
import type { FabricSigner, Ledger, SubmitReceipt } from '../fabric/ledger.js';
import type { Principal, Role } from '../http/principal.js';
import { problemFromZod, type ParamLocation } from '../http/problem.js';
import type { RouteResponse } from '../http/openapi.js';

/** Finds the batch that holds a decision (the block-derived index); undefined when it does not know the decision. */
export type DecisionLocator = (decisionId: string) => Promise<{ batchId: string } | undefined>;

export interface LedgerRouteDeps {
  ledger: Ledger;
  /** When present, routes on /decisions/{id}/… may omit batchId and have it looked up. */
  findDecision?: DecisionLocator;
}

/** Roles that may read: the chaincode then allows the regulator everything and the others their own org's records. */
export const READERS: readonly [Role, ...Role[]] = ['recorder', 'officer', 'regulator', 'admin'];

export const signerOf = (principal: Principal): FabricSigner => ({ mspId: principal.org, fabricUser: principal.fabricUser });

/**
 * The reference of the acting principal kept with status changes and alert transitions: the
 * principal id when it is a valid identifier, else a short hash of it (an OIDC subject may hold
 * characters an identifier may not).
 */
export function actorRefOf(principal: Principal): string {
  if (Identifier.safeParse(principal.id).success) return principal.id;
  return `sha256:${createHash('sha256').update(principal.id, 'utf8').digest('hex').slice(0, 32)}`;
}

export const Receipt = z
  .object({
    txId: z.string().describe('The Fabric transaction that answered this write'),
    blockNumber: z.string().regex(/^\d+$/).describe('The block it committed in (decimal string: block numbers are 64-bit)'),
  })
  .meta({ id: 'Receipt', description: 'Where a write committed; check it with GET /history or on any peer' });
export type Receipt = z.infer<typeof Receipt>;

/** Every write answers `{result, receipt}`: what the chaincode returned, and where it committed. */
export const writeResponse = (result: z.ZodType) => z.object({ result, receipt: Receipt });

export const receiptOf = (receipt: SubmitReceipt<unknown>): Receipt => ({ txId: receipt.txId, blockNumber: receipt.blockNumber });

export function sendWrite(res: Response, status: number, result: unknown, receipt: SubmitReceipt<unknown>, location?: string): void {
  if (location !== undefined) res.location(location);
  res.status(status).json({ result, receipt: receiptOf(receipt) });
}

/**
 * True when the record was written by the transaction of `receipt`: its ledger time equals the
 * transaction's. An identical re-submission commits a transaction that writes nothing and returns
 * the stored record, whose time is older: that is a replay (answered 200, not 201).
 */
export function writtenBy(receipt: SubmitReceipt<unknown>, recordTime: string): boolean {
  if (receipt.timestamp === undefined) return true;
  return Date.parse(receipt.timestamp) === Date.parse(recordTime);
}

/** Checks what the chaincode answered against the domain schema; a mismatch is our fault (500), never the caller's. */
export function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`the chaincode answered ${what} that does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

/** Validates the value a route assembles from path and body against the chaincode's own input schema (its cross-field rules). */
export function assembled<S extends z.ZodType>(schema: S, value: unknown, location: ParamLocation = 'body'): z.output<S> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw problemFromZod(parsed.error, location);
  return parsed.data;
}

/** A whole-number query parameter piped into the domain's number schema. */
export const queryInt = <S extends z.ZodType<number, number>>(schema: S) =>
  z
    .string({ error: 'must be a single whole number' })
    .regex(/^\d{1,9}$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(schema);

/** A problem response documented in OpenAPI. */
export const problem = (description: string): RouteResponse => ({ description, problem: true });

/** JSON argument of a chaincode transaction. */
export const arg = (value: unknown): string => JSON.stringify(value);

export const VersionParams = z.strictObject({ modelId: Identifier, version: Identifier });
