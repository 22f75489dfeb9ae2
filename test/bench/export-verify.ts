// Export and offline verification of 10,000 and 100,000 decisions: records/s of each, the exporter's peak RSS, the bundle size.
// The export runs in a child process (this file with --exporter) that follows the chain into a SQLite index, as the gateway does.
// Verification is timed as a user pays for it: the compiled aiaudit-verify in a process of its own, spawn to exit.
// Alone: node --import tsx test/bench/export-verify.ts [sizes, e.g. 10000,100000]
// BENCH_KEEP_BUNDLES=<dir> keeps each archive as <dir>/<size>.tar.gz (to profile the verifier on it later).
import { spawn, spawnSync } from 'node:child_process';
import { TRANSIENT_BATCH_KEY } from '../../chaincode/src/domain/decision.js';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Contract } from '@hyperledger/fabric-gateway';
import { ExportService } from '../../gateway/src/export/export-service.js';
import { qsccBlocks } from '../../gateway/src/export/ledger-blocks.js';
import { FabricLedger } from '../../gateway/src/fabric/ledger-client.js';
import { loadConnectionProfile } from '../../gateway/src/fabric/profile.js';
import { networkBlockSource } from '../../gateway/src/index/block-source.js';
import { BlockFollower } from '../../gateway/src/index/follower.js';
import { openSqliteIndex } from '../../gateway/src/index/sqlite-store.js';
import { createLogger } from '../../gateway/src/logger.js';
import { grantRole, runTag, submitJson } from '../support/ledger.js';
import { profilePath, TestNetwork } from '../support/network.js';
import { decisions, lineageFixture } from '../support/records.js';
import { repoRoot } from '../support/script.js';
import { printFigure, recordRun, type Figure } from './results.js';

const BATCH = 500;
const IN_FLIGHT = 16;
const REGULATOR = { principalId: 'bench', org: 'RegulatorOrgMSP', role: 'regulator', fabricUser: 'User3' };

interface ExporterResult {
  state: string;
  error?: string;
  records: number;
  blocks: number;
  bytes: number;
  archive: string;
  exportSeconds: number;
  catchUpSeconds: number;
  baselineRssMb: number;
  peakRssMb: number;
}

async function recordDecisions(contract: Contract, modelId: string, count: number, tag: string): Promise<number> {
  const batches = Math.ceil(count / BATCH);
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < batches) {
      const n = next++;
      const size = Math.min(BATCH, count - n * BATCH);
      const batch = { batchId: `${tag}-${runTag}-${n}`, decisions: decisions(modelId, size, `${tag}-${n}`) };
      // As the REST gateway records them: the batch in the transient map (the blocks then hold each record once).
      const submitted = await contract.submitAsync('RecordDecisions', { arguments: [''], transientData: { [TRANSIENT_BATCH_KEY]: JSON.stringify(batch) } });
      const status = await submitted.getStatus();
      if (!status.successful) throw new Error(`batch ${batch.batchId} failed validation: ${status.code}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return (performance.now() - started) / 1000;
}

/** Runs the exporter child and returns what it measured. */
function runExporter(dataDir: string, indexPath: string, modelId: string): Promise<ExporterResult> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--exporter', JSON.stringify({ dataDir, indexPath, modelId })], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`the exporter exited with ${code}: ${out.slice(-500)}`));
      else resolveResult(JSON.parse(line));
    });
  });
}

/** The command as `npx aiaudit-verify` and `npm run verify` run it: the launcher, which starts node on verifier/dist/cli.js. */
const VERIFIER_COMMAND = 'verifier/bin/aiaudit-verify';

/** Compiles the verifier once, before anything is timed (`npm run verify` does the same before it runs). */
function buildVerifier(): void {
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'verifier'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the verifier failed:\n${build.stdout}${build.stderr}`);
}

/**
 * aiaudit-verify as a user runs it, in a process of its own. The figure is the wall time from spawn
 * to exit (node start-up, module loading, reading and unpacking the archive, every check, the
 * report); the verifier's own reported seconds are kept as a detail only. `command` is the launcher,
 * or `node verifier/dist/cli.js` for the comparison row.
 */
