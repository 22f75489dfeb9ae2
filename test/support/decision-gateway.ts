// The gateway with the decision pipeline, in-process, over the real network: a data folder that survives a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { decisionPipelineModule } from '../../gateway/src/decisions/index.js';
import type { GatewayModuleFactory } from '../../gateway/src/server.js';
import { listenTestGateway, type TestGateway } from './gateway.js';

export interface DecisionGateway extends TestGateway {
  dataDir: string;
}

/** A new data folder for a gateway (index, outbox, API keys); reuse it to restart "the same" gateway. */
export const newDataDir = (): string => mkdtempSync(join(tmpdir(), 'aiaudit-decisions-'));

/**
 * Starts createGateway with the decision pipeline on 127.0.0.1:0. The API keys file is new for each
 * start (keys are printed only when created), so a restart gets new keys over the same data.
 * `close` stops listening, drains the pipeline, closes Fabric connections and deletes the keys; the data folder stays.
 */
export async function startDecisionGateway(
  dataDir: string,
  env: Record<string, string> = {},
  modules: GatewayModuleFactory[] = [decisionPipelineModule()],
): Promise<DecisionGateway> {
  const keysDir = mkdtempSync(join(tmpdir(), 'aiaudit-keys-'));
  const listening = await listenTestGateway({ AIAUDIT_API_KEYS_FILE: join(keysDir, 'api-keys.json'), AIAUDIT_DATA_DIR: dataDir, ...env }, modules);
  // Ready once the index has caught up with the chain as it was at start (a fresh index replays from block 0).
  const agent = request(listening.baseUrl);
  await eventually(async () => ((await agent.get('/readyz')).status === 200 ? true : undefined), 240_000, 250);
  return {
    ...listening,
    dataDir,
    close: async () => {
      await listening.close();
      rmSync(keysDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value, or throws after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
