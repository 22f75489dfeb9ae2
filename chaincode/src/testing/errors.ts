// Errors the fake raises the way a Fabric peer does: peer-side failures carry the operation and txId.

/**
 * The peer wraps a failed shim request as "<OP> failed: transaction ID: <txId>: <reason>",
 * and the Node shim rejects with exactly that text.
 */
export function peerError(operation: string, txId: string, reason: string): Error {
  return new Error(`${operation} failed: transaction ID: ${txId}: ${reason}`);
}

/** Validation codes of the transactions the fake refuses at commit (names as in Fabric's TxValidationCode). */
export type InvalidTxCode = 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT' | 'DUPLICATE_TXID';

/** A transaction that endorsed fine but is invalid at commit: nothing of it was applied. */
export class FakeCommitError extends Error {
  override readonly name = 'FakeCommitError';

  constructor(
    readonly code: InvalidTxCode,
    readonly transactionId: string,
    detail: string,
  ) {
    super(`transaction ${transactionId} is invalid: ${code}: ${detail}`);
  }
}

/** Runs a peer-side rule and reports its failure as the peer would. */
export function peerRule(operation: string, txId: string, rule: () => void): void {
  try {
    rule();
  } catch (error) {
    throw peerError(operation, txId, error instanceof Error ? error.message : String(error));
  }
}
