// Orderer signatures on a block: each verifies against an orderer MSP of the config in force, and together they satisfy BlockValidation.
import type { ParsedBlock } from '../fabric/block.js';
import type { ChannelConfig } from '../fabric/channel-config.js';
import type { Identity } from '../fabric/msp.js';
import { evaluatePolicyPath } from '../fabric/policy.js';
import { signatureProblem } from '../fabric/signature.js';

export const BLOCK_VALIDATION_POLICY = '/Channel/Orderer/BlockValidation';

/** Problems with `block`'s orderer signatures under `config` (empty when they verify and satisfy the policy). */
export function ordererSignatureProblems(block: ParsedBlock, config: ChannelConfig, what = `block ${block.number}`): string[] {
  if (block.signatures.length === 0) return [`${what}: no orderer signature`];
  const problems: string[] = [];
  const signers: Identity[] = [];
  for (const entry of block.signatures) {
    if (entry.creator.length === 0) {
      problems.push(`${what}: an orderer signature names a BFT consenter id instead of an identity (not supported)`);
      continue;
    }
    const result = config.registry.identity(entry.creator);
    if (!result.ok) {
      problems.push(`${what}: orderer signature by ${result.mspId || 'an unknown signer'}: ${result.reason}`);
      continue;
    }
    if (signers.some((s) => s.id === result.identity.id)) continue;
    const problem = signatureProblem(result.identity, [block.signedMetadataValue, entry.signatureHeader, block.headerBytes], entry.signature);
    if (problem !== undefined) {
      problems.push(`${what}: orderer ${problem} (by ${result.identity.label})`);
      continue;
    }
    signers.push(result.identity);
  }
  const verdict = evaluatePolicyPath(config.root, BLOCK_VALIDATION_POLICY, signers, (id) => config.msps.get(id));
  if (!verdict.satisfied) problems.push(`${what}: orderer signatures do not satisfy ${BLOCK_VALIDATION_POLICY} (${verdict.detail})`);
  return problems;
}