function runVerifier(archive: string, command: readonly string[] = [VERIFIER_COMMAND]): { seconds: number; reportedSeconds: number } {
  const [file = VERIFIER_COMMAND, ...args] = command;
  const started = performance.now();
  const run = spawnSync(file, [...args, archive], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const match = /^VERIFIED: .*\(([\d.]+) s, /m.exec(run.stdout);
  if (run.status !== 0 || match === null) throw new Error(`aiaudit-verify failed (${run.status}):\n${run.stdout.slice(-2000)}${run.stderr}`);
  return { seconds, reportedSeconds: Number(match[1]) };
}

/** The median of three runs: the machine is shared, and one run can be delayed by anything else on it. */
function medianRun(archive: string, command?: readonly string[]) {
  const runs = [runVerifier(archive, command), runVerifier(archive, command), runVerifier(archive, command)].sort((x, y) => x.seconds - y.seconds);
  return { median: runs[1] ?? runs[0] ?? { seconds: Number.NaN, reportedSeconds: Number.NaN }, runs: runs.map((r) => r.seconds.toFixed(2)).join(' ') };
}

export async function exportVerify(sizes: readonly number[] = [10_000, 100_000]): Promise<Figure[]> {
  const net = new TestNetwork();
  const work = mkdtempSync(join(tmpdir(), 'aiaudit-bench-export-'));
  // The index persists between runs, so a run only indexes the blocks added since the last one.
  const indexDir = resolve(process.env['AIAUDIT_DATA_DIR'] ?? resolve(repoRoot, '.data'), 'bench', 'export-verify');
  mkdirSync(indexDir, { recursive: true });
  const figures: Figure[] = [];
  buildVerifier();
  try {
    await grantRole(net, 'operator', 'User1', 'recorder');
    await grantRole(net, 'regulator', 'User3', 'regulator');
    const lineage = net.contract('operator', 'User1', 'lineage');
    for (const size of sizes) {
      const { dataset, model, modelId } = lineageFixture(`bench-export-${size}`);
      await submitJson(lineage, 'RegisterDatasetVersion', JSON.stringify(dataset));
      await submitJson(lineage, 'RegisterModelVersion', JSON.stringify(model));
      const recordSeconds = await recordDecisions(net.contract('operator', 'User1', 'decisions'), modelId, size, `bx${size}`);
      const result = await runExporter(join(work, String(size)), join(indexDir, 'index.sqlite'), modelId);
      if (result.state !== 'done' || result.records !== size) throw new Error(`export of ${size} decisions: ${result.state} with ${result.records} records ${result.error ?? ''}`);
      const { median: verified, runs } = medianRun(result.archive);
      const detail = { decisions: size, blocks: result.blocks, bundleMb: Number((result.bytes / 1024 ** 2).toFixed(1)), recordSeconds: Number(recordSeconds.toFixed(1)) };
      const batch: Figure[] = [
        { name: `export ${size} decisions: time`, value: result.exportSeconds, unit: 's', detail },
        { name: `export ${size} decisions: records/s`, value: size / result.exportSeconds, unit: 'records/s' },
        { name: `export ${size} decisions: exporter peak RSS`, value: result.peakRssMb, unit: 'MB', detail: { baselineMb: result.baselineRssMb, catchUpSeconds: Number(result.catchUpSeconds.toFixed(1)) } },
        { name: `verify ${size} decisions: time`, value: verified.seconds, unit: 's', detail: { process: VERIFIER_COMMAND, runs, reportedSeconds: verified.reportedSeconds } },
        { name: `verify ${size} decisions: records/s`, value: size / verified.seconds, unit: 'records/s' },
      ];
      // The launcher starts node without NODE_EXTRA_CA_CERTS (set on some machines, e.g. this project's
      // sandbox). Shown apart: node on the compiled CLI directly, in this process's environment.
      if (process.env['NODE_EXTRA_CA_CERTS'] !== undefined) {
        const direct = medianRun(result.archive, [process.execPath, 'verifier/dist/cli.js']);
        batch.push({ name: `verify ${size} decisions: records/s, node verifier/dist/cli.js with NODE_EXTRA_CA_CERTS`, value: size / direct.median.seconds, unit: 'records/s', detail: { runs: direct.runs } });
      }
      batch.forEach(printFigure);
      figures.push(...batch);
      const keep = process.env['BENCH_KEEP_BUNDLES'];
      if (keep !== undefined && keep !== '') {
        mkdirSync(keep, { recursive: true });
        copyFileSync(result.archive, join(keep, `${size}.tar.gz`));
      }
      rmSync(join(work, String(size)), { recursive: true, force: true });
    }
    return figures;
  } finally {
    net.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const rssMb = (): number => Math.round(process.memoryUsage.rss() / 1024 ** 2);

/** The child: follows the chain into the index, then exports `modelId` for the regulator while sampling its RSS. */
async function exporter(spec: { dataDir: string; indexPath: string; modelId: string }): Promise<ExporterResult> {
  const profile = loadConnectionProfile(profilePath());
  const logger = createLogger('warn');
  const ledger = new FabricLedger({ profile, logger });
  const index = openSqliteIndex(spec.indexPath);
  const network = ledger.network({ mspId: REGULATOR.org, fabricUser: REGULATOR.fabricUser });
  const follower = new BlockFollower({ source: networkBlockSource(network), store: index, namespace: profile.chaincode, logger });
  const caughtUp = performance.now();
  await follower.start();
  const height = await qsccBlocks(network).height();
  if (!(await follower.waitForBlock(height - 1, 600_000))) throw new Error('the index did not catch up');
  const catchUpSeconds = (performance.now() - caughtUp) / 1000;
  global.gc?.();
  const baselineRssMb = rssMb();
  let peakRssMb = baselineRssMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb())), 25);
  const service = new ExportService({ dataDir: spec.dataDir, channel: profile.channel, chaincode: profile.chaincode, blocksFor: (s) => qsccBlocks(ledger.network(s)), index, ledger, logger });
  service.start();
  const started = performance.now();
  const { id } = service.request(REGULATOR, { modelId: spec.modelId }, undefined);
  let job = service.get(id);
  while (job !== undefined && job.state !== 'done' && job.state !== 'failed') {
    await new Promise((r) => setTimeout(r, 25));
    job = service.get(id);
  }
  const exportSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRssMb = Math.max(peakRssMb, rssMb());
  await service.close();
  await follower.stop();
  await index.close();
  ledger.close();
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  logger.info({ vmHwmMb: hwm === null ? undefined : Math.round(Number(hwm[1]) / 1024) }, 'exporter done');
  return {
    state: job?.state ?? 'missing',
    ...(job?.error === undefined ? {} : { error: job.error }),
    records: job?.records ?? 0,
    blocks: job?.blocks ?? 0,
    bytes: job?.bytes ?? 0,
    archive: service.archivePath(id),
    exportSeconds,
    catchUpSeconds,
    baselineRssMb,
    peakRssMb,
  };
}

if (require.main === module) {
  const [flag, arg] = process.argv.slice(2);
  const run =
    flag === '--exporter'
      ? exporter(JSON.parse(arg ?? '{}')).then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
      : exportVerify(flag === undefined ? undefined : flag.split(',').map(Number)).then((figures) => recordRun('export-verify', figures));
  run.then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
