// The /decisions routes: submit (wait for commit, or 202 once durable), read by id, search, and outbox status.
import type { Request } from 'express';
import { API_BASE } from '../http/app.js';
import type { ApiRegistry } from '../http/openapi.js';
import type { Principal } from '../http/principal.js';
import { ProblemError } from '../http/problem.js';
import { validateParams, validateQuery } from '../http/validate.js';
import type { IndexStore } from '../index/store.js';
import type { DecisionReceipt, Outcome } from '../outbox/batcher.js';
import type { DecisionOutbox } from '../outbox/outbox.js';
import { problem, READERS, signerOf } from '../routes/shared.js';
import { anchorOf, decodeBookmark, encodeBookmark, recordOf, type DecisionReader } from './lookup.js';
import { Accepted, AnchoredDecision, DecisionIdParams, DecisionSearchPage, DecisionSearchQuery, DecisionStatusBody, ReceiptList, SingleReceipt, validateSubmission } from './schemas.js';

export interface DecisionRouteDeps {
  outbox: DecisionOutbox;
  reader: DecisionReader;
  index: IndexStore;
  /** How long a synchronous POST waits for its batch to commit before answering 503 with the status URL. */
  commitWaitMs: number;
}

export const decisionStatusPath = (decisionId: string): string => `${API_BASE}/decisions/${encodeURIComponent(decisionId)}/status`;
export const decisionPath = (decisionId: string): string => `${API_BASE}/decisions/${encodeURIComponent(decisionId)}`;

/** The org whose records the caller may read; undefined = every org (regulator). */
const scopeOf = (principal: Principal): string | undefined => (principal.role === 'regulator' ? undefined : principal.org);
const visible = (principal: Principal, ownerMsp: string): boolean => principal.role === 'regulator' || principal.org === ownerMsp;
const notFound = (decisionId: string): ProblemError => new ProblemError({ status: 404, slug: 'not-found', detail: `decision ${decisionId} is not on the ledger (or not visible to your org)` });

const wantsAsync = (req: Request): boolean => (req.get('prefer') ?? '').split(/[,;]/).some((p) => p.trim().toLowerCase() === 'respond-async');

