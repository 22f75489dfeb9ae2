// What "the same decision" means: the canonical JSON of the validated input and its hash, also derivable from a ledger record.
import { canonicalJson, decisionInputInOrder, sha256Hex, type DecisionInput } from '@aiaudit/chaincode/domain';

/** Fields the chaincode adds to an input when it records it; stripping them gives the input back. */
const LEDGER_FIELDS = new Set(['recordedAt', 'ownerMsp', 'recordedBy', 'openDriftAlertIds']);

export interface DecisionContent {
  decisionId: string;
  /** RFC 8785 canonical JSON of the validated input (schema defaults applied, as the chaincode stores it). */
  json: string;
  sha256: string;
}

export function contentOf(input: DecisionInput): DecisionContent {
  // Members in sorted order first: canonical JSON then writes the input without copying it.
  const json = canonicalJson(decisionInputInOrder(input));
  return { decisionId: input.decisionId, json, sha256: sha256Hex(json) };
}

/** The content hash of the input a stored DecisionRecord (canonical JSON) was recorded from. */
export function contentShaOfRecord(recordJson: string): string {
  const record: unknown = JSON.parse(recordJson);
  const input = Object.fromEntries(Object.entries(Object(record)).filter(([key]) => !LEDGER_FIELDS.has(key)));
  return sha256Hex(canonicalJson(input));
}
