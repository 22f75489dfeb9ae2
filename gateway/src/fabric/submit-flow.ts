// The write path's rules: endorse → submit → commit status; read conflicts retried as new transactions, timeouts checked by txId.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, GatewayError, StatusCode, type Status } from '@hyperledger/fabric-gateway';

/** The parts of a fabric-gateway Proposal this flow uses; the real Proposal satisfies it, tests pass fakes. */
export interface ProposalLike {
  getTransactionId(): string;
  endorse(): Promise<EndorsedLike>;
}

export interface EndorsedLike {
  getResult(): Uint8Array;
  submit(): Promise<CommitLike>;
}

export interface CommitLike {
  getStatus(): Promise<Status>;
}

export interface RetryPolicy {
  /** Most attempts in all (1 = never retry). */
  maxAttempts: number;
  /** Backoff before retry n is a random delay in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 2_000 };

/** What the flow reports while it works (the ledger client logs it with the txId). */
export type FlowEvent =
  | { kind: 'endorsed'; txId: string; attempt: number }
  | { kind: 'submit-unconfirmed'; txId: string; attempt: number; error: GatewayError }
  /** The peers invalidated the transaction; `retryInMs` is set when a new attempt follows. */
  | { kind: 'invalidated'; txId: string; attempt: number; code: string; retryInMs: number | undefined };

export interface SubmitFlowOptions<P extends ProposalLike> {
  /** A NEW proposal (new txId, fresh reads) for each attempt. */
  newProposal: () => P;
  /** Reads the commit status of a transaction already handed to the orderer, by its id. */
  commitStatus: (txId: string) => Promise<Status>;
  policy?: RetryPolicy;
  onEvent?: (event: FlowEvent) => void;
  /** Seams for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface FlowResult<P extends ProposalLike> {
  /** The proposal whose transaction committed VALID. */
  proposal: P;
  result: Uint8Array;
  txId: string;
  blockNumber: bigint;
  attempts: number;
}

const RETRYABLE_CODES: ReadonlySet<number> = new Set([StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT]);

/** gRPC codes after which a submit may or may not have reached the orderer. */
const UNCONFIRMED_SUBMIT_CODES: ReadonlySet<number> = new Set([GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.UNAVAILABLE, GrpcStatus.CANCELLED]);

export const statusName = (code: number): string => Object.entries(StatusCode).find(([, value]) => value === code)?.[0] ?? `UNKNOWN(${code})`;

export const isRetryableStatus = (code: number): boolean => RETRYABLE_CODES.has(code);

/**
 * Runs one write to commit. Rules (DESIGN §10):
 * - endorsement failures (chaincode refusals among them) are thrown as they are, never retried;
 * - a transaction invalidated by MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT is retried with a
 *   new proposal, up to `maxAttempts`, after a jittered exponential backoff; the last CommitError is thrown;
 * - any other invalid commit is thrown as a CommitError carrying the validation code and the txId;
 * - when the submit times out (or the connection drops), the SAME txId's commit status is read
 *   before anything else is decided; if that fails too, its error (CommitStatusError, with the
 *   txId) is thrown and nothing is resubmitted.
 */
export async function runSubmitFlow<P extends ProposalLike>(options: SubmitFlowOptions<P>): Promise<FlowResult<P>> {
  const policy = options.policy ?? defaultRetryPolicy;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const emit = options.onEvent ?? (() => undefined);
  for (let attempt = 1; ; attempt++) {
    const proposal = options.newProposal();
    const txId = proposal.getTransactionId();
    const endorsed = await proposal.endorse();
    emit({ kind: 'endorsed', txId, attempt });
    const status = await submitAndWait(endorsed, txId, attempt, options.commitStatus, emit);
    if (status.successful) {
      return { proposal, result: endorsed.getResult(), txId, blockNumber: status.blockNumber, attempts: attempt };
    }
    const code = statusName(status.code);
    const failure = new CommitError({
      code: status.code,
      transactionId: txId,
      message: `transaction ${txId} was invalidated by the peers: ${code}${attempt > 1 ? ` (attempt ${attempt})` : ''}`,
    });
    if (!isRetryableStatus(status.code) || attempt >= policy.maxAttempts) {
      emit({ kind: 'invalidated', txId, attempt, code, retryInMs: undefined });
      throw failure;
    }
    const retryInMs = Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
    emit({ kind: 'invalidated', txId, attempt, code, retryInMs });
    await sleep(retryInMs);
  }
}

async function submitAndWait(
  endorsed: EndorsedLike,
  txId: string,
  attempt: number,
  commitStatus: (txId: string) => Promise<Status>,
  emit: (event: FlowEvent) => void,
): Promise<Status> {
  let commit: CommitLike;
  try {
    commit = await endorsed.submit();
  } catch (err) {
    if (!(err instanceof GatewayError) || !UNCONFIRMED_SUBMIT_CODES.has(err.code)) throw err;
    // The orderer may have the transaction: only its own status can say; resubmitting could write twice.
    emit({ kind: 'submit-unconfirmed', txId, attempt, error: err });
    return commitStatus(txId);
  }
  return commit.getStatus();
}
