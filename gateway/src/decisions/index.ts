// The decision pipeline's public surface: the factory main calls, the route registration, the index's block sources.
export { createDecisionPipeline, type DecisionPipeline, type DecisionPipelineOptions } from './pipeline.js';
export { registerDecisionRoutes, decisionPath, decisionStatusPath, type DecisionRouteDeps } from './routes.js';
export type { FoundDecision, Anchor } from './lookup.js';
export { networkBlockSource, peerBlockSource, type BlockSource } from '../index/block-source.js';
export { decisionPipelineModule, type DecisionModuleOptions } from './module.js';
