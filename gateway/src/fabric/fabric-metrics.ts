// Fabric call latency by contract, transaction and outcome, and the outcome label of a failed call.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, GatewayError } from '@hyperledger/fabric-gateway';
import { Histogram, type Registry } from 'prom-client';
import { parseChaincodeError } from '../domain.js';
import { isRetryableStatus } from './submit-flow.js';

export type CallOutcome = 'ok' | 'refused' | 'conflict' | 'invalid' | 'timeout' | 'unavailable' | 'error';

export type FabricCallHistogram = Histogram<'contract' | 'transaction' | 'outcome'>;

const NAME = 'aiaudit_fabric_call_duration_seconds';

/** The histogram in `registry`, created once per registry (several ledger clients may share one). */
export function fabricCallHistogram(registry: Registry): FabricCallHistogram {
  const existing = registry.getSingleMetric(NAME);
  if (existing instanceof Histogram) return existing;
  return new Histogram({
    name: NAME,
    help: 'Fabric calls from request to answer (submit: until commit, retries included), by contract, transaction and outcome',
    labelNames: ['contract', 'transaction', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
}

/**
 * What went wrong, as a metric label: `refused` is a chaincode error (the caller's fault),
 * `conflict` a read conflict that outlasted the retries, `invalid` any other invalidation,
 * `timeout` a deadline or an unknown commit status, `unavailable` an unreachable node.
 */
export function outcomeOf(err: unknown): CallOutcome {
  if (err instanceof CommitError) return isRetryableStatus(err.code) ? 'conflict' : 'invalid';
  if (err instanceof CommitStatusError) return 'timeout';
  if (err instanceof GatewayError) {
    if (err.details.some((d) => parseChaincodeError(d.message) !== undefined) || parseChaincodeError(err.message) !== undefined) return 'refused';
    if (err.code === GrpcStatus.DEADLINE_EXCEEDED) return 'timeout';
    if (err.code === GrpcStatus.UNAVAILABLE) return 'unavailable';
  }
  return 'error';
}

/** The transaction id an error from fabric-gateway carries, if any. */
export function txIdOf(err: unknown): string | undefined {
  if (err instanceof CommitError) return err.transactionId;
  if (err instanceof GatewayError && 'transactionId' in err && typeof err.transactionId === 'string') return err.transactionId;
  return undefined;
}
