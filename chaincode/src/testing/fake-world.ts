// A one-peer Fabric ledger in memory: hands out transaction contexts, validates and commits them, shows state to tests.
import { Context } from 'fabric-contract-api';
import { Shim } from 'fabric-shim';
import { toBytes } from './bytes.js';
import { FakeCommitError } from './errors.js';
import { FakeClientIdentity } from './fake-identity.js';
import { FakeStub } from './fake-stub.js';
import { LedgerState } from './ledger-state.js';
import { type CollectionPolicy, normaliseCollections } from './private-data.js';
import {
  type ChaincodeEventRecord,
  type CommitReceipt,
  type FakeContext,
  type FakeWorldOptions,
  type HistoryRecord,
  type TxOptions,
  type WorldSnapshot,
  toHistoryRecord,
} from './world-types.js';

const DEFAULT_START = '2026-01-01T00:00:00Z';

function parseTime(value: Date | string, what: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`FakeWorld: ${what} is not a valid time: ${String(value)}`);
  return ms;
}

function transientMap(transient: TxOptions['transient']): Map<string, Uint8Array> {
  const entries = transient instanceof Map ? [...transient] : Object.entries(transient ?? {});
  return new Map(entries.map(([key, value]) => [key, toBytes(value)]));
}

export class FakeWorld {
  readonly channelId: string;
  readonly chaincodeName: string;
  /** The receipt of the last successful commit. */
  lastCommit: CommitReceipt | undefined;

  private state = LedgerState.empty();
  private readonly collections: ReadonlyMap<string, CollectionPolicy>;
  private readonly stubs = new WeakSet<FakeStub>();
  private readonly issuedTxIds = new Set<string>();
  private readonly committedTxIds = new Set<string>();
  private readonly eventLog: ChaincodeEventRecord[] = [];
  private readonly tickMs: number;
  private readonly logs: boolean;
  private nextTimeMs: number;
  private txCounter = 0;
  private writes = 0;
  private commits = 0;

  constructor(options: FakeWorldOptions = {}) {
    this.channelId = options.channelId ?? 'aiaudit';
    this.chaincodeName = options.chaincodeName ?? 'aiaudit';
    this.collections = normaliseCollections(options.collections);
    this.nextTimeMs = parseTime(options.startTime ?? DEFAULT_START, 'startTime');
    this.tickMs = options.tickMs ?? 1000;
    this.logs = options.logs ?? false;
  }

  /** Key writes, deletes and purges committed so far. */
  get writeCount(): number {
    return this.writes;
  }

  /** Transactions committed so far (one block each). */
  get commitCount(): number {
    return this.commits;
  }

  get blockHeight(): number {
    return this.state.height;
  }

  /** Chaincode events of committed transactions, in commit order. */
  get events(): readonly ChaincodeEventRecord[] {
    return this.eventLog.map((event) => ({ ...event, payload: Uint8Array.from(event.payload) }));
  }

  /** Moves the clock for the next transactions, e.g. past a retention date. */
  advanceTime(ms: number): void {
    this.nextTimeMs += ms;
  }

  newContext(options: TxOptions): FakeContext;
  newContext<C extends Context>(options: TxOptions, into: C): FakeContext<C>;
  newContext(options: TxOptions, into: Context = new Context()): FakeContext {
    const creator = new FakeClientIdentity(options);
    const timeMs = this.nextTimestamp(options.timestamp);
    const seconds = Math.floor(timeMs / 1000);
    const stub = new FakeStub({
      txId: this.nextTxId(options.txId),
      channelId: this.channelId,
      chaincodeName: this.chaincodeName,
      creator,
      peerMspId: options.peerMspId ?? options.mspId,
      seconds,
      nanos: (timeMs - seconds * 1000) * 1_000_000,
      transient: transientMap(options.transient),
      args: [...(options.args ?? [])],
      collections: this.collections,
      committed: () => this.state,
    });
    this.stubs.add(stub);
    return Object.assign(into, { stub, clientIdentity: creator, logging: this.logging() });
  }

  /** Validates the transaction against the latest state (MVCC, phantoms, txId) and applies it atomically. */
  commit(ctx: Context): CommitReceipt {
    const stub = this.openStub(ctx);
    const txId = stub.getTxID();
    if (this.committedTxIds.has(txId)) {
      stub.finish('invalid');
      throw new FakeCommitError('DUPLICATE_TXID', txId, 'a transaction with this id is already committed');
    }
    const conflict = stub.writeSet.conflictWith(this.state);
    if (conflict) {
      stub.finish('invalid');
      throw new FakeCommitError(conflict.code, txId, conflict.detail);
    }
    const blockNumber = this.state.height + 1;
    const timestamp = stub.getTxTimestamp();
    const seconds = Number(timestamp.seconds);
    this.state = this.state.apply(stub.writeSet, { txId, blockNumber, seconds, nanos: timestamp.nanos });
    const written = stub.writeSet.event;
    const event = written ? { txId, blockNumber, name: written.name, payload: written.payload } : undefined;
    if (event) this.eventLog.push(event);
    this.committedTxIds.add(txId);
    this.writes += stub.writeSet.writeCount;
    this.commits++;
    stub.finish('committed');
    this.lastCommit = {
      txId,
      blockNumber,
      timestamp: stub.getDateTimestamp().toISOString(),
      writes: stub.writeSet.writeCount,
      event,
    };
    return this.lastCommit;
  }

