// An in-memory ChaincodeStub: reads see only committed state, writes are buffered for FakeWorld to commit.
import { createHash } from 'node:crypto';
import type {
  ChaincodeProposal,
  ChaincodeResponse,
  ChaincodeStub,
  Iterators,
  SerializedIdentity,
  SplitCompositekey,
  StateQueryResponse,
  Timestamp,
} from 'fabric-shim';
import Long from 'long';
import { emptyBuffer, toBuffer, toBytes } from './bytes.js';
import { peerError, peerRule } from './errors.js';
import type { FakeClientIdentity } from './fake-identity.js';
import { asyncIterable } from './fake-iterators.js';
import {
  createCompositeKey,
  EMPTY_KEY_SUBSTITUTE,
  isWellFormed,
  MAX_UNICODE_RUNE,
  splitCompositeKey,
} from './keys.js';
import type { LedgerState } from './ledger-state.js';
import { type CollectionPolicy, PrivateData } from './private-data.js';
import { StateQueries, type TxScope } from './state-queries.js';
import { TxWriteSet } from './write-set.js';

type Query = Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV>;
type PagedQuery = Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV>;

export type TxStatus = 'open' | 'committed' | 'discarded' | 'invalid';

/** Everything a stub needs to know about its transaction; FakeWorld fills it in. */
export interface StubSetup {
  readonly txId: string;
  readonly channelId: string;
  readonly chaincodeName: string;
  readonly creator: FakeClientIdentity;
  /** The endorsing peer's MSP (CORE_PEER_LOCALMSPID). */
  readonly peerMspId: string;
  readonly seconds: number;
  readonly nanos: number;
  readonly transient: ReadonlyMap<string, Uint8Array>;
  readonly args: readonly string[];
  readonly collections: ReadonlyMap<string, CollectionPolicy>;
  /** The latest committed state; read once, at the transaction's first ledger call. */
  readonly committed: () => LedgerState;
}

export class FakeStub implements ChaincodeStub {
  readonly writeSet: TxWriteSet;
  private readonly queries: StateQueries;
  private readonly privateData: PrivateData;
  private snapshot: LedgerState | undefined;
  private calls = 0;
  private txStatus: TxStatus = 'open';

  constructor(private readonly setup: StubSetup) {
    this.writeSet = new TxWriteSet(setup.txId);
    const scope: TxScope = {
      txId: setup.txId,
      chaincodeName: setup.chaincodeName,
      writeSet: this.writeSet,
      enter: (operation) => this.enter(operation),
      state: () => this.state(),
    };
    this.queries = new StateQueries(scope);
    this.privateData = new PrivateData({
      ...scope,
      creatorMspId: setup.creator.mspId,
      peerMspId: setup.peerMspId,
      collections: setup.collections,
    });
  }

  /** Round trips to the peer so far (each costs real time on a network; see DESIGN §4). */
  get shimCalls(): number {
    return this.calls;
  }

  get status(): TxStatus {
    return this.txStatus;
  }

  /** Called by FakeWorld when the transaction ends; later ledger calls fail as on a peer. */
  finish(status: Exclude<TxStatus, 'open'>): void {
    this.txStatus = status;
  }

  // Transaction facts
  getArgs(): string[] {
    return [...this.setup.args];
  }

  getStringArgs(): string[] {
    return [...this.setup.args];
  }

  getFunctionAndParameters(): { params: string[]; fcn: string } {
    const [fcn = '', ...params] = this.setup.args;
    return { fcn, params };
  }

  getTxID(): string {
    return this.setup.txId;
  }

  getChannelID(): string {
    return this.setup.channelId;
  }

  getCreator(): SerializedIdentity {
    return { mspid: this.setup.creator.mspId, idBytes: this.setup.creator.getIDBytes() };
  }

  getMspID(): string {
    return this.setup.peerMspId;
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map([...this.setup.transient].map(([key, value]) => [key, toBuffer(value)]));
  }

  getSignedProposal(): ChaincodeProposal.SignedProposal {
    throw new Error('FakeStub has no signed proposal');
  }

  getTxTimestamp(): Timestamp {
    return { seconds: Long.fromNumber(this.setup.seconds, true), nanos: this.setup.nanos };
  }

  getDateTimestamp(): Date {
    return new Date(this.setup.seconds * 1000 + Math.floor(this.setup.nanos / 1_000_000));
  }

  getBinding(): string {
    return createHash('sha256').update(`${this.setup.txId}:${this.setup.creator.id}`).digest('hex');
  }

  // Public state
  async getState(key: string): Promise<Uint8Array> {
    this.enter('GET_STATE');
    const entry = this.state().getPublic(key);
    this.writeSet.readPublic(key, entry?.version ?? null);
    return entry ? toBuffer(entry.value) : emptyBuffer();
  }

  async putState(key: string, value: Uint8Array): Promise<void> {
    const bytes = toBytes(value);
    this.checkWrite('PUT_STATE', key);
    // An empty value reaches the peer as nil, which Fabric records as a delete.
    this.writeSet.writePublic(key, bytes.length === 0 ? null : bytes);
  }

  async deleteState(key: string): Promise<void> {
    this.checkWrite('DEL_STATE', key);
    this.writeSet.writePublic(key, null);
  }

