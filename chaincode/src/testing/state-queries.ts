// Public-state queries as the peer runs them: ranges in key order, pages with bookmarks, key history newest first.
import type { Iterators, StateQueryResponse, Timestamp } from 'fabric-shim';
import { toBuffer } from './bytes.js';
import { peerRule } from './errors.js';
import { FakeQueryIterator } from './fake-iterators.js';
import { validateSimpleKeys } from './keys.js';
import type { LedgerState, Versioned } from './ledger-state.js';
import type { TxWriteSet } from './write-set.js';

/** What one transaction's ledger calls need from its stub. */
export interface TxScope {
  readonly txId: string;
  readonly chaincodeName: string;
  readonly writeSet: TxWriteSet;
  /** Counts the shim round trip and fails if the transaction is over. */
  enter(operation: string): void;
  /** The committed state the transaction simulates against. */
  state(): LedgerState;
}

export function kvIterator(namespace: string, rows: Array<[string, Versioned]>): FakeQueryIterator<Iterators.KV> {
  return new FakeQueryIterator(rows.map(([key, entry]) => ({ namespace, key, value: toBuffer(entry.value) })));
}

export class StateQueries {
  constructor(private readonly scope: TxScope) {}

  /** A non-paginated range; recorded so that commit can detect phantoms. */
  range(startKey: string, endKey: string, simpleKeys: boolean): FakeQueryIterator<Iterators.KV> {
    if (simpleKeys) validateSimpleKeys(startKey, endKey);
    this.scope.enter('GET_STATE_BY_RANGE');
    const rows = this.scope.state().publicRange(startKey, endKey);
    this.scope.writeSet.readRange(
      startKey,
      endKey,
      rows.map(([key, entry]) => [key, entry.version] as const),
    );
    return kvIterator(this.scope.chaincodeName, rows);
  }

  page(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark: string | undefined,
    simpleKeys: boolean,
  ): StateQueryResponse<Iterators.StateQueryIterator> {
    if (simpleKeys) validateSimpleKeys(startKey, endKey);
    if (!Number.isInteger(pageSize) || pageSize <= 0) {
      // Fabric treats 0 as "not paginated" and then returns no metadata at all.
      throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
    }
    this.scope.enter('GET_STATE_BY_RANGE');
    peerRule('GET_STATE_BY_RANGE', this.scope.txId, () => this.scope.writeSet.beforePaginatedQuery());
    // The peer starts a page at the bookmark: the first key not yet returned.
    const rows = this.scope.state().publicRange(bookmark || startKey, endKey);
    const pageRows = rows.slice(0, pageSize);
    const next = rows[pageSize];
    return {
      iterator: kvIterator(this.scope.chaincodeName, pageRows),
      metadata: { fetchedRecordsCount: pageRows.length, bookmark: next ? next[0] : '' },
    };
  }

  /** Newest first, as Fabric 2.x returns it. */
  history(key: string): FakeQueryIterator<Iterators.KeyModification> {
    this.scope.enter('GET_HISTORY_FOR_KEY');
    const entries = this.scope.state().history(key);
    return new FakeQueryIterator(
      [...entries].reverse().map(
        (entry): Iterators.KeyModification => ({
          txId: entry.txId,
          isDelete: entry.isDelete,
          value: toBuffer(entry.value),
          // fabric-shim hands history timestamps over as plain { seconds: number, nanos: number }
          // (protobuf toObject()), whatever its types say; Number(ts.seconds) works for both shapes.
          timestamp: { seconds: entry.seconds, nanos: entry.nanos } as unknown as Timestamp,
        }),
      ),
    );
  }
}