  /** Drops the transaction: nothing of it reaches the ledger. */
  discard(ctx: Context): void {
    this.openStub(ctx).finish('discarded');
  }

  /** Submit: runs fn in a new transaction, commits on success, discards and rethrows on error. */
  async invoke<T>(options: TxOptions, fn: (ctx: FakeContext) => Promise<T> | T): Promise<T> {
    const ctx = this.newContext(options);
    let result: T;
    try {
      result = await fn(ctx);
    } catch (error) {
      this.discard(ctx);
      throw error;
    }
    this.commit(ctx);
    return result;
  }

  /** Evaluate: runs fn in a new transaction and always discards it. */
  async query<T>(options: TxOptions, fn: (ctx: FakeContext) => Promise<T> | T): Promise<T> {
    const ctx = this.newContext(options);
    try {
      return await fn(ctx);
    } finally {
      if (ctx.stub.status === 'open') this.discard(ctx);
    }
  }

  getCommitted(key: string): Uint8Array | undefined {
    const entry = this.state.getPublic(key);
    return entry ? Uint8Array.from(entry.value) : undefined;
  }

  /** The committed value parsed as UTF-8 JSON, or undefined when the key is absent. */
  getCommittedJson(key: string): unknown {
    const value = this.getCommitted(key);
    return value ? JSON.parse(Buffer.from(value).toString('utf8')) : undefined;
  }

  getCommittedPrivate(collection: string, key: string): Uint8Array | undefined {
    const entry = this.state.getPrivate(collection, key);
    return entry ? Uint8Array.from(entry.value) : undefined;
  }

  /** All public keys and values, in LevelDB key order. */
  publicEntries(): Array<{ key: string; value: Uint8Array }> {
    return this.state.publicKeys().map((key) => ({ key, value: this.getCommitted(key) ?? new Uint8Array() }));
  }

  privateEntries(collection: string): Array<{ key: string; value: Uint8Array }> {
    return this.state
      .privateKeys(collection)
      .map((key) => ({ key, value: this.getCommittedPrivate(collection, key) ?? new Uint8Array() }));
  }

  /** Every committed write of a public key, oldest first (the stub's getHistoryForKey is newest first). */
  history(key: string): HistoryRecord[] {
    return this.state.history(key).map(toHistoryRecord);
  }

  privateHistory(collection: string, key: string): HistoryRecord[] {
    return this.state.privateHistory(collection, key).map(toHistoryRecord);
  }

  snapshot(): WorldSnapshot {
    const state = this.state;
    const collections = [...new Set([...state.collections(), ...this.collections.keys()])];
    return {
      public: Object.fromEntries(this.publicEntries().map(({ key, value }) => [key, value])),
      private: Object.fromEntries(
        collections.map((name) => [
          name,
          Object.fromEntries(this.privateEntries(name).map(({ key, value }) => [key, value])),
        ]),
      ),
      history: Object.fromEntries(state.historyKeys().map((key) => [key, this.history(key)])),
      privateHistory: Object.fromEntries(
        collections.map((name) => [
          name,
          Object.fromEntries(state.privateHistoryKeys(name).map((key) => [key, this.privateHistory(name, key)])),
        ]),
      ),
      events: [...this.events],
    };
  }

  private openStub(ctx: Context): FakeStub {
    const stub = ctx.stub;
    if (!(stub instanceof FakeStub) || !this.stubs.has(stub)) {
      throw new Error('FakeWorld: this context was not created by this world');
    }
    if (stub.status !== 'open') {
      throw new Error(`FakeWorld: transaction ${stub.getTxID()} is already ${stub.status}`);
    }
    return stub;
  }

  private nextTxId(requested: string | undefined): string {
    let txId = requested;
    while (txId === undefined || (requested === undefined && this.issuedTxIds.has(txId))) {
      this.txCounter++;
      txId = `tx${String(this.txCounter).padStart(4, '0')}`;
    }
    this.issuedTxIds.add(txId);
    return txId;
  }

  private nextTimestamp(requested: Date | string | undefined): number {
    if (requested === undefined) {
      const ms = this.nextTimeMs;
      this.nextTimeMs += this.tickMs;
      return ms;
    }
    const ms = parseTime(requested, 'timestamp');
    this.nextTimeMs = Math.max(this.nextTimeMs, ms + this.tickMs);
    return ms;
  }

  private logging(): Context['logging'] {
    const chaincodeName = this.chaincodeName;
    const silent = !this.logs;
    return {
      setLevel: () => undefined,
      getLogger: (name?: string) => {
        const logger = Shim.newLogger(name ? `${chaincodeName}:${name}` : chaincodeName);
        logger.silent = silent;
        return logger;
      },
    };
  }
}
