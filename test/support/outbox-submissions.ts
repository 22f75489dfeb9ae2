// Accepted submissions as the outbox holds them, built from example decisions (outbox tests).
import { DecisionInput, exampleDecision } from '@aiaudit/chaincode/domain';
import type { FabricSigner } from '../../gateway/src/fabric/ledger.js';
import { contentOf } from '../../gateway/src/outbox/content.js';
import type { QueuedSubmission } from '../../gateway/src/outbox/types.js';

export const outboxSigner: FabricSigner = { mspId: 'OperatorOrgMSP', fabricUser: 'User1' };

/** The example decision with each of `decisionIds`, as one accepted submission of `outboxSigner`. */
export function queuedSubmission(submissionId: string, decisionIds: string[], acceptedAt = Date.now()): QueuedSubmission {
  const contents = decisionIds.map((decisionId) => contentOf(DecisionInput.parse(exampleDecision({ decisionId }))));
  return {
    submissionId,
    signer: outboxSigner,
    decisionIds,
    recordJsons: contents.map((c) => c.json),
    contentSha256s: contents.map((c) => c.sha256),
    acceptedAt,
    listForm: decisionIds.length > 1,
  };
}
