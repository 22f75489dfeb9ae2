// CPU seconds used by each process of the local network, read from /proc: where a benchmark's work goes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/script.js';

const PROCESSES = ['orderer', 'peer-operator', 'peer-regulator', 'chaincode-operator', 'chaincode-regulator'] as const;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export type CpuSample = Record<string, number>;

/** CPU seconds (user + system) so far of one process. */
function processCpu(pid: number | string): number {
  // Fields after the ')' that closes the command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Each network process's pid, from the pid files the network script writes. */
export function networkPids(): Record<string, number> {
  return Object.fromEntries(PROCESSES.map((name) => [name, Number(readFileSync(join(repoRoot, '.data', 'network', 'pids', `${name}.pid`), 'utf8').trim())]));
}

/** CPU seconds so far of each network process, of `extra` (name → pid, e.g. the gateway) and of this process as 'client'. */
export function sampleCpu(extra: Record<string, number> = {}): CpuSample {
  const sample: CpuSample = {};
  for (const [name, pid] of Object.entries({ ...networkPids(), ...extra })) sample[name] = processCpu(pid);
  const self = process.cpuUsage();
  sample['client'] = (self.user + self.system) / 1e6;
  return sample;
}

/** CPU milliseconds per unit of work (a transaction, a request) for each process between two samples. */
export function cpuPerUnit(before: CpuSample, after: CpuSample, units: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, Math.round((((after[name] ?? 0) - (before[name] ?? 0)) / units) * 1000)]));
}
