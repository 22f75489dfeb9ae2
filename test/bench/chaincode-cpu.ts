// CPU cost of the chaincode's own work for one 500-decision RecordDecisions, in-process against the fake stub
// (no peer, no gRPC): what each endorser spends in our code per batch, apart from Fabric's share.
import { contracts, exampleBatch, people, seededWorld, submit } from '../../chaincode/src/contracts/testkit.js';
import { percentile, printFigure, type Figure } from './results.js';

export async function chaincodeCpu(rounds = 60): Promise<Figure[]> {
  const world = await seededWorld();
  const batches = Array.from({ length: rounds + 10 }, (_, n) => JSON.stringify(exampleBatch(`cpu-${n}`, 500)));
  const times: number[] = [];
  for (const [n, batch] of batches.entries()) {
    // CPU time, not wall time: what an endorser's core spends, and steadier on a shared machine.
    const started = process.cpuUsage();
    await submit(world, people.recorder, (ctx) => contracts.decisions.RecordDecisions(ctx, batch));
    const used = process.cpuUsage(started);
    if (n >= 10) times.push((used.user + used.system) / 1000); // the first 10 warm the JIT
  }
  times.sort((a, b) => a - b);
  const figures: Figure[] = [
    { name: 'chaincode RecordDecisions(500) in-process: median CPU ms per transaction', value: percentile(times, 50), unit: 'ms', detail: { rounds } },
    { name: 'chaincode RecordDecisions(500) in-process: p90 CPU ms per transaction', value: percentile(times, 90), unit: 'ms' },
  ];
  figures.forEach(printFigure);
  return figures;
}
