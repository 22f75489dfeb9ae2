// Committed decisions per second straight through fabric-gateway (no REST gateway), for batch sizes 1, 50, 500.
import type { Contract } from '@hyperledger/fabric-gateway';
import { TRANSIENT_BATCH_KEY } from '../../chaincode/src/domain/decision.js';
import { TestNetwork } from '../support/network.js';
import { evaluateJson, grantRole, runTag, submitJson } from '../support/ledger.js';
import { decisions, lineageFixture } from '../support/records.js';
import { counterFigures, startCounters } from './perf-counters.js';
import { cpuPerUnit, networkPids, sampleCpu } from './process-cpu.js';
import { percentile, printFigure, type Figure } from './results.js';

interface Scenario {
  batchSize: number;
  inFlight: number;
  transactions: number;
}

const scenarios: Scenario[] = [
  { batchSize: 1, inFlight: 64, transactions: 640 },
  { batchSize: 50, inFlight: 16, transactions: 96 },
  { batchSize: 500, inFlight: 32, transactions: 96 },
];

async function runScenario(contract: Contract, modelId: string, s: Scenario): Promise<Figure[]> {
  // The payloads are made before the clock starts: the load generator's JSON is not the system's work.
  const payloads = Array.from({ length: s.transactions }, (_, n) =>
    JSON.stringify({ batchId: `bench-${s.batchSize}-${runTag}-${n}`, decisions: decisions(modelId, s.batchSize, `bench-${s.batchSize}-${n}`) }),
  );
  let next = 0;
  const latencies: number[] = [];
  let failed = 0;
  const cpuBefore = sampleCpu();
  const counters = startCounters({ ...networkPids(), client: process.pid });
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < s.transactions) {
      const payload = payloads[next++] ?? '';
      const t0 = performance.now();
      try {
        // As the REST gateway submits: the batch in the transient map, so the ordered transaction carries it once (as the write).
        const submitted = await contract.submitAsync('RecordDecisions', { arguments: [''], transientData: { [TRANSIENT_BATCH_KEY]: payload } });
        const status = await submitted.getStatus();
        if (!status.successful) failed += 1;
      } catch {
        failed += 1;
      }
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: s.inFlight }, () => worker()));
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuPerUnit(cpuBefore, sampleCpu(), s.transactions);
  const counts = (await counters?.stop()) ?? {};
  const committed = (s.transactions - failed) * s.batchSize;
  latencies.sort((a, b) => a - b);
  const detail = { transactions: s.transactions, inFlight: s.inFlight, failed, seconds: Number(seconds.toFixed(1)) };
  const cpuTotal = Object.values(cpu).reduce((a, b) => a + b, 0);
  return [
    { name: `chaincode batch=${s.batchSize}: committed decisions/s`, value: committed / seconds, unit: 'decisions/s', detail },
    { name: `chaincode batch=${s.batchSize}: committed tx/s`, value: (s.transactions - failed) / seconds, unit: 'tx/s' },
    { name: `chaincode batch=${s.batchSize}: p50 latency`, value: percentile(latencies, 50) / 1000, unit: 's' },
    { name: `chaincode batch=${s.batchSize}: p99 latency`, value: percentile(latencies, 99) / 1000, unit: 's' },
    // Where the CPU goes, per transaction: on 2 cores, 2000 / this total bounds tx/s.
    { name: `chaincode batch=${s.batchSize}: CPU ms per tx, all processes`, value: cpuTotal, unit: 'ms', detail: cpu },
    ...counterFigures(`chaincode batch=${s.batchSize}`, counts, committed, 'decision'),
  ];
}

export async function chaincodeThroughput(): Promise<Figure[]> {
  const net = new TestNetwork();
  try {
    await grantRole(net, 'operator', 'User1', 'recorder');
    const { dataset, model, modelId } = lineageFixture('bench');
    const lineage = net.contract('operator', 'User1', 'lineage');
    await submitJson(lineage, 'RegisterDatasetVersion', JSON.stringify(dataset));
    await submitJson(lineage, 'RegisterModelVersion', JSON.stringify(model));
    const contract = net.contract('operator', 'User1', 'decisions');
    const figures: Figure[] = [];
    for (const s of scenarios) {
      console.log(`… batch size ${s.batchSize}: ${s.transactions} transactions, ${s.inFlight} in flight`);
      const result = await runScenario(contract, modelId, s);
      result.forEach(printFigure);
      figures.push(...result);
    }
    const rate = (b: number) => figures.find((f) => f.name === `chaincode batch=${b}: committed decisions/s`)?.value ?? Number.NaN;
    const ratio: Figure = { name: 'chaincode batch 500 / batch 1 speed-up', value: rate(500) / rate(1), unit: 'x' };
    printFigure(ratio);
    figures.push(ratio);
    const sample = await evaluateJson<unknown>(contract, 'GetDecisionBatch', `bench-500-${runTag}-0`);
    const bytes: Figure = { name: 'state bytes per decision (batch of 500)', value: Buffer.byteLength(JSON.stringify(sample)) / 500, unit: 'B' };
    printFigure(bytes);
    figures.push(bytes);
    return figures;
  } finally {
    net.close();
  }
}
