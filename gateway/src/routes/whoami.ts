// GET /whoami: the caller as the gateway authenticated it, and its Fabric identity as the chaincode sees it.
import type { ApiRegistry } from '../http/openapi.js';
import { LedgerIdentity, WhoAmIAnswer } from './result-schemas.js';
import { checked, READERS, signerOf, type LedgerRouteDeps } from './shared.js';

export function registerWhoAmIRoutes(api: ApiRegistry, { ledger }: LedgerRouteDeps): void {
  api.route(
    {
      method: 'get',
      path: '/whoami',
      summary: 'Who am I',
      description: 'The roles the chaincode enforces come from the certificate (OU=admin, CA attribute) and from on-ledger grants.',
      tags: ['access'],
      roles: READERS,
      responses: { 200: { description: 'The caller', schema: WhoAmIAnswer } },
    },
    async ({ res, principal }) => {
      const ledgerIdentity = checked(LedgerIdentity, await ledger.evaluate(signerOf(principal), 'access', 'WhoAmI', []), 'an identity');
      const { id, org, role, fabricUser } = principal;
      res.json({ principal: { id, org, role, fabricUser }, ledger: ledgerIdentity });
    },
  );
}
