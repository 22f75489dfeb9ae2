// Routes on one recorded decision: human oversight (review, override, reversal) and the purge of its private inputs.
import { z } from 'zod';
import { Identifier, OversightEntry, OversightInput, PurgeLogEntry, PurgeRequest } from '../domain.js';
import { ProblemDocument, type ApiRegistry } from '../http/openapi.js';
import { ProblemError } from '../http/problem.js';
import { validateBody, validateParams, validateQuery } from '../http/validate.js';
import { arg, assembled, checked, problem, READERS, Receipt, receiptOf, sendWrite, signerOf, writeResponse, writtenBy, type LedgerRouteDeps } from './shared.js';

const DecisionParams = z.strictObject({ decisionId: Identifier });

const batchIdField = Identifier.optional().describe(
  'The batch holding the decision (its receipt names it); may be omitted when the gateway runs its decision index',
);

const OversightBody = z
  .strictObject({
    oversightId: OversightInput.shape.oversightId,
    batchId: batchIdField,
    reviewerRef: OversightInput.shape.reviewerRef,
    action: OversightInput.shape.action,
    reason: OversightInput.shape.reason,
  })
  .meta({ id: 'OversightRequest', description: 'A human review of the decision in the path; reason is required for overridden and reversed' });

const PurgeBody = z
  .strictObject({ batchId: batchIdField, reason: PurgeRequest.shape.reason, legalOverride: PurgeRequest.shape.legalOverride })
  .meta({ id: 'PurgeRequestBody', description: 'Purge the private inputs of the decision in the path; before retentionUntil only with a legal override' });

const BatchQuery = z.strictObject({ batchId: batchIdField });

/** The refusal of a purge, committed as evidence: a 422 problem that carries the log entry and the receipt. */
const PurgeRefusal = ProblemDocument.extend({ entry: PurgeLogEntry, receipt: Receipt }).meta({ id: 'PurgeRefusal', description: 'A refused purge (committed to the purge log)' });

