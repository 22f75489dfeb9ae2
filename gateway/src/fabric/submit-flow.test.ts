import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, EndorseError, StatusCode, type Status } from '@hyperledger/fabric-gateway';
import { SubmitError } from '@hyperledger/fabric-gateway/dist/submiterror.js';
import { describe, expect, it } from 'vitest';
import { problemFromChaincode } from '../http/problem.js';
import { runSubmitFlow, type CommitLike, type EndorsedLike, type FlowEvent, type ProposalLike, type RetryPolicy } from './submit-flow.js';

const serviceError = (code: number): ServiceError =>
  Object.assign(new Error('grpc failure'), { code, details: 'grpc failure', metadata: new Metadata() }) as ServiceError;

type StatusCodeValue = Status['code'];

/** What one attempt does at each step: a step either answers or throws. */
interface Script {
  endorse?: () => unknown;
  submit?: (txId: string) => unknown;
  status?: StatusCodeValue | ((txId: string) => unknown);
}

/** A scripted Fabric: attempt n follows scripts[n-1]; every call is recorded. */
function fakeFabric(scripts: Script[], commitStatus: (txId: string) => Promise<Status> = () => Promise.reject(new Error('not expected'))) {
  const calls: string[] = [];
  let attempt = 0;
  const statusOf = (txId: string, code: StatusCodeValue): Status => ({ transactionId: txId, code, successful: code === StatusCode.VALID, blockNumber: 40n + BigInt(attempt) });
  const newProposal = (): ProposalLike => {
    attempt += 1;
    const script = scripts[attempt - 1] ?? {};
    const txId = `tx-${attempt}`;
    calls.push(`propose ${txId}`);
    const commit: CommitLike = {
      getStatus: async () => {
        calls.push(`status ${txId}`);
        const status = script.status ?? StatusCode.VALID;
        if (typeof status === 'function') throw status(txId);
        return statusOf(txId, status);
      },
    };
    const endorsed: EndorsedLike = {
      getResult: () => new TextEncoder().encode(`{"txId":"${txId}"}`),
      submit: async () => {
        calls.push(`submit ${txId}`);
        if (script.submit !== undefined) throw script.submit(txId);
        return commit;
      },
    };
    return {
      getTransactionId: () => txId,
      endorse: async () => {
        calls.push(`endorse ${txId}`);
        if (script.endorse !== undefined) throw script.endorse();
        return endorsed;
      },
    };
  };
  const statusChecks: string[] = [];
  const checkStatus = async (txId: string): Promise<Status> => {
    statusChecks.push(txId);
    calls.push(`check ${txId}`);
    return commitStatus(txId);
  };
  return { newProposal, commitStatus: checkStatus, calls, statusChecks, statusOf };
}

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 };

function run(fabric: ReturnType<typeof fakeFabric>, random = () => 0.5) {
  const sleeps: number[] = [];
  const events: FlowEvent[] = [];
  const promise = runSubmitFlow({
    newProposal: fabric.newProposal,
    commitStatus: fabric.commitStatus,
    policy,
    random,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onEvent: (event) => events.push(event),
  });
  return { promise, sleeps, events };
}

const decoder = new TextDecoder();

