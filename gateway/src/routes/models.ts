// Model version routes: register (idempotent), read, lineage, and status changes (approve, deploy, suspend, retire).
import { ModelStatusChangeInput, ModelVersion, ModelVersionInput } from '../domain.js';
import { API_BASE } from '../http/app.js';
import type { ApiRegistry } from '../http/openapi.js';
import { validateBody, validateParams, validateQuery } from '../http/validate.js';
import { LineageQueryParams } from './datasets.js';
import { LineageGraph } from './result-schemas.js';
import { actorRefOf, arg, checked, problem, READERS, sendWrite, signerOf, VersionParams, writeResponse, writtenBy, type LedgerRouteDeps } from './shared.js';

export const modelPath = (modelId: string, version: string): string =>
  `${API_BASE}/models/${encodeURIComponent(modelId)}/versions/${encodeURIComponent(version)}`;

const StatusChangeBody = ModelStatusChangeInput.pick({ status: true, reason: true }).meta({
  id: 'ModelStatusChangeRequest',
  description: 'The new status and why; the gateway records the acting principal',
});

export function registerModelRoutes(api: ApiRegistry, { ledger }: LedgerRouteDeps): void {
  const body = validateBody(ModelVersionInput);
  api.route(
    {
      method: 'post',
      path: '/models',
      summary: 'Register a model version',
      description:
        'Only the org that registered the model id first registers further versions. Parents and datasets must be registered. Content is immutable: identical content answers 200 with the stored record; different content under the same id and version is 409.',
      tags: ['lineage'],
      roles: ['recorder'],
      body,
      responses: {
        201: { description: 'Registered now (status registered); the Location header names the version', schema: writeResponse(ModelVersion) },
        200: { description: 'Already registered with identical content', schema: writeResponse(ModelVersion) },
        404: problem('A parent model version or a dataset version is not registered'),
        409: problem('The id and version are registered with different content'),
      },
    },
    async ({ req, res, principal }) => {
      const receipt = await ledger.submit(signerOf(principal), 'lineage', 'RegisterModelVersion', [arg(body.valueOf(req))]);
      const record = checked(ModelVersion, receipt.result, 'a model version');
      sendWrite(res, writtenBy(receipt, record.registeredAt) ? 201 : 200, record, receipt, modelPath(record.modelId, record.version));
    },
  );

  const params = validateParams(VersionParams);
  api.route(
    {
      method: 'get',
      path: '/models/:modelId/versions/:version',
      summary: 'Read a model version',
      tags: ['lineage'],
      roles: READERS,
      params,
      responses: { 200: { description: 'The model version with its status history and open drift alerts', schema: ModelVersion }, 404: problem('Not registered') },
    },
    async ({ req, res, principal }) => {
      const { modelId, version } = params.valueOf(req);
      res.json(checked(ModelVersion, await ledger.evaluate(signerOf(principal), 'lineage', 'GetModelVersion', [modelId, version]), 'a model version'));
    },
  );

  const lineageParams = validateParams(VersionParams);
  const lineageQuery = validateQuery(LineageQueryParams);
  api.route(
    {
      method: 'get',
      path: '/models/:modelId/versions/:version/lineage',
      summary: 'Lineage of a model version',
      description: 'up: parent models and datasets, recursively; down: the versions derived from it.',
      tags: ['lineage'],
      roles: READERS,
      params: lineageParams,
      query: lineageQuery,
      responses: { 200: { description: 'The lineage graph', schema: LineageGraph }, 404: problem('Not registered') },
    },
    async ({ req, res, principal }) => {
      const { modelId, version } = lineageParams.valueOf(req);
      const query = { kind: 'model', id: modelId, version, ...lineageQuery.valueOf(req) };
      res.json(checked(LineageGraph, await ledger.evaluate(signerOf(principal), 'lineage', 'GetLineage', [arg(query)]), 'a lineage graph'));
    },
  );

  const statusParams = validateParams(VersionParams);
  const statusBody = validateBody(StatusChangeBody);
  api.route(
    {
      method: 'post',
      path: '/models/:modelId/versions/:version/status',
      summary: 'Change the status of a model version',
      description:
        'registered → approved → deployed; any live status → suspended; suspended → deployed (if approved before and no critical alert is open); any → retired (final). A refused change is 422.',
      tags: ['lineage'],
      roles: ['officer'],
      params: statusParams,
      body: statusBody,
      responses: {
        200: { description: 'The model version after the change', schema: writeResponse(ModelVersion) },
        404: problem('Not registered'),
        422: problem('The lifecycle does not allow this change now'),
      },
    },
    async ({ req, res, principal }) => {
      const change = { ...statusParams.valueOf(req), ...statusBody.valueOf(req), actorRef: actorRefOf(principal) };
      const receipt = await ledger.submit(signerOf(principal), 'lineage', 'ChangeModelStatus', [arg(change)]);
      sendWrite(res, 200, checked(ModelVersion, receipt.result, 'a model version'), receipt);
    },
  );
}
