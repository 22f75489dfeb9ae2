// How fast the block-derived index catches up: `npm run reindex` (every block from 0, as a gateway on a fresh
// data folder or after its index was deleted) into a throw-away SQLite index, timed spawn to exit.
// The figure depends on the chain: a long-lived dev network holds far more blocks than a fresh one.
// Alone: node --import tsx test/bench/index-catch-up.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profilePath } from '../support/network.js';
import { repoRoot } from '../support/script.js';
import { printFigure, recordRun, type Figure } from './results.js';

const SUMMARY = /^reindexed (\d+) blocks .*: (\d+) batches, (\d+) decisions, (\d+) events in ([\d.]+) s$/m;

export async function indexCatchUp(): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aiaudit-bench-index-'));
  try {
    // SQLite in the throw-away folder, whatever index database this environment names.
    const { AIAUDIT_INDEX_DATABASE_URL: _configured, ...env } = process.env;
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'gateway/src/index/cli.ts', 'reindex'], {
      cwd: repoRoot,
      env: { ...env, AIAUDIT_DATA_DIR: dataDir, AIAUDIT_CONNECTION_PROFILE: profilePath() },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const seconds = (performance.now() - started) / 1000;
    const summary = SUMMARY.exec(run.stdout);
    if (run.status !== 0 || summary === null) throw new Error(`reindex failed (${run.status}):\n${run.stdout.slice(-2000)}`);
    const [blocks = 0, batches = 0, decisions = 0] = summary.slice(1, 4).map(Number);
    const detail = { blocks, batches, decisions, seconds: Number(seconds.toFixed(1)) };
    const figures: Figure[] = [
      { name: 'index catch-up from block 0 (reindex, SQLite): decisions/s', value: decisions / seconds, unit: 'decisions/s', detail },
      { name: 'index catch-up from block 0 (reindex, SQLite): blocks/s', value: blocks / seconds, unit: 'blocks/s' },
    ];
    figures.forEach(printFigure);
    return figures;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  indexCatchUp().then(
    (figures) => recordRun('index', figures),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
