// `npm run bench`: runs each benchmark suite against the running local network and records its figures.
import { chaincodeCpu } from './chaincode-cpu.js';
import { chaincodeThroughput } from './chaincode-throughput.js';
import { exportVerify } from './export-verify.js';
import { httpDecisions } from './http-decisions.js';
import { indexCatchUp } from './index-catch-up.js';
import { recordRun, resultsFile } from './results.js';

const suites: Record<string, () => Promise<import('./results.js').Figure[]>> = {
  'chaincode-cpu': () => chaincodeCpu(),
  chaincode: chaincodeThroughput,
  http: () => httpDecisions(),
  'export-verify': () => exportVerify(),
  index: indexCatchUp,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(suites);
  for (const name of names) {
    const suite = suites[name];
    if (!suite) throw new Error(`unknown bench suite '${name}'; known: ${Object.keys(suites).join(', ')}`);
    console.log(`== ${name}`);
    recordRun(name, await suite());
  }
  console.log(`figures appended to ${resultsFile}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
