// A gateway with the decision pipeline as a child process, for crash tests: prints one JSON line {url, keys} when ready.
// AIAUDIT_TEST_CRASH_AFTER_COMMIT=1 makes it SIGKILL itself right after the first RecordDecisions commits, before the
// outbox learns the outcome (the worst moment to die). Run: node --import tsx test/support/gateway-process.ts
import { loadConfig } from '../../gateway/src/config.js';
import { createDecisionPipeline } from '../../gateway/src/decisions/pipeline.js';
import type { Ledger, SubmitReceipt } from '../../gateway/src/fabric/ledger.js';
import { loadConnectionProfile } from '../../gateway/src/fabric/profile.js';
import { networkBlockSource } from '../../gateway/src/index/block-source.js';
import { createLogger } from '../../gateway/src/logger.js';
import { createGateway, type GatewayModuleContext } from '../../gateway/src/server.js';
import { repoRoot } from './script.js';

const crashAfterCommit = process.env['AIAUDIT_TEST_CRASH_AFTER_COMMIT'] === '1';

async function decisionsModule(context: GatewayModuleContext) {
  const { config, ledger, logger, metrics, api } = context;
  const profile = loadConnectionProfile(config.connectionProfile);
  const dying: Ledger = {
    async submit<T = unknown>(...[who, contract, transaction, args, options]: Parameters<Ledger['submit']>): Promise<SubmitReceipt<T>> {
      const receipt = await ledger.submit<T>(who, contract, transaction, args, options);
      if (crashAfterCommit && transaction === 'RecordDecisions') {
        process.stderr.write(`crashing after commit of ${receipt.txId} in block ${receipt.blockNumber}\n`);
        process.kill(process.pid, 'SIGKILL');
      }
      return receipt;
    },
    evaluate: (who, contract, transaction, args, options) => ledger.evaluate(who, contract, transaction, args, options),
    close: () => ledger.close(),
  };
  const pipeline = createDecisionPipeline({
    config,
    ledger: dying,
    logger,
    metrics,
    chaincode: profile.chaincode,
    blocks: networkBlockSource(ledger.network({ mspId: 'OperatorOrgMSP', fabricUser: 'User1' })),
  });
  pipeline.registerRoutes(api);
  await pipeline.start();
  for (let i = 0; i < 600; i++) {
    const checks = await pipeline.readiness();
    if (Object.values(checks).every((c) => c.ok)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { name: 'decisions', routers: [pipeline.eventsRouter], readiness: () => pipeline.readiness(), close: () => pipeline.stop() };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, { repoRoot });
  const logger = createLogger(config.logLevel);
  const gateway = await createGateway(config, { logger, modules: [decisionsModule] });
  const server = gateway.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const keys = Object.fromEntries(gateway.issuedKeys.map((k) => [`${k.org}/${k.role}`, k.key]));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, keys })}\n`);
  process.on('SIGTERM', () => {
    server.close();
    void gateway.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway process failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
