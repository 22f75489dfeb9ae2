// Spawns test/support/gateway-process.ts, waits for its ready line, and can SIGKILL it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { profilePath } from './network.js';
import { repoRoot } from './script.js';

export interface ChildGateway {
  url: string;
  /** API key of `org/role`, e.g. OperatorOrgMSP/recorder. */
  key(orgRole: string): string;
  process: ChildProcess;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<NodeJS.Signals | null>;
  /** Resolves with the signal that ended the process (e.g. its own SIGKILL). */
  exited: Promise<NodeJS.Signals | null>;
  stderr(): string;
}

/** `nodeArgs` go before the script (e.g. --cpu-prof for a profile of the gateway under load). */
export async function spawnGateway(dataDir: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<ChildGateway> {
  // The flag scripts/gateway.sh starts the gateway with (a 64 MB young generation).
  // The child's API keys, in a folder of their own that goes when the process exits.
  const keysDir = mkdtempSync(join(tmpdir(), 'aiaudit-keys-'));
  const child = spawn(process.execPath, ['--max-semi-space-size=64', ...nodeArgs, '--import', 'tsx', resolve(repoRoot, 'test/support/gateway-process.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      AIAUDIT_CONNECTION_PROFILE: profilePath(),
      AIAUDIT_DATA_DIR: dataDir,
      AIAUDIT_API_KEYS_FILE: join(keysDir, 'api-keys.json'),
      AIAUDIT_RATE_LIMIT_PER_MINUTE: '0',
      AIAUDIT_LOG_LEVEL: process.env['AIAUDIT_TEST_LOG_LEVEL'] ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<NodeJS.Signals | null>((resolveExit) =>
    child.once('exit', (_code, signal) => {
      rmSync(keysDir, { recursive: true, force: true });
      resolveExit(signal);
    }),
  );
  const ready = await new Promise<{ url: string; keys: Record<string, string> }>((resolveReady, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`gateway process not ready in time:\n${stderr.slice(-2000)}`)), 240_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) {
        clearTimeout(timer);
        resolveReady(JSON.parse(line));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`gateway process exited before it was ready:\n${stderr.slice(-2000)}`));
    });
  });
  return {
    url: ready.url,
    key: (orgRole) => {
      const key = ready.keys[orgRole];
      if (key === undefined) throw new Error(`no key for ${orgRole}`);
      return key;
    },
    process: child,
    exited,
    stderr: () => stderr,
    kill: async () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}
