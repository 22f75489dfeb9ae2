// Drift alert routes: raise (idempotent; severity and any suspension decided by the chaincode), list, read, transition.
import { z } from 'zod';
import { AlertTransitionInput, DriftAlert, DriftAlertInput, DriftAlertQuery, Identifier } from '../domain.js';
import { API_BASE } from '../http/app.js';
import type { ApiRegistry } from '../http/openapi.js';
import { validateBody, validateParams, validateQuery } from '../http/validate.js';
import { DriftAlertPage, RaisedDriftAlert } from './result-schemas.js';
import { actorRefOf, arg, checked, problem, queryInt, READERS, sendWrite, signerOf, writeResponse, writtenBy, type LedgerRouteDeps } from './shared.js';

const AlertParams = z.strictObject({ alertId: Identifier });

const ListQuery = z.strictObject({
  modelId: DriftAlertQuery.shape.modelId,
  modelVersion: DriftAlertQuery.shape.modelVersion,
  state: DriftAlertQuery.shape.state,
  pageSize: queryInt(DriftAlertQuery.shape.pageSize.unwrap()).optional().describe('Alerts per page, 1-200 (default 50)'),
  bookmark: DriftAlertQuery.shape.bookmark.optional(),
});

const TransitionBody = AlertTransitionInput.pick({ to: true, note: true }).meta({
  id: 'AlertTransitionRequest',
  description: 'The new state and an optional note; the gateway records the acting principal',
});

export const alertPath = (alertId: string): string => `${API_BASE}/drift-alerts/${encodeURIComponent(alertId)}`;

export function registerDriftAlertRoutes(api: ApiRegistry, { ledger }: LedgerRouteDeps): void {
  const body = validateBody(DriftAlertInput);
  api.route(
    {
      method: 'post',
      path: '/drift-alerts',
      summary: 'Raise a drift alert',
      description:
        "The chaincode grades the value against the model version's drift policy (warning or critical; a value crossing neither is 422) and, for a critical alert under onCritical=suspend, suspends the version in the same transaction. Identical re-submission answers 200 with the stored alert; different content under the same alertId is 409.",
      tags: ['drift'],
      roles: ['recorder'],
      body,
      responses: {
        201: { description: 'Raised now; the Location header names the alert', schema: writeResponse(RaisedDriftAlert) },
        200: { description: 'Already raised with identical content', schema: writeResponse(RaisedDriftAlert) },
        404: problem('The model version is not registered'),
        409: problem('The alertId is taken by different content'),
        422: problem('The value crosses no threshold, or the model version is retired'),
      },
    },
    async ({ req, res, principal }) => {
      const receipt = await ledger.submit(signerOf(principal), 'drift', 'RaiseDriftAlert', [arg(body.valueOf(req))]);
      const raised = checked(RaisedDriftAlert, receipt.result, 'a raised drift alert');
      sendWrite(res, writtenBy(receipt, raised.alert.raisedAt) ? 201 : 200, raised, receipt, alertPath(raised.alert.alertId));
    },
  );

  const query = validateQuery(ListQuery);
  api.route(
    {
      method: 'get',
      path: '/drift-alerts',
      summary: 'List drift alerts of a model',
      description: 'Optionally of one version and in one state; paged with bookmark.',
      tags: ['drift'],
      roles: READERS,
      query,
      responses: { 200: { description: 'A page of alerts', schema: DriftAlertPage }, 404: problem('The model is not registered') },
    },
    async ({ req, res, principal }) => {
      const page = await ledger.evaluate(signerOf(principal), 'drift', 'ListDriftAlerts', [arg(query.valueOf(req))]);
      res.json(checked(DriftAlertPage, page, 'a page of drift alerts'));
    },
  );

  const params = validateParams(AlertParams);
  api.route(
    {
      method: 'get',
      path: '/drift-alerts/:alertId',
      summary: 'Read a drift alert',
      tags: ['drift'],
      roles: READERS,
      params,
      responses: { 200: { description: 'The alert with its transitions', schema: DriftAlert }, 404: problem('No such alert') },
    },
    async ({ req, res, principal }) => {
      const alert = await ledger.evaluate(signerOf(principal), 'drift', 'GetDriftAlert', [params.valueOf(req).alertId]);
      res.json(checked(DriftAlert, alert, 'a drift alert'));
    },
  );

  const transitionParams = validateParams(AlertParams);
  const transitionBody = validateBody(TransitionBody);
  api.route(
    {
      method: 'post',
      path: '/drift-alerts/:alertId/transitions',
      summary: 'Acknowledge, resolve or mark a drift alert as a false positive',
      description: 'open → acknowledged → resolved | false-positive (resolved and false-positive are final and close the alert on its model version).',
      tags: ['drift'],
      roles: ['officer'],
      params: transitionParams,
      body: transitionBody,
      responses: {
        200: { description: 'The alert after the transition', schema: writeResponse(DriftAlert) },
        404: problem('No such alert'),
        422: problem('The alert cannot move to that state from its current one'),
      },
    },
    async ({ req, res, principal }) => {
      const transition = { alertId: transitionParams.valueOf(req).alertId, ...transitionBody.valueOf(req), actorRef: actorRefOf(principal) };
      const receipt = await ledger.submit(signerOf(principal), 'drift', 'TransitionDriftAlert', [arg(transition)]);
      sendWrite(res, 200, checked(DriftAlert, receipt.result, 'a drift alert'), receipt);
    },
  );
}
