// Test support for contract unit tests: an in-memory Fabric peer (world state, stub, identities). Not for production code.
export { FakeCommitError, type InvalidTxCode } from './errors.js';
export {
  FakeClientIdentity,
  identity,
  orgDomain,
  x509Id,
  type DistinguishedNameOptions,
  type IdentitySpec,
  type NodeOu,
} from './fake-identity.js';
export { FakeQueryIterator } from './fake-iterators.js';
export { FakeStub, type TxStatus } from './fake-stub.js';
export { FakeWorld } from './fake-world.js';
export { compareKeys, createCompositeKey, splitCompositeKey } from './keys.js';
export type { CollectionConfig, CollectionPolicy } from './private-data.js';
export type {
  ChaincodeEventRecord,
  CommitReceipt,
  FakeContext,
  FakeWorldOptions,
  HistoryRecord,
  TxOptions,
  WorldSnapshot,
} from './world-types.js';
