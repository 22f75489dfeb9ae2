// Instructions and cycles of each process over a measured window, from Linux perf counters (`perf stat -p`),
// when BENCH_PERF_COUNTERS=1. On this shared machine the time a fixed piece of work takes moves by up to 2×
// within the hour; instructions per decision move far less, so they compare code across runs.
// Off by default: in this VM, counting slows what it counts. Alternated runs of the goal scenario
// (15:38–15:40) gave 3,057 and 2,472 decisions/s without counters and 2,103 and 2,082 with them,
// the peers at 84–126 against 175–217 CPU ms per 1,000 decisions (counters follow each context switch).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Figure } from './results.js';

export interface Counts {
  instructions: number;
  cycles: number;
}

export interface CounterRun {
  /** Ends counting; each process's counts (a process whose counters could not be read is left out). */
  stop(): Promise<Record<string, Counts>>;
}

let available: boolean | undefined;

/**
 * Whether counters were asked for (BENCH_PERF_COUNTERS=1) and `perf stat` can count instructions here
 * (it cannot in some VMs, or without the linux-perf package).
 */
export function perfAvailable(): boolean {
  if (process.env['BENCH_PERF_COUNTERS'] !== '1') return false;
  if (available === undefined) {
    const probe = spawnSync('perf', ['stat', '-x', ',', '-e', 'instructions', 'true'], { encoding: 'utf8' });
    available = probe.status === 0 && /^\d+,/m.test(probe.stderr);
  }
  return available;
}

/** `perf stat -x,` lines: value,unit,event,… ('<not counted>' or '<not supported>' when it could not count). */
function parseCounts(text: string): Counts | undefined {
  const value = (event: string): number | undefined => {
    const line = text.split('\n').find((l) => l.split(',')[2]?.startsWith(event));
    const n = Number(line?.split(',')[0]);
    return line === undefined || !Number.isFinite(n) ? undefined : n;
  };
  const instructions = value('instructions');
  const cycles = value('cycles');
  return instructions === undefined || cycles === undefined ? undefined : { instructions, cycles };
}

/** Starts counting for each named process (name → pid); undefined when counters are off or perf cannot count here. */
export function startCounters(pids: Record<string, number>): CounterRun | undefined {
  if (!perfAvailable()) return undefined;
  const runs: [string, ChildProcess, Promise<string>][] = Object.entries(pids).map(([name, pid]) => {
    const child = spawn('perf', ['stat', '-x', ',', '-e', 'instructions,cycles', '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    return [name, child, new Promise<string>((resolve) => child.on('close', () => resolve(stderr)))];
  });
  return {
    async stop() {
      const counts: Record<string, Counts> = {};
      for (const [, child] of runs) child.kill('SIGINT');
      for (const [name, , done] of runs) {
        const parsed = parseCounts(await done);
        if (parsed !== undefined) counts[name] = parsed;
      }
      return counts;
    },
  };
}

/**
 * Two figures from one window's counts: thousands of instructions per unit of work (every process,
 * each one in the detail) and the instructions per cycle of all of them together.
 */
export function counterFigures(prefix: string, counts: Record<string, Counts>, units: number, unit: string): Figure[] {
  const names = Object.keys(counts);
  if (names.length === 0 || units <= 0) return [];
  const sum = (key: keyof Counts): number => names.reduce((total, name) => total + (counts[name]?.[key] ?? 0), 0);
  const perUnit = Object.fromEntries(names.map((name) => [name, Math.round((counts[name]?.instructions ?? 0) / units / 1000)]));
  return [
    { name: `${prefix}: k instructions per ${unit}, all processes`, value: sum('instructions') / units / 1000, unit: 'k', detail: perUnit },
    { name: `${prefix}: instructions per cycle, all processes`, value: sum('instructions') / sum('cycles'), unit: 'IPC' },
  ];
}
