// GET /history/{kind}/{id}: every committed version of a record, with the transaction that wrote it.
import { z } from 'zod';
import { HistoryEntry, HistoryKind } from '../domain.js';
import type { ApiRegistry } from '../http/openapi.js';
import { validateParams } from '../http/validate.js';
import { HistoryAnswer } from './result-schemas.js';
import { checked, problem, READERS, signerOf, type LedgerRouteDeps } from './shared.js';

const HistoryParams = z.strictObject({
  kind: HistoryKind,
  id: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(2048, { error: 'must be at most 2048 characters' })
    .describe(
      'Parts joined by @ (URL-encoded): dataset and model modelId@version, policy modelId@version, batch batchId, alert alertId, oversight batchId@decisionId@oversightId, grant mspId@identityId, purge batchId@decisionId@txId',
    ),
});

export function registerHistoryRoutes(api: ApiRegistry, { ledger }: LedgerRouteDeps): void {
  const params = validateParams(HistoryParams);
  api.route(
    {
      method: 'get',
      path: '/history/:kind/:id',
      summary: 'Every committed version of a record',
      description: 'From the key history of the peer: each write with its txId and ledger time, oldest first.',
      tags: ['history'],
      roles: READERS,
      params,
      responses: { 200: { description: 'The history', schema: HistoryAnswer }, 404: problem('No such record on the ledger') },
    },
    async ({ req, res, principal }) => {
      const { kind, id } = params.valueOf(req);
      const entries = await ledger.evaluate(signerOf(principal), 'history', 'GetHistory', [kind, id]);
      res.json({ kind, id, entries: checked(z.array(HistoryEntry), entries, 'a record history') });
    },
  );
}
