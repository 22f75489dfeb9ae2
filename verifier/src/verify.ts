// Runs every check over a bundle (no network) and assembles the report: manifest, config chain, blocks, transactions, records.
import { performance } from 'node:perf_hooks';
import { RECORDS_FILE } from './bundle/layout.js';
import { readBundleHashed, type Bundle } from './bundle/read-bundle.js';
import { checkBlocks, type LedgerEvidence } from './checks/block-check.js';
import { checkCompleteness } from './checks/completeness-check.js';
import { LedgerView } from './checks/ledger-view.js';
import { checkManifest } from './checks/manifest-check.js';
import { checkRecords, type RecordCheckResult } from './checks/record-check.js';
import { Findings, type TrustAnchor, type VerifyReport } from './report.js';

export interface VerifyOptions {
  /** SHA-256 (hex) of manifest.json as the gateway reported it: pins the whole bundle to that export. */
  expectedManifestSha256?: string | undefined;
  /** Header SHA-256 (hex) of a config block you trust (read from your own peer); otherwise the genesis block is the anchor. */
  trustedConfigHash?: string | undefined;
}

/** Reads the bundle at `path` (directory or .tar.gz) and verifies it. */
export async function verifyBundlePath(path: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const { bundle, sha256 } = await readBundleHashed(path);
  return verifyRead(bundle, options, started, sha256);
}

export function verifyBundle(bundle: Bundle, options: VerifyOptions = {}, started: number = performance.now()): VerifyReport {
  return verifyRead(bundle, options, started, undefined);
}

/** `sha256`: the files' digests taken while they were read, which only a just-read bundle can vouch for. */
function verifyRead(bundle: Bundle, options: VerifyOptions, started: number, sha256: ReadonlyMap<string, Buffer> | undefined): VerifyReport {
  const findings = new Findings();
  const manifest = checkManifest(bundle.files, findings, options, sha256);
  const evidence = checkBlocks(bundle.files, findings, { channel: manifest?.fabric.channel, trustedConfigHash: options.trustedConfigHash });
  let result: RecordCheckResult = { records: [], exported: new Map() };
  let transactions = 0;
  let transactionsVerified = 0;
  if (manifest !== undefined) {
    const view = new LedgerView(evidence, manifest.chaincode.name);
    const ndjson = bundle.files.get(RECORDS_FILE);
    if (ndjson === undefined) findings.fail('record', `${RECORDS_FILE} is missing from the bundle`);
    else result = checkRecords(ndjson, manifest, view, findings);
    for (const verdict of view.verdicts.values()) {
      transactions++;
      if (verdict.problems.length === 0) transactionsVerified++;
      for (const problem of verdict.problems) findings.fail('transaction', problem);
    }
    checkCompleteness([...evidence.blocks.keys()], manifest, view, result.exported, findings);
    if (evidence.blocks.size !== manifest.counts.blocks) findings.fail('block', `the bundle holds ${evidence.blocks.size} blocks, the manifest says ${manifest.counts.blocks}`);
    if (evidence.configs.size !== manifest.counts.configBlocks) {
      findings.fail('config', `the bundle holds ${evidence.configs.size} config blocks, the manifest says ${manifest.counts.configBlocks}`);
    }
  }
  const recordsVerified = result.records.filter((r) => r.ok).length;
  const problems = [...findings.problems].sort((a, b) => ORDER.indexOf(a.check) - ORDER.indexOf(b.check));
  return {
    ok: problems.length === 0 && manifest !== undefined && recordsVerified === result.records.length,
    bundle: { source: bundle.source, kind: bundle.kind, exportId: manifest?.exportId, channel: manifest?.fabric.channel, createdAt: manifest?.createdAt },
    trust: trustOf(evidence.configs),
    counts: {
      files: bundle.files.size,
      records: result.records.length,
      recordsVerified,
      blocks: evidence.blocks.size,
      blocksVerified: evidence.blocksVerified,
      configBlocks: evidence.configs.size,
      transactions,
      transactionsVerified,
    },
    problems,
    warnings: findings.warnings,
    records: result.records,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Problems are listed in this order: the bundle, then the evidence from the root of trust up to the records. */
const ORDER = ['bundle', 'manifest', 'config', 'block', 'transaction', 'record'] as const;

function trustOf(configs: LedgerEvidence['configs']): TrustAnchor {
  const list = [...configs.values()];
  const latest = list[list.length - 1];
  return {
    configBlocks: list.map((c) => ({ number: c.blockNumber, sequence: c.sequence, headerSha256: c.headerSha256 })),
    orgs:
      latest === undefined
        ? []
        : [...latest.msps.values()].map((m) => ({
            mspId: m.id,
            kind: latest.ordererOrgs.includes(m.id) ? 'orderer' : 'application',
            rootCaSha256: m.rootFingerprints,
          })),
  };
}
