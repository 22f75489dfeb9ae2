// The export module for createGateway: its service (jobs, bundles) on the gateway's ledger and index, and its routes.
import type { GatewayModuleFactory } from '../server.js';
import { loadConnectionProfile } from '../fabric/profile.js';
import { openIndexStore } from '../index/open-store.js';
import { ExportService } from './export-service.js';
import { qsccBlocks } from './ledger-blocks.js';
import { registerExportRoutes } from './routes.js';
import type { IndexReader } from './selection.js';

export interface ExportModuleOptions {
  /** The decision index to select from; by default a read connection to the SQLite index the configuration names. */
  index?: IndexReader;
  /** How long a job waits for the index to reach the channel height (default 30 s). */
  indexWaitMs?: number;
}

/** `createGateway(config, { modules: [..., exportModule()] })`: POST/GET /exports and the export jobs. */
export function exportModule(options: ExportModuleOptions = {}): GatewayModuleFactory {
  return ({ config, ledger, logger, api }) => {
    const profile = loadConnectionProfile(config.connectionProfile);
    const own = options.index === undefined ? openIndexStore(config.indexDatabase) : undefined;
    const service = new ExportService({
      dataDir: config.dataDir,
      channel: profile.channel,
      chaincode: profile.chaincode,
      blocksFor: (signer) => qsccBlocks(ledger.network(signer)),
      index: options.index ?? own,
      ledger,
      logger,
      ...(options.indexWaitMs === undefined ? {} : { indexWaitMs: options.indexWaitMs }),
      retentionMs: config.exportRetentionDays * 86_400_000,
    });
    registerExportRoutes(api, { exports: service });
    service.start();
    return {
      name: 'exports',
      close: async () => {
        await service.close();
        await own?.close();
      },
    };
  };
}
