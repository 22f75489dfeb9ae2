// Small helpers for integration tests: JSON in and out of transactions, error details, role set-up.
import type { Contract, Network } from '@hyperledger/fabric-gateway';
import { decodeProcessedTransaction, type CommittedTransaction } from '../../gateway/src/fabric/transaction-reader.js';
import type { OrgKey, TestNetwork, UserName } from './network.js';

const utf8 = new TextDecoder();

/**
 * Waits until every peer has committed a block. Endorsement reads the state of BOTH orgs' peers,
 * and the commit status comes from one of them, so a write that depends on the previous one can
 * reach a peer that is a block behind. TestNetwork registers itself here.
 */
type Settler = (blockNumber: bigint) => Promise<void>;
const settlers = new Set<Settler>();
export function onSubmitted(settle: Settler): () => void {
  settlers.add(settle);
  return () => settlers.delete(settle);
}

export async function submitJson<T = unknown>(contract: Contract, tx: string, ...args: string[]): Promise<{ result: T; txId: string }> {
  const proposal = contract.newProposal(tx, { arguments: args });
  const transaction = await proposal.endorse();
  const commit = await transaction.submit();
  const status = await commit.getStatus();
  if (!status.successful) throw new Error(`transaction ${status.transactionId} failed validation: ${status.code}`);
  await Promise.all([...settlers].map((settle) => settle(status.blockNumber)));
  return { result: JSON.parse(utf8.decode(transaction.getResult())) as T, txId: transaction.getTransactionId() };
}

export async function evaluateJson<T = unknown>(contract: Contract, tx: string, ...args: string[]): Promise<T> {
  return JSON.parse(utf8.decode(await contract.evaluateTransaction(tx, ...args))) as T;
}

/** The chaincode's message from a failed endorse/evaluate (fabric-gateway puts it in `details`). */
export function chaincodeMessages(err: unknown): string[] {
  const details = (err as { details?: { message: string }[] }).details ?? [];
  return details.map((d) => d.message);
}

export async function committedTransaction(network: Network, txId: string): Promise<CommittedTransaction> {
  const qscc = network.getContract('qscc');
  const bytes = await qscc.evaluateTransaction('GetTransactionByID', network.getName(), txId);
  return decodeProcessedTransaction(bytes);
}

/** The caller's Fabric identity id as the chaincode sees it. */
export async function identityIdOf(net: TestNetwork, org: OrgKey, user: UserName): Promise<string> {
  const me = await evaluateJson<{ id: string }>(net.contract(org, user, 'access'), 'WhoAmI');
  return me.id;
}

/** Grants `role` to `user` of `org` through that org's admin; already-held roles are fine. */
export async function grantRole(net: TestNetwork, org: OrgKey, user: UserName, role: string): Promise<void> {
  const identityId = await identityIdOf(net, org, user);
  await submitJson(net.contract(org, 'Admin', 'access'), 'GrantRole',
    JSON.stringify({ mspId: net.profile.orgs[org]?.mspId, identityId, role, reason: 'integration test set-up' }));
}

/** A suffix that keeps ids unique across runs on a reused network. */
export const runTag = `${Date.now().toString(36)}`;
