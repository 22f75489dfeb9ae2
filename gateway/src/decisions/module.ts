// The decision pipeline as a gateway module: main lists it in MODULES and createGateway wires routes, SSE, readiness, close.
import { loadConnectionProfile } from '../fabric/profile.js';
import { identityPairs } from '../http/principal.js';
import type { GatewayModule, GatewayModuleContext } from '../server.js';
import { networkBlockSource } from '../index/block-source.js';
import { createDecisionPipeline, type DecisionPipelineOptions } from './pipeline.js';

export type DecisionModuleOptions = Pick<DecisionPipelineOptions, 'outboxDurability' | 'commitWaitMs' | 'drainMs'>;

/**
 * Builds and starts the pipeline: the index follows the blocks of the first org's peer as one of
 * that org's users (any channel member may read blocks), then the outbox replays what it holds.
 */
export function decisionPipelineModule(options: DecisionModuleOptions = {}) {
  return async (context: GatewayModuleContext): Promise<GatewayModule> => {
    const { config, ledger, identities, logger, metrics, api } = context;
    const profile = loadConnectionProfile(config.connectionProfile);
    const [firstOrg] = ledger.orgMspIds;
    const reader = identityPairs(identities).find((pair) => pair.org === firstOrg);
    if (firstOrg === undefined || reader === undefined) throw new Error('the decision index needs a user of the connection profile’s first org in the identity map');
    const pipeline = createDecisionPipeline({
      ...options,
      config,
      ledger,
      logger,
      metrics,
      chaincode: profile.chaincode,
      blocks: networkBlockSource(ledger.network({ mspId: reader.org, fabricUser: reader.fabricUser })),
    });
    pipeline.registerRoutes(api);
    await pipeline.start();
    return {
      name: 'decisions',
      routers: [pipeline.eventsRouter],
      findDecision: (decisionId) => pipeline.findDecision(decisionId),
      readiness: () => pipeline.readiness(),
      close: () => pipeline.stop(),
    };
  };
}
