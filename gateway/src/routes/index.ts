// Registers every ledger route (lineage, drift, oversight and purge, history, whoami) on the API registry.
import type { ApiRegistry } from '../http/openapi.js';
import { registerDatasetRoutes } from './datasets.js';
import { registerDecisionReviewRoutes } from './decision-reviews.js';
import { registerDriftAlertRoutes } from './drift-alerts.js';
import { registerDriftPolicyRoutes } from './drift-policy.js';
import { registerHistoryRoutes } from './history.js';
import { registerModelRoutes } from './models.js';
import type { LedgerRouteDeps } from './shared.js';
import { registerWhoAmIRoutes } from './whoami.js';

export type { DecisionLocator, LedgerRouteDeps } from './shared.js';

export function registerLedgerRoutes(api: ApiRegistry, deps: LedgerRouteDeps): ApiRegistry {
  registerDatasetRoutes(api, deps);
  registerModelRoutes(api, deps);
  registerDriftPolicyRoutes(api, deps);
  registerDriftAlertRoutes(api, deps);
  registerDecisionReviewRoutes(api, deps);
  registerHistoryRoutes(api, deps);
  registerWhoAmIRoutes(api, deps);
  return api;
}
