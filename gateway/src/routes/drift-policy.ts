// The drift policy of a model version: thresholds per metric and what a critical alert does (flag or suspend).
import { z } from 'zod';
import { DriftPolicy, DriftPolicyInput } from '../domain.js';
import type { ApiRegistry } from '../http/openapi.js';
import { validateBody, validateParams } from '../http/validate.js';
import { arg, assembled, checked, problem, READERS, sendWrite, signerOf, VersionParams, writeResponse, type LedgerRouteDeps } from './shared.js';

/** The body of PUT: the policy without the version it belongs to (the path names it); the chaincode's rules still apply in full. */
const DriftPolicyBody = z
  .strictObject({ thresholds: DriftPolicyInput.shape.thresholds, onCritical: DriftPolicyInput.shape.onCritical })
  .meta({ id: 'DriftPolicyRequest', description: 'Per-metric thresholds (omitted metrics use the defaults) and the action on a critical alert' });

export function registerDriftPolicyRoutes(api: ApiRegistry, { ledger }: LedgerRouteDeps): void {
  const params = validateParams(VersionParams);
  const body = validateBody(DriftPolicyBody);
  api.route(
    {
      method: 'put',
      path: '/models/:modelId/versions/:version/drift-policy',
      summary: 'Set the drift policy of a model version',
      description:
        'Replaces the policy; setting the policy in force again writes nothing. Alerts raised later are graded with it; under onCritical=suspend a critical alert suspends the version in the same transaction.',
      tags: ['drift'],
      roles: ['admin'],
      params,
      body,
      responses: {
        200: { description: 'The policy in force', schema: writeResponse(DriftPolicy) },
        404: problem('The model version is not registered'),
      },
    },
    async ({ req, res, principal }) => {
      const policy = assembled(DriftPolicyInput, { ...params.valueOf(req), ...body.valueOf(req) });
      const receipt = await ledger.submit(signerOf(principal), 'drift', 'SetDriftPolicy', [arg(policy)]);
      sendWrite(res, 200, checked(DriftPolicy, receipt.result, 'a drift policy'), receipt);
    },
  );

  const readParams = validateParams(VersionParams);
  api.route(
    {
      method: 'get',
      path: '/models/:modelId/versions/:version/drift-policy',
      summary: 'Read the drift policy in force',
      description: 'source is default when no policy was set (DESIGN defaults, onCritical=flag).',
      tags: ['drift'],
      roles: READERS,
      params: readParams,
      responses: { 200: { description: 'The policy in force', schema: DriftPolicy }, 404: problem('The model version is not registered') },
    },
    async ({ req, res, principal }) => {
      const { modelId, version } = readParams.valueOf(req);
      res.json(checked(DriftPolicy, await ledger.evaluate(signerOf(principal), 'drift', 'GetDriftPolicy', [modelId, version]), 'a drift policy'));
    },
  );
}