export function registerDecisionRoutes(api: ApiRegistry, deps: DecisionRouteDeps): void {
  const { outbox, reader, index } = deps;
  const body = validateSubmission();
  api.route(
    {
      method: 'post',
      path: '/decisions',
      summary: 'Record decisions',
      description:
        'One decision, or {decisions:[…]} recorded all or nothing. Concurrent calls are batched into one ledger transaction; each caller gets its own receipts. ' +
        'Waits for the commit by default; with `Prefer: respond-async` answers 202 once the decisions are durable in the gateway outbox, with a status URL per decision. ' +
        'Resubmitting a decision with identical content answers its existing receipt (200); the same id with different content is 409.',
      tags: ['decisions'],
      roles: ['recorder'],
      body,
      responses: {
        201: { description: 'Committed: one receipt ({receipt}) or one per decision ({receipts}) in request order', schema: SingleReceipt.or(ReceiptList) },
        200: { description: 'Every decision was already committed with identical content', schema: SingleReceipt.or(ReceiptList) },
        202: { description: 'Accepted into the outbox (Prefer: respond-async); Location is the first status URL', schema: Accepted },
        409: problem('A decision id is already used with different content'),
        422: problem('The ledger refuses a decision (e.g. its model version is suspended or retired)'),
        503: problem('Not committed in time or the gateway is stopping (the decisions stay in the outbox, see the status URLs); or `overloaded`: the outbox holds AIAUDIT_OUTBOX_MAX_PENDING decisions and nothing of this request was accepted (Retry-After)'),
      },
    },
    async ({ req, res, principal }) => {
      const { listForm, decisions } = body.parsed(req);
      const handle = await outbox.submit(signerOf(principal), decisions, listForm);
      if (wantsAsync(req)) {
        const first = handle.admissions[0];
        if (first !== undefined) res.location(decisionStatusPath(first.decisionId));
        res.set('Preference-Applied', 'respond-async');
        res.status(202).json({
          status: 'accepted',
          decisions: handle.admissions.map((a) => ({
            decisionId: a.decisionId,
            state: a.kind === 'committed' ? 'committed' : 'pending',
            statusUrl: decisionStatusPath(a.decisionId),
            ...(a.kind === 'committed' ? { receipt: a.receipt } : {}),
          })),
        });
        return;
      }
      const receipts = await settled(handle.outcomes, deps.commitWaitMs, handle.admissions.map((a) => a.decisionId));
      const replay = handle.admissions.every((a) => a.kind === 'committed');
      const first = receipts[0];
      if (!listForm && first !== undefined) res.location(decisionPath(first.decisionId));
      res.status(replay ? 200 : 201).json(listForm || first === undefined ? { receipts } : { receipt: first });
    },
  );

  const idParams = validateParams(DecisionIdParams);
  api.route(
    {
      method: 'get',
      path: '/decisions/:decisionId',
      summary: 'Read a decision with its ledger anchor',
      description: 'Served from the block-derived index. The anchor (txId, block, transaction index, batch, position) lets anyone check the record against the block.',
      tags: ['decisions'],
      roles: READERS,
      params: idParams,
      responses: { 200: { description: 'The record and its anchor', schema: AnchoredDecision }, 404: problem('Not on the ledger, or not visible to your org') },
    },
    async ({ req, res, principal }) => {
      const { decisionId } = idParams.valueOf(req);
      const found = await reader.find(decisionId);
      if (found === undefined || !visible(principal, found.ownerMsp)) throw notFound(decisionId);
      res.json({ decision: found.decision, anchor: found.anchor, duplicateAnchors: found.duplicateAnchors });
    },
  );

  const search = validateQuery(DecisionSearchQuery);
  api.route(
    {
      method: 'get',
      path: '/decisions',
      summary: 'Search decisions',
      description: 'By model and version, ledger time window, subject reference or drift alert, in ledger order; your org’s decisions (a regulator sees every org’s).',
      tags: ['decisions'],
      roles: READERS,
      query: search,
      responses: { 200: { description: 'A page of decisions with anchors', schema: DecisionSearchPage } },
    },
    async ({ req, res, principal }) => {
      const q = search.valueOf(req);
      const afterSeq = decodeBookmark(q.bookmark);
      if (afterSeq === 'invalid') {
        throw new ProblemError({ status: 400, slug: 'invalid-argument', detail: 'bookmark: is not a bookmark from this API', errors: [{ field: 'bookmark', message: 'is not a bookmark from this API', in: 'query' }] });
      }
      const page = await index.searchDecisions({
        ownerMsp: scopeOf(principal),
        modelId: q.modelId,
        modelVersion: q.modelVersion,
        from: q.from === undefined ? undefined : new Date(q.from).toISOString(),
        to: q.to === undefined ? undefined : new Date(q.to).toISOString(),
        subjectRef: q.subjectRef,
        alertId: q.alertId,
        afterSeq,
        limit: q.pageSize ?? 50,
      });
      res.json({
        decisions: page.decisions.map((d) => ({ decision: recordOf(d), anchor: anchorOf(d), duplicateAnchors: [] })),
        bookmark: encodeBookmark(page.nextAfterSeq),
      });
    },
  );

  const statusParams = validateParams(DecisionIdParams);
  api.route(
    {
      method: 'get',
      path: '/decisions/:decisionId/status',
      summary: 'Status of a submitted decision',
      description: 'pending (in the outbox), committed (with its receipt) or failed (with the problem). Falls back to the index for decisions the outbox no longer keeps.',
      tags: ['decisions'],
      roles: READERS,
      params: statusParams,
      responses: { 200: { description: 'The decision’s state', schema: DecisionStatusBody }, 404: problem('Never submitted here and not on the ledger') },
    },
    async ({ req, res, principal }) => {
      const { decisionId } = statusParams.valueOf(req);
      const status = outbox.status(decisionId);
      if (status !== undefined && visible(principal, status.ownerMsp)) {
        const { ownerMsp: _owner, ...shown } = status;
        res.json(shown);
        return;
      }
      const found = status === undefined ? await reader.find(decisionId) : undefined;
      if (found === undefined || !visible(principal, found.ownerMsp)) throw notFound(decisionId);
      const { txId, blockNumber, batchId, position } = found.anchor;
      res.json({ decisionId, state: 'committed', batchId, position, txId, blockNumber });
    },
  );
}

/** The receipts of a submission, or a problem: the first refusal, or 503 when the commit takes longer than `waitMs`. */
async function settled(outcomes: Promise<Outcome[]>, waitMs: number, ids: string[]): Promise<DecisionReceipt[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), waitMs)));
  try {
    const result = await Promise.race([outcomes, timeout]);
    if (result === 'timeout') {
      throw new ProblemError({
        status: 503,
        slug: 'fabric-unavailable',
        detail: `The decisions are durable in the outbox but not committed within ${Math.round(waitMs / 1000)} s; they will be. Poll the status URLs.`,
        headers: { 'Retry-After': '5', Location: decisionStatusPath(ids[0] ?? '') },
        extensions: { statusUrls: ids.map(decisionStatusPath) },
      });
    }
    return result.map((outcome) => {
      if ('problem' in outcome) throw outcome.problem;
      return outcome.receipt;
    });
  } finally {
    clearTimeout(timer);
  }
}
