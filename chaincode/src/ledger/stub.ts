// The stub type the ledger layer works against: the one fabric-contract-api hands each transaction.
import type { Context } from 'fabric-contract-api';

export type Stub = Context['stub'];

/** The transaction's ledger time as RFC 3339 UTC with milliseconds; the only clock chaincode uses. */
export function txTimeOf(stub: Stub): string {
  const { seconds, nanos } = stub.getTxTimestamp();
  const ms = Number(seconds.toString()) * 1000 + Math.floor(nanos / 1_000_000);
  return new Date(ms).toISOString();
}

/** The UTC day (YYYY-MM-DD) of an RFC 3339 UTC time. */
export const dayOf = (time: string): string => new Date(Date.parse(time)).toISOString().slice(0, 10);