export function registerDecisionReviewRoutes(api: ApiRegistry, deps: LedgerRouteDeps): void {
  const { ledger } = deps;

  /** The decision's batch: from the request, else from the decision index; 400 naming batchId when neither knows it. */
  const batchOf = async (decisionId: string, given: string | undefined, location: 'body' | 'query'): Promise<string> => {
    if (given !== undefined) return given;
    if (deps.findDecision === undefined) {
      throw new ProblemError({
        status: 400,
        slug: 'invalid-argument',
        detail: 'batchId: is required (this gateway runs without a decision index to look it up)',
        errors: [{ field: 'batchId', message: 'is required', in: location }],
      });
    }
    const found = await deps.findDecision(decisionId);
    if (found === undefined) throw new ProblemError({ status: 404, slug: 'not-found', detail: `decisionId: decision ${decisionId} is not in the decision index`, errors: [{ field: 'decisionId', message: 'is not in the decision index', in: 'path' }] });
    return found.batchId;
  };

  const oversightParams = validateParams(DecisionParams);
  const oversightBody = validateBody(OversightBody);
  api.route(
    {
      method: 'post',
      path: '/decisions/:decisionId/oversight',
      summary: 'Record a human review of a decision',
      description: 'Identical re-submission of the same oversightId answers 200 with the stored entry; different content is 409.',
      tags: ['oversight'],
      roles: ['officer'],
      params: oversightParams,
      body: oversightBody,
      responses: {
        201: { description: 'Recorded now', schema: writeResponse(OversightEntry) },
        200: { description: 'Already recorded with identical content', schema: writeResponse(OversightEntry) },
        404: problem('The batch, or the decision in it, does not exist'),
        409: problem('The oversightId is taken by different content'),
      },
    },
    async ({ req, res, principal }) => {
      const { decisionId } = oversightParams.valueOf(req);
      const { batchId, ...review } = oversightBody.valueOf(req);
      const input = assembled(OversightInput, { ...review, decisionId, batchId: await batchOf(decisionId, batchId, 'body') });
      const receipt = await ledger.submit(signerOf(principal), 'decisions', 'AddOversight', [arg(input)]);
      const entry = checked(OversightEntry, receipt.result, 'an oversight entry');
      sendWrite(res, writtenBy(receipt, entry.at) ? 201 : 200, entry, receipt);
    },
  );

  const listParams = validateParams(DecisionParams);
  const listQuery = validateQuery(BatchQuery);
  api.route(
    {
      method: 'get',
      path: '/decisions/:decisionId/oversight',
      summary: 'List the human reviews of a decision',
      tags: ['oversight'],
      roles: READERS,
      params: listParams,
      query: listQuery,
      responses: { 200: { description: 'Reviews, oldest first', schema: z.object({ entries: z.array(OversightEntry) }) }, 404: problem('No such batch') },
    },
    async ({ req, res, principal }) => {
      const { decisionId } = listParams.valueOf(req);
      const batchId = await batchOf(decisionId, listQuery.valueOf(req).batchId, 'query');
      const entries = await ledger.evaluate(signerOf(principal), 'decisions', 'ListOversight', [batchId, decisionId]);
      res.json({ entries: checked(z.array(OversightEntry), entries, 'oversight entries') });
    },
  );

  const purgeParams = validateParams(DecisionParams);
  const purgeBody = validateBody(PurgeBody);
  api.route(
    {
      method: 'post',
      path: '/decisions/:decisionId/purge',
      summary: "Purge a decision's private inputs",
      description:
        'At or after the decision\'s retentionUntil the raw inputs are purged from the private collection (the on-chain hash stays). Before it, only with a legalOverride; otherwise the refusal itself is committed to the purge log and answered 422 with the entry and receipt.',
      tags: ['oversight'],
      roles: ['officer'],
      params: purgeParams,
      body: purgeBody,
      responses: {
        200: { description: 'Purged; the purge-log entry', schema: writeResponse(PurgeLogEntry) },
        404: problem('The batch, or the decision in it, does not exist'),
        422: { description: 'Refused by the retention rule; the refusal was committed (problem with entry and receipt)', schema: PurgeRefusal, contentType: 'application/problem+json' },
      },
    },
    async ({ req, res, principal }) => {
      const { decisionId } = purgeParams.valueOf(req);
      const { batchId, ...request } = purgeBody.valueOf(req);
      const input = assembled(PurgeRequest, { ...request, decisionId, batchId: await batchOf(decisionId, batchId, 'body') });
      const receipt = await ledger.submit(signerOf(principal), 'privacy', 'PurgePrivateInputs', [arg(input)]);
      const entry = checked(PurgeLogEntry, receipt.result, 'a purge-log entry');
      if (entry.outcome === 'purged') {
        sendWrite(res, 200, entry, receipt);
        return;
      }
      throw new ProblemError({
        status: 422,
        slug: 'precondition-failed',
        detail: `purge refused: ${entry.rule}`,
        errors: [{ field: 'legalOverride', message: 'is required before retentionUntil', in: 'body' }],
        txId: receipt.txId,
        extensions: { entry, receipt: receiptOf(receipt) },
      });
    },
  );

  const logParams = validateParams(DecisionParams);
  const logQuery = validateQuery(BatchQuery);
  api.route(
    {
      method: 'get',
      path: '/decisions/:decisionId/purge-log',
      summary: 'List the purges and refused purges of a decision',
      tags: ['oversight'],
      roles: READERS,
      params: logParams,
      query: logQuery,
      responses: { 200: { description: 'Purge-log entries, oldest first', schema: z.object({ entries: z.array(PurgeLogEntry) }) }, 404: problem('No such batch') },
    },
    async ({ req, res, principal }) => {
      const { decisionId } = logParams.valueOf(req);
      const batchId = await batchOf(decisionId, logQuery.valueOf(req).batchId, 'query');
      const entries = await ledger.evaluate(signerOf(principal), 'privacy', 'ListPurgeLog', [batchId, decisionId]);
      res.json({ entries: checked(z.array(PurgeLogEntry), entries, 'purge-log entries') });
    },
  );
}
