// Benchmark figures: one printed line per figure and one JSON line per run in test/bench/results.ndjson.
import { execSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';

export const resultsFile = resolve(__dirname, 'results.ndjson');

export interface Figure {
  name: string;
  value: number;
  unit: string;
  detail?: Record<string, number | string>;
}

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function printFigure(f: Figure): void {
  const extra = f.detail ? `  (${Object.entries(f.detail).map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
  console.log(`${f.name.padEnd(48)} ${f.value.toFixed(f.value >= 100 ? 0 : 2).padStart(10)} ${f.unit}${extra}`);
}

export function recordRun(suite: string, figures: Figure[]): void {
  const line = {
    suite,
    at: new Date().toISOString(),
    commit: gitCommit(),
    command: 'npm run bench',
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    figures,
  };
  appendFileSync(resultsFile, `${JSON.stringify(line)}\n`);
}

/** Percentile of a sorted array of numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
