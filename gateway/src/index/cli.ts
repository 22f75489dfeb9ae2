// `npm run reindex` (drop and replay from block 0) and `npm run index:check` (compare with the ledger); run with the gateway stopped.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { loadConnectionProfile } from '../fabric/profile.js';
import { peerBlockSource, type BlockSource } from './block-source.js';
import { compareChain } from './chain-id.js';
import { compareIndexes, type CheckReport } from './check.js';
import { openIndexStore } from './open-store.js';
import { replayBlocks } from './replay.js';
import { openSqliteIndex } from './sqlite-store.js';
import type { IndexStore } from './store.js';

const USAGE = `usage: cli.ts <reindex|check> [--msp <MSP id>] [--user <cryptogen user>] [--json]
  reindex  drop the index and rebuild it from block 0 of the channel
  check    replay the ledger's blocks and compare them with the index; exit 1 on any finding
           (or when the index was built from another chain: its block 0 differs from the ledger's)
  --msp    the org whose peer is read (default: the profile's first org)
  --user   the org's user that reads the blocks (default: User1)`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** True when progress may be redrawn in place. */
  tty: boolean;
}

export interface CliDeps {
  store: IndexStore;
  source: BlockSource;
  namespace: string;
  io: Io;
}

/** Drops the index and replays every block, printing one progress line (redrawn on a terminal). */
export async function reindex(deps: CliDeps): Promise<number> {
  const { store, source, namespace, io } = deps;
  await store.reset();
  const started = Date.now();
  let lastPrint = 0;
  const result = await replayBlocks({
    source,
    store,
    namespace,
    onProblem: (problem) => io.err(`warning: ${problem}`),
    onProgress: (blockNumber, height) => {
      const now = Date.now();
      if (blockNumber < height - 1 && now - lastPrint < (io.tty ? 200 : 5_000)) return;
      lastPrint = now;
      const line = `reindex: block ${blockNumber + 1}/${height} (${(((blockNumber + 1) / height) * 100).toFixed(1)}%)`;
      io.err(io.tty ? `\r${line}` : line);
    },
  });
  const stats = await store.stats();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  io.out(`${io.tty ? '\n' : ''}reindexed ${result.blocks} blocks (through block ${stats.lastBlock ?? '-'}): ${stats.batches} batches, ${stats.decisions} decisions, ${stats.events} events in ${seconds} s`);
  return 0;
}

/**
 * Replays the ledger through the index's checkpoint into memory and compares; 1 when anything is
 * missing, extra, different or duplicated, or when the index belongs to another chain (then
 * nothing else is compared: the blocks it names are not this ledger's).
 */
export async function checkIndex(deps: CliDeps & { json?: boolean }): Promise<number> {
  const { store, source, namespace, io } = deps;
  const chain = await compareChain(store, source);
  if (!chain.same) {
    const height = await source.height();
    if (deps.json === true) io.out(JSON.stringify({ chainMismatch: { index: chain.index, ledger: chain.ledger }, throughBlock: await store.lastBlock(), findings: [], ledgerHeight: height }));
    else {
      io.out(`CHAIN MISMATCH: the index was built from another chain: its block 0 data hash is ${chain.index}, the ledger's is ${chain.ledger} (was the network recreated?)`);
      io.out(`FAILED: rebuild the index with \`npm run reindex\` (the gateway also rebuilds it when it starts)`);
    }
    return 1;
  }
  const through = await store.lastBlock();
  const ledger = openSqliteIndex(':memory:');
  try {
    if (through !== undefined) await replayBlocks({ source, store: ledger, namespace, untilHeight: through + 1 });
    const report = await compareIndexes(store, ledger);
    const height = await source.height();
    if (deps.json === true) io.out(JSON.stringify({ ...report, ledgerHeight: height }));
    else printReport(report, height, io);
    return report.findings.length === 0 ? 0 : 1;
  } finally {
    await ledger.close();
  }
}

function printReport(report: CheckReport, height: number, io: Io): void {
  io.out(`index check through block ${report.throughBlock ?? '-'} (ledger height ${height}): ${report.indexDecisions} decisions in the index, ${report.ledgerDecisions} on the ledger`);
  const behind = height - 1 - (report.throughBlock ?? -1);
  if (behind > 0) io.out(`note: the index is ${behind} block(s) behind the ledger (not a finding; the gateway indexes them when it runs)`);
  for (const f of report.findings) {
    const a = f.anchor;
    io.out(`${f.kind.toUpperCase()} ${f.decisionId} at block ${a.blockNumber} tx ${a.txIndex} (${a.txId.slice(0, 12)}…) batch ${a.batchId}[${a.position}]: ${f.detail}`);
  }
  io.out(report.findings.length === 0 ? 'OK: the index matches the ledger' : `FAILED: ${report.findings.length} finding(s)`);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { msp: { type: 'string' }, user: { type: 'string' }, json: { type: 'boolean' } } });
  const [command] = positionals;
  if (command !== 'reindex' && command !== 'check') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  const profile = loadConnectionProfile(config.connectionProfile);
  const mspId = values.msp ?? Object.values(profile.orgs)[0]?.mspId ?? '';
  const source = peerBlockSource(profile, { mspId, fabricUser: values.user ?? 'User1' });
  const store = openIndexStore(config.indexDatabase);
  const io: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(l.startsWith('\r') ? l : `${l}\n`), tty: process.stderr.isTTY === true };
  try {
    const deps = { store, source, namespace: profile.chaincode, io };
    return command === 'reindex' ? await reindex(deps) : await checkIndex({ ...deps, json: values.json === true });
  } finally {
    await store.close();
    source.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
