// Dataset version routes: register (idempotent), read, and lineage from a dataset version.
import { z } from 'zod';
import { DatasetVersion, DatasetVersionInput, Identifier, LineageQuery } from '../domain.js';
import { API_BASE } from '../http/app.js';
import type { ApiRegistry } from '../http/openapi.js';
import { validateBody, validateParams, validateQuery } from '../http/validate.js';
import { LineageGraph } from './result-schemas.js';
import { arg, checked, problem, queryInt, READERS, sendWrite, signerOf, writeResponse, writtenBy, type LedgerRouteDeps } from './shared.js';

const DatasetParams = z.strictObject({ datasetId: Identifier, version: Identifier });

export const LineageQueryParams = z.strictObject({
  direction: LineageQuery.shape.direction.optional().describe('up: ancestors (default); down: descendants'),
  depth: queryInt(LineageQuery.shape.depth.unwrap()).optional().describe('Hops to follow, 1-10 (default 3)'),
});

export const datasetPath = (datasetId: string, version: string): string =>
  `${API_BASE}/datasets/${encodeURIComponent(datasetId)}/versions/${encodeURIComponent(version)}`;

export function registerDatasetRoutes(api: ApiRegistry, { ledger }: LedgerRouteDeps): void {
  const body = validateBody(DatasetVersionInput);
  api.route(
    {
      method: 'post',
      path: '/datasets',
      summary: 'Register a dataset version',
      description:
        'Content is immutable: re-sending identical content answers 200 with the stored record (the receipt then names a transaction that wrote nothing); different content under the same id and version is 409. Parents must be registered.',
      tags: ['lineage'],
      roles: ['recorder'],
      body,
      responses: {
        201: { description: 'Registered now; the Location header names the version', schema: writeResponse(DatasetVersion) },
        200: { description: 'Already registered with identical content', schema: writeResponse(DatasetVersion) },
        404: problem('A parent dataset version is not registered'),
        409: problem('The id and version are registered with different content'),
      },
    },
    async ({ req, res, principal }) => {
      const input = body.valueOf(req);
      const receipt = await ledger.submit(signerOf(principal), 'lineage', 'RegisterDatasetVersion', [arg(input)]);
      const record = checked(DatasetVersion, receipt.result, 'a dataset version');
      const created = writtenBy(receipt, record.registeredAt);
      sendWrite(res, created ? 201 : 200, record, receipt, datasetPath(record.datasetId, record.version));
    },
  );

  const params = validateParams(DatasetParams);
  api.route(
    {
      method: 'get',
      path: '/datasets/:datasetId/versions/:version',
      summary: 'Read a dataset version',
      tags: ['lineage'],
      roles: READERS,
      params,
      responses: { 200: { description: 'The dataset version', schema: DatasetVersion }, 404: problem('Not registered') },
    },
    async ({ req, res, principal }) => {
      const { datasetId, version } = params.valueOf(req);
      res.json(checked(DatasetVersion, await ledger.evaluate(signerOf(principal), 'lineage', 'GetDatasetVersion', [datasetId, version]), 'a dataset version'));
    },
  );

  const lineageParams = validateParams(DatasetParams);
  const lineageQuery = validateQuery(LineageQueryParams);
  api.route(
    {
      method: 'get',
      path: '/datasets/:datasetId/versions/:version/lineage',
      summary: 'Lineage of a dataset version',
      description: 'down lists what was derived from it (datasets and the models trained, validated or tested on it).',
      tags: ['lineage'],
      roles: READERS,
      params: lineageParams,
      query: lineageQuery,
      responses: { 200: { description: 'The lineage graph', schema: LineageGraph }, 404: problem('Not registered') },
    },
    async ({ req, res, principal }) => {
      const { datasetId, version } = lineageParams.valueOf(req);
      const query = { kind: 'dataset', id: datasetId, version, ...lineageQuery.valueOf(req) };
      res.json(checked(LineageGraph, await ledger.evaluate(signerOf(principal), 'lineage', 'GetLineage', [arg(query)]), 'a lineage graph'));
    },
  );
}
