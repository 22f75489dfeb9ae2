// GetHistory: every committed version of one record, oldest first, for readers of the record's org.
import { z } from 'zod';
import { forbidden, notFound } from '../../domain/errors.js';
import { HistoryKind, splitHistoryId, type HistoryEntry } from '../../domain/history.js';
import { MspId } from '../../domain/identity.js';
import { parseStringArg } from '../../domain/validation.js';
import { keys } from '../../ledger/keys.js';
import { getOwnership } from '../../ledger/lineage-store.js';
import { readHistory } from '../../ledger/history-store.js';
import type { Tx } from '../tx.js';

function keyFor(kind: HistoryKind, parts: string[]): string {
  const [a = '', b = '', c = ''] = parts;
  switch (kind) {
    case 'dataset':
      return keys.dataset(a, b);
    case 'model':
      return keys.model(a, b);
    case 'policy':
      return keys.policy(a, b);
    case 'batch':
      return keys.batch(a);
    case 'alert':
      return keys.alert(a);
    case 'oversight':
      return keys.oversight(a, b, c);
    case 'grant':
      return keys.grant(a, b);
    case 'purge':
      return keys.purgeLog(a, b, c);
  }
}

/** The org a record belongs to, as its latest value names it. */
const Owned = z.looseObject({ ownerMsp: MspId.optional(), mspId: MspId.optional(), requesterMsp: MspId.optional() });

async function ownerOf(tx: Tx, kind: HistoryKind, parts: string[], latest: unknown): Promise<string | undefined> {
  if (kind === 'policy') return (await getOwnership(tx.stub, 'model', parts[0] ?? ''))?.ownerMsp;
  const owned = Owned.safeParse(latest);
  if (!owned.success) return undefined;
  return owned.data.ownerMsp ?? owned.data.mspId ?? owned.data.requesterMsp;
}

export async function getHistory(tx: Tx, kindArg: unknown, idArg: unknown): Promise<HistoryEntry[]> {
  const kind = parseStringArg(HistoryKind, kindArg, 'kind');
  const id = parseStringArg(z.string().min(1).max(2048), idArg, 'id');
  const parts = splitHistoryId(kind, id);
  const entries = await readHistory(tx.stub, keyFor(kind, parts));
  const latest = [...entries].reverse().find((entry) => !entry.isDelete)?.value;
  if (entries.length === 0 || latest === undefined) throw notFound('id', `no ${kind} ${id} on the ledger`);
  const ownerMsp = await ownerOf(tx, kind, parts, latest);
  if (ownerMsp === undefined) throw forbidden('id', `the owner of ${kind} ${id} cannot be determined`);
  await tx.requireRead(ownerMsp);
  return entries;
}
