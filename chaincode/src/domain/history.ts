// Record history: which kinds of record have a key history, and how a history id names the record.
import { z } from 'zod';
import { invalidArgument } from './errors.js';
import { IDENTIFIER_PATTERN } from './primitives.js';

/**
 * History kinds and their id forms (parts joined by `@`; identifiers never contain `@`):
 * dataset `datasetId@version`, model `modelId@version`, policy `modelId@version`,
 * batch `batchId`, alert `alertId`, oversight `batchId@decisionId@oversightId`,
 * grant `mspId@identityId` (the identity id may itself contain `@`), purge `batchId@decisionId@txId`.
 */
export const HistoryKind = z
  .enum(['dataset', 'model', 'policy', 'batch', 'alert', 'oversight', 'grant', 'purge'], {
    error: 'must be dataset, model, policy, batch, alert, oversight, grant or purge',
  })
  .describe('Kind of record');
export type HistoryKind = z.output<typeof HistoryKind>;

const PARTS: Readonly<Record<HistoryKind, number>> = Object.freeze({
  dataset: 2,
  model: 2,
  policy: 2,
  batch: 1,
  alert: 1,
  oversight: 3,
  grant: 2,
  purge: 3,
});

/** Splits a history id into its key parts; the last part takes any remaining `@`. */
export function splitHistoryId(kind: HistoryKind, id: string): string[] {
  const count = PARTS[kind];
  const parts: string[] = [];
  let rest = id;
  for (let i = 1; i < count; i++) {
    const at = rest.indexOf('@');
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  if (parts.length !== count || parts.some((part) => part === '')) {
    throw invalidArgument('id', `a ${kind} history id has ${count} part(s) joined by @`);
  }
  parts.forEach((part, index) => {
    const identity = kind === 'grant' && index === 1;
    const ok = identity ? part.length <= 1024 && !part.includes('\u0000') : IDENTIFIER_PATTERN.test(part);
    if (!ok) throw invalidArgument('id', `part ${index + 1} of the ${kind} history id is not a valid identifier`);
  });
  return parts;
}

export const HistoryEntry = z
  .strictObject({
    txId: z.string(),
    timestamp: z.string().describe('Ledger time of the transaction'),
    isDelete: z.boolean(),
    value: z.unknown().describe('The record as written (null for a delete)'),
  })
  .meta({ id: 'HistoryEntry', description: 'One committed version of a record' });
export type HistoryEntry = z.output<typeof HistoryEntry>;
