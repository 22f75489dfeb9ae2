// One transaction's simulation results: buffered writes, the read set for MVCC checks, the event, Fabric's tx rules.
import type { InvalidTxCode } from './errors.js';
import type { LedgerState, PrivateWrite, TxWrites } from './ledger-state.js';

/** The chaincode event of a transaction (Fabric keeps only the last setEvent). */
export interface TxEvent {
  readonly name: string;
  readonly payload: Uint8Array;
}

/** A non-paginated range query as executed, re-run at commit to detect phantoms. */
interface RangeRead {
  readonly startKey: string;
  readonly endKey: string;
  readonly keys: ReadonlyArray<readonly [string, number]>;
}

type Version = number | null;

export interface Conflict {
  readonly code: InvalidTxCode;
  readonly detail: string;
}

export class TxWriteSet implements TxWrites {
  readonly public = new Map<string, Uint8Array | null>();
  readonly private = new Map<string, Map<string, PrivateWrite>>();
  event: TxEvent | undefined;

  private readonly publicReads = new Map<string, Version>();
  private readonly privateReads = new Map<string, Map<string, Version>>();
  private readonly rangeReads: RangeRead[] = [];
  private writePerformed = false;
  private paginatedQueryPerformed = false;
  private privateQueryPerformed = false;

  constructor(private readonly txId: string) {}

  /** Number of key writes, deletes and purges buffered. */
  get writeCount(): number {
    let count = this.public.size;
    for (const writes of this.private.values()) count += writes.size;
    return count;
  }

  // Fabric's transaction simulator rules (its messages, spelling included).
  beforeWrite(): void {
    if (this.privateQueryPerformed) {
      throw new Error(
        `txid [${this.txId}]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed`,
      );
    }
    if (this.paginatedQueryPerformed) {
      throw new Error(
        `txid [${this.txId}]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed`,
      );
    }
    this.writePerformed = true;
  }

  beforePaginatedQuery(): void {
    if (this.writePerformed) {
      throw new Error(
        `txid [${this.txId}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction`,
      );
    }
    this.paginatedQueryPerformed = true;
  }

  beforePrivateQuery(): void {
    if (this.writePerformed) {
      throw new Error(
        `txid [${this.txId}]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction`,
      );
    }
    this.privateQueryPerformed = true;
  }

  writePublic(key: string, value: Uint8Array | null): void {
    this.public.set(key, value);
  }

  writePrivate(collection: string, key: string, write: PrivateWrite): void {
    let writes = this.private.get(collection);
    if (!writes) {
      writes = new Map();
      this.private.set(collection, writes);
    }
    writes.set(key, write);
  }

  readPublic(key: string, version: Version): void {
    if (!this.publicReads.has(key)) this.publicReads.set(key, version);
  }

  readPrivate(collection: string, key: string, version: Version): void {
    let reads = this.privateReads.get(collection);
    if (!reads) {
      reads = new Map();
      this.privateReads.set(collection, reads);
    }
    if (!reads.has(key)) reads.set(key, version);
  }

  readRange(startKey: string, endKey: string, keys: ReadonlyArray<readonly [string, number]>): void {
    this.rangeReads.push({ startKey, endKey, keys });
  }

  /** What makes this transaction invalid against the latest committed state, if anything. */
  conflictWith(state: LedgerState): Conflict | undefined {
    for (const [key, version] of this.publicReads) {
      const now = state.getPublic(key)?.version ?? null;
      if (now !== version) return { code: 'MVCC_READ_CONFLICT', detail: `key ${JSON.stringify(key)} changed` };
    }
    for (const [collection, reads] of this.privateReads) {
      for (const [key, version] of reads) {
        const now = state.getPrivate(collection, key)?.version ?? null;
        if (now !== version) {
          return { code: 'MVCC_READ_CONFLICT', detail: `private key ${JSON.stringify(key)} in ${collection} changed` };
        }
      }
    }
    for (const range of this.rangeReads) {
      const now = state.publicRange(range.startKey, range.endKey);
      const same =
        now.length === range.keys.length &&
        now.every(([key, entry], i) => range.keys[i]?.[0] === key && range.keys[i]?.[1] === entry.version);
      if (!same) {
        return {
          code: 'PHANTOM_READ_CONFLICT',
          detail: `range [${JSON.stringify(range.startKey)}, ${JSON.stringify(range.endKey)}) changed`,
        };
      }
    }
    return undefined;
  }
}
