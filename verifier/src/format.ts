// The human summary of a report: the trust anchor to compare, one line per check, the verdict and the first problems.
import type { CheckName, VerifyReport } from './report.js';
import { BLOCK_VALIDATION_POLICY } from './checks/orderer-check.js';
import { ENDORSEMENT_POLICY } from './checks/transaction-check.js';

export interface FormatOptions {
  /** How many problems to list (default 20). */
  maxProblems?: number;
  maxWarnings?: number;
}

export function formatReport(report: VerifyReport, options: FormatOptions = {}): string {
  const { counts, bundle, trust } = report;
  const lines: string[] = [];
  const about = [bundle.exportId && `export ${bundle.exportId}`, bundle.channel && `channel ${bundle.channel}`, bundle.createdAt && `created ${bundle.createdAt}`].filter(Boolean);
  lines.push(`aiaudit-verify ${bundle.source}${about.length > 0 ? ` (${about.join(', ')})` : ''}`);
  for (const config of trust.configBlocks) lines.push(`trust anchor: config block ${config.number} (config sequence ${config.sequence}), header SHA-256 ${config.headerSha256}`);
  for (const org of trust.orgs) lines.push(`  ${org.mspId}${org.kind === 'orderer' ? ' (orderer)' : ''} root CA SHA-256 ${org.rootCaSha256.join(', ') || '(none valid)'}`);
  if (trust.configBlocks.length > 0) lines.push('  compare these with your own peer\'s channel config, or pin it with --trust-config-hash');
  lines.push('');
  const failed = (check: CheckName): number => report.problems.filter((p) => p.check === check).length;
  /** A row fails on its own problems, or when fewer items verified than were checked (they rest on a failed block). */
  const row = (label: string, checks: readonly CheckName[], text: string, unverified = 0): void => {
    const n = checks.reduce((sum, check) => sum + failed(check), 0);
    const status = n === 0 && unverified === 0 ? 'ok    ' : 'FAILED';
    const why = n > 0 ? ` — ${n} problem${n === 1 ? '' : 's'}` : unverified > 0 ? ' — resting on failed evidence' : '';
    lines.push(`  ${label.padEnd(13)} ${status}  ${text}${why}`);
  };
  row('manifest', ['bundle', 'manifest'], `${counts.files} files against manifest.json and its SHA-256`);
  row('config', ['config'], `${counts.configBlocks} config block${counts.configBlocks === 1 ? '' : 's'}: data hash, config sequence, orderer signatures`);
  row('blocks', ['block'], `${counts.blocksVerified} of ${counts.blocks} blocks: data hash, header hash chain, orderer signatures (${BLOCK_VALIDATION_POLICY})`, counts.blocks - counts.blocksVerified);
  row('transactions', ['transaction'], `${counts.transactionsVerified} of ${counts.transactions}: VALID, creator signature, endorsements satisfy ${ENDORSEMENT_POLICY}`, counts.transactions - counts.transactionsVerified);
  row('records', ['record'], `${counts.recordsVerified} of ${counts.records} records equal their ledger writes and match the export's filter`, counts.records - counts.recordsVerified);
  lines.push('');
  const rate = report.seconds > 0 ? Math.round(counts.records / report.seconds) : counts.records;
  if (report.ok) {
    lines.push(`VERIFIED: ${counts.records} records in ${counts.blocks} blocks and ${counts.transactions} transactions (${report.seconds.toFixed(2)} s, ${rate} records/s)`);
  } else {
    const max = options.maxProblems ?? 20;
    const shown = report.problems.slice(0, max);
    lines.push(`FAILED: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}${report.records.length === 0 ? ' (no record verified)' : `, ${counts.records - counts.recordsVerified} of ${counts.records} records not verified`}`);
    for (const problem of shown) lines.push(`  ${problem.message}`);
    if (report.problems.length > shown.length) lines.push(`  … and ${report.problems.length - shown.length} more (--json lists them all)`);
  }
  const maxWarnings = options.maxWarnings ?? 10;
  if (report.warnings.length > 0) {
    lines.push(`warnings (${report.warnings.length}):`);
    for (const warning of report.warnings.slice(0, maxWarnings)) lines.push(`  ${warning}`);
    if (report.warnings.length > maxWarnings) lines.push(`  … and ${report.warnings.length - maxWarnings} more`);
  }
  return lines.join('\n');
}
