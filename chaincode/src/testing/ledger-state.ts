// Committed ledger state as immutable snapshots: public and private key/values with versions, and key histories.
import { compareKeys, inRange } from './keys.js';

/** A committed value and the block that wrote it (its MVCC version). */
export interface Versioned {
  readonly value: Uint8Array;
  readonly version: number;
}

/** Which transaction a change belongs to. */
export interface TxStamp {
  readonly txId: string;
  readonly blockNumber: number;
  readonly seconds: number;
  readonly nanos: number;
}

/** One committed write of a key: a value, or a delete (empty value). */
export interface HistoryEntry extends TxStamp {
  readonly isDelete: boolean;
  readonly value: Uint8Array;
}

export type PrivateWrite =
  | { readonly kind: 'put'; readonly value: Uint8Array }
  | { readonly kind: 'delete' }
  | { readonly kind: 'purge' };

/** What a transaction writes: public key → value or null (delete); collection → key → write. */
export interface TxWrites {
  readonly public: ReadonlyMap<string, Uint8Array | null>;
  readonly private: ReadonlyMap<string, ReadonlyMap<string, PrivateWrite>>;
}

type History = ReadonlyMap<string, readonly HistoryEntry[]>;

/** An immutable key/value table that keeps its keys in LevelDB order. */
export class Table {
  private sortedKeys: string[] | undefined;

  constructor(private readonly entries: ReadonlyMap<string, Versioned> = new Map()) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Versioned | undefined {
    return this.entries.get(key);
  }

  keys(): readonly string[] {
    this.sortedKeys ??= [...this.entries.keys()].sort(compareKeys);
    return this.sortedKeys;
  }

  /** Entries with startKey <= key < endKey (endKey '' = unbounded), in key order. */
  range(startKey: string, endKey: string): Array<[string, Versioned]> {
    const keys = this.keys();
    const result: Array<[string, Versioned]> = [];
    for (let i = lowerBound(keys, startKey); i < keys.length; i++) {
      const key = keys[i];
      if (key === undefined || !inRange(key, startKey, endKey)) break;
      const entry = this.entries.get(key);
      if (entry) result.push([key, entry]);
    }
    return result;
  }

  /** A new table with the changes applied; null removes the key. */
  with(changes: Iterable<readonly [string, Versioned | null]>): Table {
    const next = new Map(this.entries);
    for (const [key, entry] of changes) {
      if (entry === null) next.delete(key);
      else next.set(key, entry);
    }
    return new Table(next);
  }
}

function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const probe = keys[mid];
    if (probe !== undefined && compareKeys(probe, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function appendHistory(history: Map<string, readonly HistoryEntry[]>, key: string, entry: HistoryEntry): void {
  history.set(key, [...(history.get(key) ?? []), entry]);
}

const EMPTY = new Uint8Array(0);

/** The committed state after some block; apply() returns the state after the next one. */
export class LedgerState {
  static empty(): LedgerState {
    return new LedgerState(0, new Table(), new Map(), new Map(), new Map());
  }

  private constructor(
    /** Number of the last committed block (one transaction per block in the fake). */
    readonly height: number,
    private readonly publicTable: Table,
    private readonly privateTables: ReadonlyMap<string, Table>,
    private readonly publicHistory: History,
    private readonly privateHistories: ReadonlyMap<string, History>,
  ) {}

  getPublic(key: string): Versioned | undefined {
    return this.publicTable.get(key);
  }

  publicRange(startKey: string, endKey: string): Array<[string, Versioned]> {
    return this.publicTable.range(startKey, endKey);
  }

  publicKeys(): readonly string[] {
    return this.publicTable.keys();
  }

  getPrivate(collection: string, key: string): Versioned | undefined {
    return this.privateTables.get(collection)?.get(key);
  }

  privateRange(collection: string, startKey: string, endKey: string): Array<[string, Versioned]> {
    return this.privateTables.get(collection)?.range(startKey, endKey) ?? [];
  }

  privateKeys(collection: string): readonly string[] {
    return this.privateTables.get(collection)?.keys() ?? [];
  }

  collections(): string[] {
    return [...this.privateTables.keys()].sort(compareKeys);
  }

  /** Oldest first. */
  history(key: string): readonly HistoryEntry[] {
    return this.publicHistory.get(key) ?? [];
  }

  historyKeys(): string[] {
    return [...this.publicHistory.keys()].sort(compareKeys);
  }

  /** Oldest first; empty after a purge. */
  privateHistory(collection: string, key: string): readonly HistoryEntry[] {
    return this.privateHistories.get(collection)?.get(key) ?? [];
  }

  privateHistoryKeys(collection: string): string[] {
    return [...(this.privateHistories.get(collection)?.keys() ?? [])].sort(compareKeys);
  }

  /** The state after a valid transaction with these writes, committed in block stamp.blockNumber. */
  apply(writes: TxWrites, stamp: TxStamp): LedgerState {
    const version = stamp.blockNumber;
    const publicChanges: Array<[string, Versioned | null]> = [];
    const publicHistory = new Map(this.publicHistory);
    for (const [key, value] of writes.public) {
      publicChanges.push([key, value === null ? null : { value, version }]);
      appendHistory(publicHistory, key, { ...stamp, isDelete: value === null, value: value ?? EMPTY });
    }

    const privateTables = new Map(this.privateTables);
    const privateHistories = new Map(this.privateHistories);
    for (const [collection, collectionWrites] of writes.private) {
      const changes: Array<[string, Versioned | null]> = [];
      const history = new Map(privateHistories.get(collection) ?? []);
      for (const [key, write] of collectionWrites) {
        if (write.kind === 'put') {
          changes.push([key, { value: write.value, version }]);
          appendHistory(history, key, { ...stamp, isDelete: false, value: write.value });
        } else if (write.kind === 'delete') {
          changes.push([key, null]);
          appendHistory(history, key, { ...stamp, isDelete: true, value: EMPTY });
        } else {
          // Purge removes the current value, its hash and every earlier version.
          changes.push([key, null]);
          history.delete(key);
        }
      }
      privateTables.set(collection, (privateTables.get(collection) ?? new Table()).with(changes));
      privateHistories.set(collection, history);
    }

    return new LedgerState(
      Math.max(this.height, stamp.blockNumber),
      this.publicTable.with(publicChanges),
      privateTables,
      publicHistory,
      privateHistories,
    );
  }
}
