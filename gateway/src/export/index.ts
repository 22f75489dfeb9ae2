// Regulator evidence exports: the job service, its routes and the gateway module that wires both.
export { ExportService, FABRIC_VERSION, archiveNameOf, type ExportServiceOptions } from './export-service.js';
export type { ExportJob, ExportRequester, ExportState } from './export-store.js';
export { qsccBlocks, type ChaincodeDefinition, type LedgerBlocks } from './ledger-blocks.js';
export { exportModule, type ExportModuleOptions } from './module.js';
export { ExportAccepted, ExportRequest, ExportStatus, registerExportRoutes, type ExportRouteDeps } from './routes.js';
export type { IndexReader } from './selection.js';
