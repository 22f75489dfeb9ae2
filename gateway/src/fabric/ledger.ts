// The seam between HTTP handlers and Fabric: who signs, which contract and transaction, and what came back.
// Implemented by the Fabric ledger client (fabric/ledger-client.ts); tests may pass a fake.

/** The Fabric identity a principal signs with: an org's MSP id and a cryptogen user name (e.g. 'User1', 'Admin'). */
export interface FabricSigner {
  mspId: string;
  fabricUser: string;
}

export interface SubmitOptions {
  /** Private data travels here (e.g. `{ input: bytes }`); it never reaches the ordered transaction. */
  transient?: Record<string, Uint8Array>;
  /** Restrict endorsement to these orgs (e.g. private inputs: the operator org only). */
  endorsingOrganizations?: string[];
}

export interface SubmitReceipt<T> {
  result: T;
  txId: string;
  blockNumber: string;
  /**
   * The transaction's ledger time (its proposal timestamp) exactly as the chaincode renders it
   * (RFC 3339 UTC, milliseconds). A record whose registeredAt equals it was written by this
   * transaction; an older one means an idempotent replay. Always set by FabricLedger.
   */
  timestamp?: string;
}

export interface EvaluateOptions {
  /** Evaluate on this org's peer (default: the signer's own). */
  peerMspId?: string;
}

export interface Ledger {
  /** Endorse, order and wait for commit. Retries MVCC conflicts; after a timeout checks the same txId's status before any resubmit. */
  submit<T = unknown>(who: FabricSigner, contract: string, transaction: string, args: string[], options?: SubmitOptions): Promise<SubmitReceipt<T>>;
  /** Query without ordering. */
  evaluate<T = unknown>(who: FabricSigner, contract: string, transaction: string, args: string[], options?: EvaluateOptions): Promise<T>;
  close(): void;
}
