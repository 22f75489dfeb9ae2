// SetDriftPolicy and GetDriftPolicy: per-version thresholds and the action on a critical alert.
import { canonicalJson } from '../../domain/canonical-json.js';
import { DriftPolicyInput, type DriftPolicy } from '../../domain/drift.js';
import { defaultPolicy } from '../../domain/drift-rules.js';
import { EventName } from '../../domain/events.js';
import { parseJsonArg } from '../../domain/validation.js';
import { getPolicy, putPolicy } from '../../ledger/drift-store.js';
import type { Tx } from '../tx.js';
import { readModel, requireModel } from './model-status.js';

/** The policy in force: the stored one, or the DESIGN defaults with onCritical=flag. */
export async function policyFor(tx: Tx, modelId: string, version: string): Promise<DriftPolicy> {
  return (await getPolicy(tx.stub, modelId, version)) ?? defaultPolicy(modelId, version);
}

export async function setDriftPolicy(tx: Tx, text: string): Promise<DriftPolicy> {
  const input = parseJsonArg(DriftPolicyInput, text, 'policy');
  const model = await requireModel(tx, input.modelId, input.version);
  await tx.requireRole('setDriftPolicy', model.ownerMsp);
  const current = await getPolicy(tx.stub, input.modelId, input.version);
  const rules = (p: Pick<DriftPolicy, 'thresholds' | 'onCritical'>) => canonicalJson({ thresholds: p.thresholds, onCritical: p.onCritical });
  if (current !== undefined && rules(current) === rules(input)) return current;
  const policy: DriftPolicy = { ...input, source: 'ledger', setBy: tx.caller.id, setAt: tx.time };
  await putPolicy(tx.stub, policy);
  tx.emit(EventName.DriftPolicySet, { modelId: input.modelId, version: input.version, onCritical: input.onCritical });
  return policy;
}

export async function getDriftPolicy(tx: Tx, modelId: unknown, version: unknown): Promise<DriftPolicy> {
  const model = await readModel(tx, modelId, version);
  return policyFor(tx, model.modelId, model.version);
}
