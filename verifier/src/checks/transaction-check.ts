// Check (5): a transaction is VALID, its creator signed it, its id and proposal hash are right, and its endorsements satisfy the policy.
import type { ParsedBlock } from '../fabric/block.js';
import { sha256 } from '../fabric/block.js';
import type { ChannelConfig } from '../fabric/channel-config.js';
import { HeaderType, TxValidationCode } from '../fabric/messages.js';
import type { Identity } from '../fabric/msp.js';
import { evaluatePolicyPath } from '../fabric/policy.js';
import { signatureProblem } from '../fabric/signature.js';
import type { DecodedTransaction } from '../fabric/transaction.js';
import { shortTx } from '../report.js';

/** The channel's default endorsement policy, which the chaincode definition refers to (MAJORITY Endorsement: both orgs). */
export const ENDORSEMENT_POLICY = '/Channel/Application/Endorsement';

const VALIDATION_NAMES = new Map<number, string>(Object.entries(TxValidationCode).map(([name, code]) => [code, name]));

export interface TransactionVerdict {
  readonly problems: readonly string[];
  /** MSP ids whose endorsement verified. */
  readonly endorsedBy: readonly string[];
}

/** Checks one endorser transaction of `block` under the channel config in force for that block. */
export function verifyTransaction(block: ParsedBlock, tx: DecodedTransaction, config: ChannelConfig): TransactionVerdict {
  const what = `tx ${shortTx(tx.txId)} block ${block.number}`;
  const problems: string[] = [];
  const code = block.validationCodes[tx.index];
  if (code !== TxValidationCode.VALID) {
    problems.push(`${what}: not VALID (${code === undefined ? 'no validation code' : (VALIDATION_NAMES.get(code) ?? `code ${code}`)})`);
  }
  if (tx.channelId !== config.channelId) problems.push(`${what}: of channel ${tx.channelId}, not ${config.channelId}`);
  if (tx.type !== HeaderType.ENDORSER_TRANSACTION) problems.push(`${what}: not an endorser transaction`);
  if (sha256(tx.nonce, tx.creator).toString('hex') !== tx.txId) problems.push(`${what}: the transaction id is not the hash of its nonce and creator`);

  const creator = config.registry.identity(tx.creator);
  if (!creator.ok) problems.push(`${what}: creator ${creator.mspId || '(unknown)'}: ${creator.reason}`);
  else {
    const problem = signatureProblem(creator.identity, tx.payload, tx.signature);
    if (problem !== undefined) problems.push(`${what}: creator ${problem} (by ${creator.identity.label})`);
  }

  if (tx.actions.length !== 1) problems.push(`${what}: has ${tx.actions.length} actions, Fabric allows exactly one`);
  const endorsers: Identity[] = [];
  for (const action of tx.actions) {
    if (!sha256(tx.channelHeader, action.signatureHeader, action.chaincodeProposalPayload).equals(action.proposalHash)) {
      problems.push(`${what}: the endorsed proposal hash does not match the transaction's header and proposal`);
    }
    for (const endorsement of action.endorsements) {
      const endorser = config.registry.identity(endorsement.endorser);
      if (!endorser.ok) {
        problems.push(`${what}: endorsement by ${endorser.mspId || '(unknown)'}: ${endorser.reason}`);
        continue;
      }
      if (endorsers.some((e) => e.id === endorser.identity.id)) continue;
      if (!config.applicationOrgs.includes(endorser.identity.mspId)) {
        problems.push(`${what}: endorsement by ${endorser.identity.mspId}: not an application org of channel ${config.channelId}`);
        continue;
      }
      const problem = signatureProblem(endorser.identity, [action.proposalResponsePayload, endorsement.endorser], endorsement.signature);
      if (problem !== undefined) {
        problems.push(`${what}: endorsement by ${endorser.identity.label}: ${problem}`);
        continue;
      }
      endorsers.push(endorser.identity);
    }
  }
  const verdict = evaluatePolicyPath(config.root, ENDORSEMENT_POLICY, endorsers, (id) => config.msps.get(id));
  if (!verdict.satisfied) problems.push(`${what}: endorsements do not satisfy ${ENDORSEMENT_POLICY} (${verdict.detail})`);
  return { problems, endorsedBy: [...new Set(endorsers.map((e) => e.mspId))] };
}
