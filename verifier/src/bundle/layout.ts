// The export bundle format, shared by the gateway's writer and the verifier: file names, manifest, record lines.

export const BUNDLE_FORMAT = 'aiaudit-export/1';
export const MANIFEST_FILE = 'manifest.json';
/** SHA-256 (hex) of manifest.json, so that no byte of the manifest can change unnoticed either. */
export const MANIFEST_DIGEST_FILE = 'manifest.sha256';
export const RECORDS_FILE = 'records.ndjson';
export const README_FILE = 'README.txt';
export const BLOCKS_DIR = 'blocks';
export const CONFIG_DIR = 'config';

export const blockPath = (blockNumber: number): string => `${BLOCKS_DIR}/${blockNumber}.block`;
export const configBlockPath = (blockNumber: number): string => `${CONFIG_DIR}/${blockNumber}.block`;

/** `blocks/42.block` → { dir: 'blocks', number: 42 }; undefined for any other name. */
export function blockFileOf(path: string): { dir: typeof BLOCKS_DIR | typeof CONFIG_DIR; number: number } | undefined {
  const match = /^(blocks|config)\/(0|[1-9]\d{0,15})\.block$/.exec(path);
  if (match === null) return undefined;
  return { dir: match[1] === BLOCKS_DIR ? BLOCKS_DIR : CONFIG_DIR, number: Number(match[2]) };
}

/** Which decisions an export holds; every member optional, all given ones must match. */
export interface ExportFilter {
  modelId?: string;
  modelVersion?: string;
  /** Ledger time (recordedAt) window, inclusive, RFC 3339 UTC. */
  from?: string;
  to?: string;
  subjectRef?: string;
  /** Decisions recorded while this drift alert was open on their model version. */
  alertId?: string;
}

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  format: string;
  exportId: string;
  createdAt: string;
  requestedBy: { org: string; role: string };
  filter: ExportFilter;
  /** Only this org's decisions (an officer's export); absent: every org (a regulator's). */
  ownerMsp?: string;
  fabric: { version: string; channel: string };
  chaincode: { name: string; version?: string; sequence?: number; endorsementPolicy?: string };
  ledger: { height: number; selectedBy: 'index' | 'chaincode' };
  counts: { records: number; blocks: number; configBlocks: number; transactions: number };
  files: ManifestFile[];
}

/** Where a record sits on the ledger: block, transaction, batch key and position in the batch. */
export interface RecordAnchor {
  decisionId: string;
  txId: string;
  blockNumber: number;
  txIndex: number;
  batchId: string;
  position: number;
}

/** One records.ndjson line: the anchor's members, then `record` holding the ledger's exact bytes of the record. */
export function recordLine(anchor: RecordAnchor, record: Uint8Array): Buffer {
  const head = JSON.stringify({
    batchId: anchor.batchId,
    blockNumber: anchor.blockNumber,
    decisionId: anchor.decisionId,
    position: anchor.position,
    txId: anchor.txId,
    txIndex: anchor.txIndex,
  });
  return Buffer.concat([Buffer.from(`${head.slice(0, -1)},"record":`), record, Buffer.from('}\n')]);
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const FILTER_KEYS = ['modelId', 'modelVersion', 'from', 'to', 'subjectRef', 'alertId'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Typed reads of one JSON object, each naming the member that is missing or malformed. */
class Reader {
  constructor(
    readonly object: Record<string, unknown>,
    readonly path: string,
  ) {}

  #bad(name: string): ManifestError {
    return new ManifestError(`manifest.json: ${this.path}${name} is missing or malformed`);
  }

  string(name: string): string {
    const value = this.object[name];
    if (typeof value !== 'string') throw this.#bad(name);
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.object[name] === undefined ? undefined : this.string(name);
  }

  count(name: string): number {
    const value = this.object[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw this.#bad(name);
    return value;
  }

  optionalCount(name: string): number | undefined {
    return this.object[name] === undefined ? undefined : this.count(name);
  }

  section(name: string): Reader {
    const value = this.object[name];
    if (!isObject(value)) throw this.#bad(name);
    return new Reader(value, `${this.path}${name}.`);
  }
}

/** Drops undefined members, so that optional ones are absent rather than undefined. */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value)) if (Reflect.get(value, key) === undefined) Reflect.deleteProperty(value, key);
  return value;
}

/** Parses and checks manifest.json; throws ManifestError naming the bad member. */
export function parseManifest(bytes: Uint8Array): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ManifestError('manifest.json is not valid JSON');
  }
  if (!isObject(value)) throw new ManifestError('manifest.json is not a JSON object');
  const top = new Reader(value, '');
  if (top.string('format') !== BUNDLE_FORMAT) throw new ManifestError(`manifest.json: format must be ${BUNDLE_FORMAT}`);
  const filterReader = top.section('filter');
  const unknown = Object.keys(filterReader.object).find((key) => !FILTER_KEYS.some((known) => known === key));
  if (unknown !== undefined) throw new ManifestError(`manifest.json: filter.${unknown} is not a known filter`);
  const filter: ExportFilter = defined(Object.fromEntries(FILTER_KEYS.map((key) => [key, filterReader.optionalString(key)])));
  const requestedBy = top.section('requestedBy');
  const fabric = top.section('fabric');
  const chaincode = top.section('chaincode');
  const ledger = top.section('ledger');
  const selectedBy = ledger.string('selectedBy');
  if (selectedBy !== 'index' && selectedBy !== 'chaincode') throw new ManifestError('manifest.json: ledger.selectedBy must be index or chaincode');
  const counts = top.section('counts');
  const files = value.files;
  if (!Array.isArray(files)) throw new ManifestError('manifest.json: files is missing or not an array');
  return defined({
    format: BUNDLE_FORMAT,
    exportId: top.string('exportId'),
    createdAt: top.string('createdAt'),
    requestedBy: { org: requestedBy.string('org'), role: requestedBy.string('role') },
    filter,
    ownerMsp: top.optionalString('ownerMsp'),
    fabric: { version: fabric.string('version'), channel: fabric.string('channel') },
    chaincode: defined({
      name: chaincode.string('name'),
      version: chaincode.optionalString('version'),
      sequence: chaincode.optionalCount('sequence'),
      endorsementPolicy: chaincode.optionalString('endorsementPolicy'),
    }),
    ledger: { height: ledger.count('height'), selectedBy },
    counts: { records: counts.count('records'), blocks: counts.count('blocks'), configBlocks: counts.count('configBlocks'), transactions: counts.count('transactions') },
    files: files.map((file: unknown, i) => {
      if (!isObject(file)) throw new ManifestError(`manifest.json: files[${i}] is not an object`);
      const entry = new Reader(file, `files[${i}].`);
      const sha256 = entry.string('sha256');
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ManifestError(`manifest.json: files[${i}].sha256 is not a SHA-256 in hex`);
      return { path: entry.string('path'), sha256, bytes: entry.count('bytes') };
    }),
  });
}
