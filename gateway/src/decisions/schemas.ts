// Request and response schemas of the /decisions routes (documented in OpenAPI), and the submission body validator.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { DecisionInput, DecisionRecord, Identifier, MAX_DECISIONS_PER_BATCH, SubjectRef, Timestamp } from '@aiaudit/chaincode/domain';
import { problemFromZod } from '../http/problem.js';
import type { Validator } from '../http/validate.js';

export const DecisionList = z
  .strictObject({
    decisions: z
      .array(DecisionInput)
      .min(1, { error: 'must hold at least one decision' })
      .max(MAX_DECISIONS_PER_BATCH, { error: `at most ${MAX_DECISIONS_PER_BATCH} decisions per request` }),
  })
  .superRefine((body, ctx) => {
    const first = new Map<string, number>();
    body.decisions.forEach((d, i) => {
      const earlier = first.get(d.decisionId);
      if (earlier === undefined) first.set(d.decisionId, i);
      else ctx.addIssue({ code: 'custom', path: ['decisions', i, 'decisionId'], message: `duplicate of decisions[${earlier}].decisionId` });
    });
  })
  .meta({ id: 'DecisionList', description: `Up to ${MAX_DECISIONS_PER_BATCH} decisions, recorded all or nothing in one batch` });

export const DecisionSubmission = z.union([DecisionInput, DecisionList]).describe('One decision, or {decisions: [...]}');

export type ParsedSubmission = { listForm: boolean; decisions: DecisionInput[] };

/**
 * Validates the body as one decision or a list, choosing by the presence of `decisions`, so a
 * bad field is named exactly (a plain union would only say "invalid input").
 */
export function validateSubmission(): Validator<typeof DecisionSubmission> & { parsed: (req: Request) => ParsedSubmission } {
  const values = new WeakMap<Request, ParsedSubmission>();
  const middleware: RequestHandler = (req, _res, next) => {
    const body: unknown = req.body;
    const listForm = typeof body === 'object' && body !== null && 'decisions' in body;
    const result = listForm ? DecisionList.safeParse(body, { reportInput: true }) : DecisionInput.safeParse(body, { reportInput: true });
    if (!result.success) {
      next(problemFromZod(result.error, 'body'));
      return;
    }
    values.set(req, 'decisions' in result.data ? { listForm: true, decisions: result.data.decisions } : { listForm: false, decisions: [result.data] });
    next();
  };
  const parsed = (req: Request): ParsedSubmission => {
    const value = values.get(req);
    if (value === undefined) throw new Error('the submission validator did not run before the handler');
    return value;
  };
  const valueOf = (req: Request): z.output<typeof DecisionSubmission> => {
    const { listForm, decisions } = parsed(req);
    const [first] = decisions;
    return listForm || first === undefined ? { decisions } : first;
  };
  return Object.assign(middleware, { schema: DecisionSubmission, location: 'body' as const, valueOf, parsed });
}

export const DecisionReceipt = z
  .object({
    decisionId: Identifier,
    batchId: Identifier.describe('The RecordDecisions batch that holds it'),
    position: z.number().int().min(0).describe('Its index in the batch'),
    txId: z.string().describe('The Fabric transaction'),
    blockNumber: z.string().regex(/^\d+$/).describe('The block it committed in (decimal string)'),
  })
  .meta({ id: 'DecisionReceipt', description: 'Where one decision committed' });

export const SingleReceipt = z.object({ receipt: DecisionReceipt });
export const ReceiptList = z.object({ receipts: z.array(DecisionReceipt).describe('In the order of the request') });

export const DecisionState = z.enum(['pending', 'committed', 'failed']);

export const AcceptedDecision = z.object({
  decisionId: Identifier,
  state: DecisionState,
  statusUrl: z.string(),
  receipt: DecisionReceipt.optional().describe('Set when the decision was already committed'),
});
export const Accepted = z
  .object({ status: z.literal('accepted'), decisions: z.array(AcceptedDecision) })
  .meta({ id: 'DecisionsAccepted', description: 'Durable in the gateway outbox; poll each statusUrl' });

export const LedgerAnchor = z
  .object({
    txId: z.string(),
    blockNumber: z.string().regex(/^\d+$/),
    txIndex: z.number().int().min(0).describe('Position of the transaction in its block'),
    batchId: Identifier,
    position: z.number().int().min(0).describe('Position of the decision in the batch value'),
  })
  .meta({ id: 'LedgerAnchor', description: 'Where a record is on the ledger: check it against the block' });

export const AnchoredDecision = z
  .object({
    decision: DecisionRecord,
    anchor: LedgerAnchor,
    duplicateAnchors: z.array(LedgerAnchor).describe('Further appearances of the same decision id on the ledger (normally none; each is flagged)'),
  })
  .meta({ id: 'AnchoredDecision', description: 'A decision record from the block-derived index, with its ledger anchor' });

export const DecisionSearchPage = z
  .object({
    decisions: z.array(AnchoredDecision),
    bookmark: z.string().describe('Pass back for the next page; empty on the last page'),
  })
  .meta({ id: 'DecisionSearchPage', description: 'A page of decisions in ledger order' });

export const DecisionSearchQuery = z
  .strictObject({
    modelId: Identifier.optional(),
    modelVersion: Identifier.optional(),
    from: Timestamp.optional().describe('Earliest ledger time (recordedAt), inclusive'),
    to: Timestamp.optional().describe('Latest ledger time (recordedAt), inclusive'),
    subjectRef: SubjectRef.optional(),
    alertId: Identifier.optional().describe('Decisions recorded while this drift alert was open'),
    pageSize: z
      .string()
      .regex(/^\d{1,4}$/, { error: 'must be a whole number' })
      .transform(Number)
      .pipe(z.number().int().min(1, { error: 'must be at least 1' }).max(500, { error: 'must be at most 500' }))
      .optional()
      .describe('Decisions per page (1-500, default 50)'),
    bookmark: z.string().max(200, { error: 'is too long' }).optional().describe('From the previous page'),
  })
  .refine((q) => q.modelVersion === undefined || q.modelId !== undefined, { error: 'needs modelId', path: ['modelVersion'] })
  .refine((q) => q.from === undefined || q.to === undefined || !(Date.parse(q.from) > Date.parse(q.to)), { error: 'from must not be after to', path: ['to'] });

export const DecisionIdParams = z.strictObject({ decisionId: Identifier });

export const DecisionStatusBody = z
  .object({
    decisionId: Identifier,
    state: DecisionState,
    acceptedAt: Timestamp.optional(),
    batchId: Identifier.optional(),
    position: z.number().int().optional(),
    txId: z.string().optional(),
    blockNumber: z.string().optional(),
    problem: z.object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string().optional() }).passthrough().optional(),
  })
  .meta({ id: 'DecisionStatus', description: 'Outbox state of a submitted decision' });
