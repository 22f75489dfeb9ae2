// Private data collections as a peer serves them: membership checks, hashes, purge, no read-your-own-writes.
import { createHash } from 'node:crypto';
import type { Iterators } from 'fabric-shim';
import { emptyBuffer, toBuffer, toBytes } from './bytes.js';
import { peerError, peerRule } from './errors.js';
import type { FakeQueryIterator } from './fake-iterators.js';
import { EMPTY_KEY_SUBSTITUTE } from './keys.js';
import type { PrivateWrite } from './ledger-state.js';
import { kvIterator, type TxScope } from './state-queries.js';

/** A collection's static config: member orgs and whether only members may read / write. */
export interface CollectionPolicy {
  readonly members: readonly string[];
  /** Default true: a non-member client's read fails (Fabric's memberOnlyRead). */
  readonly memberOnlyRead?: boolean;
  /** Default true: a non-member client's write fails (Fabric's memberOnlyWrite). */
  readonly memberOnlyWrite?: boolean;
}

/** Collection name → member MSP ids, or the full policy. */
export type CollectionConfig = Readonly<Record<string, readonly string[] | CollectionPolicy>>;

function isMemberList(entry: readonly string[] | CollectionPolicy): entry is readonly string[] {
  return Array.isArray(entry);
}

export function normaliseCollections(config: CollectionConfig = {}): ReadonlyMap<string, CollectionPolicy> {
  const policies = new Map<string, CollectionPolicy>();
  for (const [name, entry] of Object.entries(config)) {
    policies.set(name, isMemberList(entry) ? { members: [...entry] } : { ...entry, members: [...entry.members] });
  }
  return policies;
}

/** What the private-data calls of one transaction need from its stub. */
export interface PrivateDataScope extends TxScope {
  readonly creatorMspId: string;
  readonly peerMspId: string;
  readonly collections: ReadonlyMap<string, CollectionPolicy>;
}

function validateArgs(collection: unknown, key: unknown): void {
  if (!collection || typeof collection !== 'string') throw new Error('collection must be a valid string');
  if (!key || typeof key !== 'string') throw new Error('key must be a valid string');
}

export class PrivateData {
  constructor(private readonly scope: PrivateDataScope) {}

  async get(collection: string, key: string): Promise<Uint8Array> {
    validateArgs(collection, key);
    const policy = this.checked('GET_STATE', collection, 'read');
    const entry = this.scope.state().getPrivate(collection, key);
    this.scope.writeSet.readPrivate(collection, key, entry?.version ?? null);
    if (!entry) return emptyBuffer();
    // A peer outside the collection holds only the hash; Fabric's shim then fails the read (seen on v3.1.5).
    if (!policy.members.includes(this.scope.peerMspId)) {
      throw new Error(`private data matching public hash version is not available. Public hash version = {BlockNum: ${entry.version}}, Private data version = <nil>`);
    }
    return toBuffer(entry.value);
  }

  async getHash(collection: string, key: string): Promise<Uint8Array> {
    validateArgs(collection, key);
    this.checked('GET_PRIVATE_DATA_HASH', collection, 'none');
    const entry = this.scope.state().getPrivate(collection, key);
    this.scope.writeSet.readPrivate(collection, key, entry?.version ?? null);
    return entry ? createHash('sha256').update(entry.value).digest() : emptyBuffer();
  }

  async put(collection: string, key: string, value: Uint8Array): Promise<void> {
    validateArgs(collection, key);
    if (!value) throw new Error('value must be valid');
    const bytes = toBytes(value);
    // An empty value reaches the peer as nil, which Fabric records as a delete.
    this.write('PUT_STATE', collection, key, bytes.length === 0 ? { kind: 'delete' } : { kind: 'put', value: bytes });
  }

  async delete(collection: string, key: string): Promise<void> {
    validateArgs(collection, key);
    this.write('DEL_STATE', collection, key, { kind: 'delete' });
  }

  async purge(collection: string, key: string): Promise<void> {
    validateArgs(collection, key);
    this.write('PURGE_PRIVATE_DATA', collection, key, { kind: 'purge' });
  }

  range(collection: string, startKey: string, endKey: string): FakeQueryIterator<Iterators.KV> {
    if (!collection || typeof collection !== 'string') throw new Error('collection must be a valid string');
    const policy = this.checked('GET_STATE_BY_RANGE', collection, 'read');
    peerRule('GET_STATE_BY_RANGE', this.scope.txId, () => this.scope.writeSet.beforePrivateQuery());
    const isMember = policy.members.includes(this.scope.peerMspId);
    const rows = isMember ? this.scope.state().privateRange(collection, startKey || EMPTY_KEY_SUBSTITUTE, endKey) : [];
    return kvIterator(this.scope.chaincodeName, rows);
  }

  private write(operation: string, collection: string, key: string, write: PrivateWrite): void {
    this.checked(operation, collection, 'write');
    peerRule(operation, this.scope.txId, () => this.scope.writeSet.beforeWrite());
    this.scope.writeSet.writePrivate(collection, key, write);
  }

  /** Enters the shim call, then applies the peer's collection checks. */
  private checked(operation: string, collection: string, access: 'read' | 'write' | 'none'): CollectionPolicy {
    this.scope.enter(operation);
    const policy = this.scope.collections.get(collection);
    const { txId, chaincodeName, creatorMspId } = this.scope;
    if (!policy) {
      throw peerError(
        operation,
        txId,
        `collection [${collection}] not defined in the collection config for chaincode [${chaincodeName}]`,
      );
    }
    const isMember = policy.members.includes(creatorMspId);
    const restricted =
      (access === 'read' && (policy.memberOnlyRead ?? true)) || (access === 'write' && (policy.memberOnlyWrite ?? true));
    if (restricted && !isMember) {
      throw peerError(
        operation,
        txId,
        `tx creator does not have ${access} access permission on privatedata in chaincodeName:${chaincodeName} collectionName: ${collection}`,
      );
    }
    return policy;
  }
}
