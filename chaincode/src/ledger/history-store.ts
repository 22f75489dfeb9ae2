// Key history: every committed version of a key, oldest first, with txId and ledger time.
import type { HistoryEntry } from '../domain/history.js';
import type { Stub } from './stub.js';

/** Reads Fabric's key history (newest first on the peer) and returns it oldest first. */
export async function readHistory(stub: Stub, key: string): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  const iterator = await stub.getHistoryForKey(key);
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const { txId, isDelete, value, timestamp } = next.value;
      // The shim hands history timestamps over as plain numbers or Longs; both print as digits.
      const ms = Number(String(timestamp.seconds)) * 1000 + Math.floor(timestamp.nanos / 1_000_000);
      entries.push({
        txId,
        timestamp: new Date(ms).toISOString(),
        isDelete,
        value: isDelete || value.length === 0 ? null : decode(value),
      });
    }
  } finally {
    await iterator.close();
  }
  return entries.reverse();
}

function decode(value: Uint8Array): unknown {
  const text = Buffer.from(value).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
