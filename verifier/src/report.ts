// The verification report: what was checked, every problem found (naming what broke), per-record results and warnings.

/** The check a problem comes from. */
export type CheckName = 'bundle' | 'manifest' | 'config' | 'block' | 'transaction' | 'record';

export interface Problem {
  readonly check: CheckName;
  /** A sentence naming what broke, e.g. `block 42: data hash mismatch`. */
  readonly message: string;
}

export interface RecordResult {
  /** 1-based line in records.ndjson. */
  readonly line: number;
  readonly decisionId: string | undefined;
  readonly blockNumber: number | undefined;
  readonly txId: string | undefined;
  readonly ok: boolean;
  /** Its own problems and those of the block or transaction it rests on. */
  readonly problems: readonly string[];
}

export interface TrustAnchor {
  /** The config blocks the bundle's trust rests on, oldest first. */
  readonly configBlocks: readonly { number: number; sequence: number; headerSha256: string }[];
  /** Each org of the latest config with the SHA-256 of its root CA certificates: compare them with your own copy. */
  readonly orgs: readonly { mspId: string; kind: 'application' | 'orderer'; rootCaSha256: readonly string[] }[];
}

export interface Counts {
  files: number;
  records: number;
  recordsVerified: number;
  blocks: number;
  blocksVerified: number;
  configBlocks: number;
  transactions: number;
  transactionsVerified: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly bundle: {
    readonly source: string;
    readonly kind: 'directory' | 'archive';
    readonly exportId: string | undefined;
    readonly channel: string | undefined;
    readonly createdAt: string | undefined;
  };
  readonly trust: TrustAnchor;
  readonly counts: Counts;
  readonly problems: readonly Problem[];
  readonly warnings: readonly string[];
  readonly records: readonly RecordResult[];
  readonly seconds: number;
}

/** Collects problems and warnings while the checks run. */
export class Findings {
  readonly problems: Problem[] = [];
  readonly warnings: string[] = [];

  fail(check: CheckName, message: string): void {
    this.problems.push({ check, message });
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  count(check: CheckName): number {
    return this.problems.filter((p) => p.check === check).length;
  }
}

/** A transaction id shortened for messages: `3f2a9c41d0e8b7a6…`. */
export const shortTx = (txId: string): string => (txId.length > 16 ? `${txId.slice(0, 16)}…` : txId);
