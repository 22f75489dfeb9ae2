// aiaudit-verify <bundle>: verifies an export bundle offline; prints a summary (or --json); exit 0 only when everything checks.
import { parseArgs } from 'node:util';
import { BundleReadError } from './bundle/read-bundle.js';
import { formatReport } from './format.js';
import { verifyBundlePath } from './verify.js';

const USAGE = `usage: aiaudit-verify <bundle directory | bundle.tar.gz> [--json] [--manifest-sha256 <hex>] [--trust-config-hash <hex>] [--max-problems <n>]
  --json                 print the whole report as JSON (every problem, every record's result)
  --manifest-sha256      the manifest SHA-256 the gateway reported for the export: pins the bundle to it
  --trust-config-hash    header SHA-256 of a channel config block read from your own peer: the trust anchor
                         (default: the bundle's genesis config block; compare the printed CA fingerprints)
  --max-problems         how many problems the summary lists (default 20)
exit status: 0 verified, 1 verification failed, 2 usage error or unreadable bundle`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** Runs the command; returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'manifest-sha256': { type: 'string' },
        'trust-config-hash': { type: 'string' },
        'max-problems': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [path, ...extra] = positionals;
  const manifestSha256 = values['manifest-sha256'];
  const trustedConfigHash = values['trust-config-hash'];
  const maxProblems = values['max-problems'] === undefined ? 20 : Number(values['max-problems']);
  const badHex = [manifestSha256, trustedConfigHash].some((v) => v !== undefined && !HEX64.test(v));
  if (path === undefined || extra.length > 0 || badHex || !Number.isSafeInteger(maxProblems) || maxProblems < 0) {
    io.err(USAGE);
    return 2;
  }
  try {
    const report = await verifyBundlePath(path, { expectedManifestSha256: manifestSha256, trustedConfigHash });
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report, { maxProblems }));
    return report.ok ? 0 : 1;
  } catch (err) {
    if (!(err instanceof BundleReadError)) throw err;
    io.err(`aiaudit-verify: ${err.message}`);
    return 2;
  }
}

/** Runs the command on this process's arguments and exits with its status. */
export function main(): void {
  runCli(process.argv.slice(2), { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) })
    .then(exitWhenWritten)
    .catch((err: unknown) => {
      process.stderr.write(`aiaudit-verify: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      exitWhenWritten(2);
    });
}

/**
 * Exits once stdout and stderr have handed everything written to the OS. Left to end by itself, the
 * process would first tear down a heap that held the whole bundle: tens of milliseconds for nothing.
 */
function exitWhenWritten(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

if (require.main === module) main();