describe('runSubmitFlow', () => {
  it('endorses, submits and waits for a VALID commit once', async () => {
    const fabric = fakeFabric([{}]);
    const { promise, sleeps } = run(fabric);
    const flow = await promise;
    expect({ txId: flow.txId, blockNumber: flow.blockNumber, attempts: flow.attempts }).toEqual({ txId: 'tx-1', blockNumber: 41n, attempts: 1 });
    expect(decoder.decode(flow.result)).toBe('{"txId":"tx-1"}');
    expect(fabric.calls).toEqual(['propose tx-1', 'endorse tx-1', 'submit tx-1', 'status tx-1']);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['MVCC_READ_CONFLICT', StatusCode.MVCC_READ_CONFLICT],
    ['PHANTOM_READ_CONFLICT', StatusCode.PHANTOM_READ_CONFLICT],
  ])('retries %s with a NEW proposal after a jittered backoff', async (_name, code) => {
    const fabric = fakeFabric([{ status: code }, {}]);
    const { promise, sleeps, events } = run(fabric, () => 0.5);
    const flow = await promise;
    expect(flow.txId).toBe('tx-2');
    expect(flow.attempts).toBe(2);
    expect(decoder.decode(flow.result)).toBe('{"txId":"tx-2"}');
    expect(fabric.calls.filter((c) => c.startsWith('propose'))).toEqual(['propose tx-1', 'propose tx-2']);
    expect(sleeps).toEqual([50]);
    expect(events).toContainEqual({ kind: 'invalidated', txId: 'tx-1', attempt: 1, code: _name, retryInMs: 50 });
  });

  it('gives up after maxAttempts read conflicts with a CommitError of the last txId, backing off exponentially up to the cap', async () => {
    const conflict = { status: StatusCode.MVCC_READ_CONFLICT };
    const fabric = fakeFabric([conflict, conflict, conflict, conflict, conflict]);
    const { promise, sleeps } = run(fabric, () => 0.999);
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitError);
    expect(err).toMatchObject({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 'tx-4' });
    expect(fabric.calls.filter((c) => c.startsWith('propose'))).toHaveLength(4);
    expect(sleeps).toEqual([99, 199, 299]);
    const problem = problemFromChaincode(err);
    expect({ status: problem.status, slug: problem.slug, txId: problem.txId }).toEqual({ status: 503, slug: 'ledger-conflict', txId: 'tx-4' });
  });

  it('throws any other invalidation at once as a CommitError with its code, without retrying', async () => {
    const fabric = fakeFabric([{ status: StatusCode.ENDORSEMENT_POLICY_FAILURE }, {}]);
    const { promise, sleeps } = run(fabric);
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommitError);
    expect(err).toMatchObject({ code: StatusCode.ENDORSEMENT_POLICY_FAILURE, transactionId: 'tx-1' });
    expect((err as Error).message).toContain('ENDORSEMENT_POLICY_FAILURE');
    expect(fabric.calls).toEqual(['propose tx-1', 'endorse tx-1', 'submit tx-1', 'status tx-1']);
    expect(sleeps).toEqual([]);
  });

  it('never retries a chaincode refusal: the EndorseError is thrown as it came, nothing submitted', async () => {
    const refusal = new EndorseError({
      code: GrpcStatus.ABORTED,
      details: [{ address: 'peer0:7051', mspId: 'OperatorOrgMSP', message: 'chaincode response 500, CONFLICT: version: model version m@1 is already registered with different content (name)' }],
      cause: serviceError(GrpcStatus.ABORTED),
      transactionId: 'tx-1',
      message: 'failed to endorse',
    });
    const fabric = fakeFabric([{ endorse: () => refusal }, {}]);
    const { promise } = run(fabric);
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBe(refusal);
    expect(fabric.calls).toEqual(['propose tx-1', 'endorse tx-1']);
    expect(problemFromChaincode(err)).toMatchObject({ status: 409, slug: 'conflict', txId: 'tx-1', errors: [{ field: 'version' }] });
  });

  it('after a submit deadline reads the SAME txId status and returns its VALID commit without resubmitting', async () => {
    const timeout = (txId: string) => new SubmitError({ code: GrpcStatus.DEADLINE_EXCEEDED, details: [], cause: serviceError(4), transactionId: txId });
    const fabric = fakeFabric([{ submit: timeout }], async (txId) => ({ transactionId: txId, code: StatusCode.VALID, successful: true, blockNumber: 77n }));
    const { promise, events } = run(fabric);
    const flow = await promise;
    expect({ txId: flow.txId, blockNumber: flow.blockNumber, attempts: flow.attempts }).toEqual({ txId: 'tx-1', blockNumber: 77n, attempts: 1 });
    expect(fabric.calls).toEqual(['propose tx-1', 'endorse tx-1', 'submit tx-1', 'check tx-1']);
    expect(events.map((e) => e.kind)).toEqual(['endorsed', 'submit-unconfirmed']);
  });

  it('after a dropped connection at submit, a status showing a read conflict leads to a new proposal', async () => {
    const dropped = (txId: string) => new SubmitError({ code: GrpcStatus.UNAVAILABLE, details: [], cause: serviceError(14), transactionId: txId });
    const fabric = fakeFabric([{ submit: dropped }, {}], async (txId) => ({ transactionId: txId, code: StatusCode.MVCC_READ_CONFLICT, successful: false, blockNumber: 50n }));
    const { promise } = run(fabric);
    const flow = await promise;
    expect(flow.txId).toBe('tx-2');
    expect(fabric.statusChecks).toEqual(['tx-1']);
    expect(fabric.calls).toEqual(['propose tx-1', 'endorse tx-1', 'submit tx-1', 'check tx-1', 'propose tx-2', 'endorse tx-2', 'submit tx-2', 'status tx-2']);
  });

  it('when the status of a timed-out submit cannot be read either, throws CommitStatusError with the txId and resubmits nothing', async () => {
    const timeout = (txId: string) => new SubmitError({ code: GrpcStatus.DEADLINE_EXCEEDED, details: [], cause: serviceError(4), transactionId: txId });
    const unknown = new CommitStatusError({ code: GrpcStatus.DEADLINE_EXCEEDED, details: [], cause: serviceError(4), transactionId: 'tx-1' });
    const fabric = fakeFabric([{ submit: timeout }, {}], () => Promise.reject(unknown));
    const { promise } = run(fabric);
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBe(unknown);
    expect(fabric.calls).toEqual(['propose tx-1', 'endorse tx-1', 'submit tx-1', 'check tx-1']);
    expect(problemFromChaincode(err)).toMatchObject({ status: 504, slug: 'commit-status-unknown', txId: 'tx-1' });
  });

  it('throws a definite submit refusal (not a timeout) without a status check or a retry', async () => {
    const refused = (txId: string) => new SubmitError({ code: GrpcStatus.FAILED_PRECONDITION, details: [], cause: serviceError(9), transactionId: txId });
    const fabric = fakeFabric([{ submit: refused }, {}]);
    const err = await run(fabric).promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubmitError);
    expect(err).toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION, transactionId: 'tx-1' });
    expect(fabric.calls).toEqual(['propose tx-1', 'endorse tx-1', 'submit tx-1']);
  });

  it('throws a commit status timeout after a successful submit as it came, resubmitting nothing', async () => {
    const unknown = new CommitStatusError({ code: GrpcStatus.DEADLINE_EXCEEDED, details: [], cause: serviceError(4), transactionId: 'tx-1' });
    const fabric = fakeFabric([{ status: () => unknown }, {}]);
    const err = await run(fabric).promise.catch((e: unknown) => e);
    expect(err).toBe(unknown);
    expect(fabric.calls).toEqual(['propose tx-1', 'endorse tx-1', 'submit tx-1', 'status tx-1']);
  });

  it('with maxAttempts 1 never retries a read conflict', async () => {
    const fabric = fakeFabric([{ status: StatusCode.MVCC_READ_CONFLICT }, {}]);
    const err = await runSubmitFlow({ newProposal: fabric.newProposal, commitStatus: fabric.commitStatus, policy: { ...policy, maxAttempts: 1 } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 'tx-1' });
    expect(fabric.calls.filter((c) => c.startsWith('propose'))).toEqual(['propose tx-1']);
  });
});