  getStateByRange(startKey: string, endKey: string): Query {
    return asyncIterable(this.run(() => this.queries.range(startKey || EMPTY_KEY_SUBSTITUTE, endKey, true)), (it) => it);
  }

  getStateByRangeWithPagination(startKey: string, endKey: string, pageSize: number, bookmark?: string): PagedQuery {
    const query = this.run(() => this.queries.page(startKey || EMPTY_KEY_SUBSTITUTE, endKey, pageSize, bookmark, true));
    return asyncIterable(query, (response) => response.iterator);
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]): Query {
    const prefix = createCompositeKey(objectType, attributes);
    return asyncIterable(this.run(() => this.queries.range(prefix, prefix + MAX_UNICODE_RUNE, false)), (it) => it);
  }

  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): PagedQuery {
    const prefix = createCompositeKey(objectType, attributes);
    const query = this.run(() => this.queries.page(prefix, prefix + MAX_UNICODE_RUNE, pageSize, bookmark, false));
    return asyncIterable(query, (response) => response.iterator);
  }

  getQueryResult(): Query {
    return asyncIterable(this.unsupported('GET_QUERY_RESULT', 'ExecuteQuery not supported for leveldb'), (it) => it);
  }

  getQueryResultWithPagination(): PagedQuery {
    const query = this.unsupported<StateQueryResponse<Iterators.StateQueryIterator>>(
      'GET_QUERY_RESULT',
      'ExecuteQueryWithPagination not supported for leveldb',
    );
    return asyncIterable(query, (response) => response.iterator);
  }

  /** Newest first, as Fabric 2.x returns it. */
  getHistoryForKey(key: string): Promise<Iterators.HistoryQueryIterator> & AsyncIterable<Iterators.KeyModification> {
    return asyncIterable(this.run(() => this.queries.history(key)), (it) => it);
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (typeof name !== 'string' || name === '') {
      throw new Error('Event name must be a non-empty string');
    }
    this.writeSet.event = { name, payload: toBytes(payload) };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return createCompositeKey(objectType, attributes);
  }

  splitCompositeKey(compositeKey: string): SplitCompositekey {
    return splitCompositeKey(compositeKey);
  }

  // Private data
  getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    return this.privateData.get(collection, key);
  }

  getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    return this.privateData.getHash(collection, key);
  }

  putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    return this.privateData.put(collection, key, value);
  }

  deletePrivateData(collection: string, key: string): Promise<void> {
    return this.privateData.delete(collection, key);
  }

  purgePrivateData(collection: string, key: string): Promise<void> {
    return this.privateData.purge(collection, key);
  }

  getPrivateDataByRange(collection: string, startKey: string, endKey: string): Query {
    return asyncIterable(this.run(() => this.privateData.range(collection, startKey, endKey)), (it) => it);
  }

  getPrivateDataByPartialCompositeKey(collection: string, objectType: string, attributes: string[]): Query {
    const prefix = createCompositeKey(objectType, attributes);
    const query = this.run(() => this.privateData.range(collection, prefix, prefix + MAX_UNICODE_RUNE));
    return asyncIterable(query, (it) => it);
  }

  getPrivateDataQueryResult(): Query {
    return asyncIterable(this.unsupported('GET_QUERY_RESULT', 'ExecuteQuery not supported for leveldb'), (it) => it);
  }

  // Not modelled: key-level endorsement and chaincode-to-chaincode calls.
  setStateValidationParameter(): Promise<void> {
    return this.unsupported('PUT_STATE_METADATA', 'FakeStub does not model key-level endorsement');
  }

  getStateValidationParameter(): Promise<Uint8Array> {
    return this.unsupported('GET_STATE_METADATA', 'FakeStub does not model key-level endorsement');
  }

  setPrivateDataValidationParameter(): Promise<void> {
    return this.unsupported('PUT_STATE_METADATA', 'FakeStub does not model key-level endorsement');
  }

  getPrivateDataValidationParameter(): Promise<Uint8Array> {
    return this.unsupported('GET_STATE_METADATA', 'FakeStub does not model key-level endorsement');
  }

  invokeChaincode(): Promise<ChaincodeResponse> {
    return this.unsupported('INVOKE_CHAINCODE', 'FakeStub does not model chaincode-to-chaincode calls');
  }

  // Internals
  private state(): LedgerState {
    this.snapshot ??= this.setup.committed();
    return this.snapshot;
  }

  private enter(operation: string): void {
    if (this.txStatus !== 'open') throw peerError(operation, this.setup.txId, 'no ledger context');
    this.calls++;
  }

  private checkWrite(operation: string, key: string): void {
    if (typeof key !== 'string' || key === '') throw new Error('key must not be an empty string');
    this.enter(operation);
    if (!isWellFormed(key)) throw peerError(operation, this.setup.txId, `invalid key [${key}]: not a valid utf8 string`);
    peerRule(operation, this.setup.txId, () => this.writeSet.beforeWrite());
  }

  private run<T>(query: () => T): Promise<T> {
    try {
      return Promise.resolve(query());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private unsupported<T>(operation: string, reason: string): Promise<T> {
    return this.run(() => {
      this.enter(operation);
      throw peerError(operation, this.setup.txId, reason);
    });
  }
}
