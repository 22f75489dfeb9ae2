// Options and results of FakeWorld, and how committed records are shown to tests.
import type { Context } from 'fabric-contract-api';
import type { FakeClientIdentity, IdentitySpec } from './fake-identity.js';
import type { FakeStub } from './fake-stub.js';
import type { HistoryEntry } from './ledger-state.js';
import type { CollectionConfig } from './private-data.js';

export interface FakeWorldOptions {
  /** Default 'aiaudit'. */
  readonly channelId?: string;
  /** Default 'aiaudit'; the namespace of query results and the logger name. */
  readonly chaincodeName?: string;
  /** Private data collections: name → member MSP ids (or a full policy). */
  readonly collections?: CollectionConfig;
  /** Timestamp of the first transaction that is not given one. Default 2026-01-01T00:00:00Z. */
  readonly startTime?: Date | string;
  /** How far the clock moves per transaction, in ms. Default 1000. */
  readonly tickMs?: number;
  /** Let contract logs through to the console. Default false. */
  readonly logs?: boolean;
}

/** A transaction to simulate: its creator, plus what a client would put in the proposal. */
export interface TxOptions extends IdentitySpec {
  /** Default: 'tx0001', 'tx0002', ... */
  readonly txId?: string;
  /** Default: the world's clock, one tick per transaction. */
  readonly timestamp?: Date | string;
  readonly transient?:
    | ReadonlyMap<string, Uint8Array | string>
    | Readonly<Record<string, Uint8Array | string>>;
  /** Function name and arguments, for getFunctionAndParameters(). */
  readonly args?: readonly string[];
  /** The endorsing peer's MSP; defaults to the creator's. Matters for private data reads. */
  readonly peerMspId?: string;
}

/** A fabric-contract-api Context whose stub and identity are the fakes. */
export type FakeContext<C extends Context = Context> = C & {
  stub: FakeStub;
  clientIdentity: FakeClientIdentity;
};

export interface ChaincodeEventRecord {
  readonly txId: string;
  readonly blockNumber: number;
  readonly name: string;
  readonly payload: Uint8Array;
}

export interface CommitReceipt {
  readonly txId: string;
  readonly blockNumber: number;
  /** RFC 3339 UTC. */
  readonly timestamp: string;
  /** Key writes, deletes and purges applied. */
  readonly writes: number;
  readonly event: ChaincodeEventRecord | undefined;
}

/** One committed write of a key, oldest first in the world's accessors. */
export interface HistoryRecord {
  readonly txId: string;
  readonly blockNumber: number;
  /** RFC 3339 UTC with milliseconds. */
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly value: Uint8Array;
}

/** Every committed fact, as plain data: compare two with toEqual to prove nothing was written. */
export interface WorldSnapshot {
  readonly public: Record<string, Uint8Array>;
  readonly private: Record<string, Record<string, Uint8Array>>;
  readonly history: Record<string, HistoryRecord[]>;
  readonly privateHistory: Record<string, Record<string, HistoryRecord[]>>;
  readonly events: ChaincodeEventRecord[];
}

export function toHistoryRecord(entry: HistoryEntry): HistoryRecord {
  return {
    txId: entry.txId,
    blockNumber: entry.blockNumber,
    timestamp: new Date(entry.seconds * 1000 + Math.floor(entry.nanos / 1_000_000)).toISOString(),
    isDelete: entry.isDelete,
    value: Uint8Array.from(entry.value),
  };
}
