// Readiness of the Fabric side: every org peer accepts a connection and the chaincode answers an evaluate there, in time.
import type { ReadinessCheck } from '../http/app.js';
import { identityPairs, type IdentityMap } from '../http/principal.js';
import type { FabricLedger } from './ledger-client.js';

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const reason = (err: unknown): string => (err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err)).slice(0, 200);

/**
 * One check per org of the connection profile: `peer:<msp>` (gRPC connection) and
 * `chaincode:<msp>` (access:WhoAmI evaluated on that org's peer as one of its mapped users).
 */
export function fabricReadiness(ledger: FabricLedger, identities: IdentityMap, timeoutMs = 3_000): () => Promise<Record<string, ReadinessCheck>> {
  return async () => {
    const checks: Record<string, ReadinessCheck> = {};
    await Promise.all(
      ledger.orgMspIds.map(async (mspId) => {
        try {
          await within(ledger.peerReachable(mspId, timeoutMs), timeoutMs + 100, 'peer');
          checks[`peer:${mspId}`] = { ok: true };
        } catch (err) {
          checks[`peer:${mspId}`] = { ok: false, detail: reason(err) };
          return;
        }
        const user = identityPairs(identities).find((pair) => pair.org === mspId);
        if (user === undefined) {
          checks[`chaincode:${mspId}`] = { ok: true, detail: 'no mapped user of this org: not probed' };
          return;
        }
        try {
          await within(ledger.evaluate({ mspId, fabricUser: user.fabricUser }, 'access', 'WhoAmI', []), timeoutMs, 'chaincode');
          checks[`chaincode:${mspId}`] = { ok: true };
        } catch (err) {
          checks[`chaincode:${mspId}`] = { ok: false, detail: reason(err) };
        }
      }),
    );
    return checks;
  };
}
