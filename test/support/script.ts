// Runs the network entry script the way a user does and captures what it prints.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');
export const netScript = resolve(repoRoot, 'network/aiaudit-net.sh');

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runNetScript(verb: string, env: NodeJS.ProcessEnv = {}): ScriptRun {
  const r = spawnSync('bash', [netScript, verb], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
