// A streaming reader of (ustar/pax/GNU) tar archives: regular files into memory, directories skipped, anything else refused.
import { createHash, type Hash } from 'node:crypto';

export class TarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarError';
  }
}

const BLOCK = 512;
const EMPTY = Buffer.alloc(0);

function text(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? raw.length : nul).toString('utf8');
}

function octal(header: Buffer, offset: number, length: number, what: string): number {
  const raw = text(header, offset, length).trim();
  if (!/^[0-7]*$/.test(raw)) throw new TarError(`tar header: ${what} is not an octal number`);
  return raw === '' ? 0 : parseInt(raw, 8);
}

function checksumOk(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return sum === octal(header, 148, 8, 'checksum');
}

/** pax extended header records: `<length> <key>=<value>\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.subarray(at, space).toString('ascii'));
    if (space === -1 || !Number.isSafeInteger(length) || length <= 0) throw new TarError('tar: malformed pax header');
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

/** Collects the regular files of a tar stream fed chunk by chunk with `push`; `finish` checks it ended cleanly. */
export class TarReader {
  readonly files = new Map<string, Buffer>();
  /** With `{ sha256: true }`: each file's SHA-256, computed as its bytes arrive (while the next chunk is still being inflated). */
  readonly sha256 = new Map<string, Buffer>();
  readonly #hashing: boolean;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** The entry whose data is being read, or undefined between entries. */
  #entry: { kind: 'file' | 'pax' | 'longname' | 'skip'; name: string; size: number; data: Buffer; left: number; hash: Hash | undefined } | undefined;
  #nextName: string | undefined;
  #ended = false;

  constructor(options: { sha256?: boolean } = {}) {
    this.#hashing = options.sha256 === true;
  }

  /** Feeds the next bytes of the archive. Files may be views of `chunk`'s memory: do not reuse a chunk after pushing it. */
  push(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    for (;;) {
      if (this.#ended) {
        this.#pending.length = 0;
        this.#pendingBytes = 0;
        return;
      }
      if (this.#entry === undefined) {
        if (this.#pendingBytes < BLOCK) return;
        this.#header(this.#take(BLOCK));
        continue;
      }
      const entry = this.#entry;
      const padded = Math.ceil(entry.size / BLOCK) * BLOCK;
      while (entry.left > 0 && this.#pendingBytes > 0) this.#fill(entry);
      if (entry.left > 0) return;
      const padding = padded - entry.size;
      if (this.#pendingBytes < padding) return;
      this.#take(padding);
      this.#complete(entry.kind, entry.name, entry.data, entry.hash);
      this.#entry = undefined;
    }
  }

  finish(): Map<string, Buffer> {
    if (this.#entry !== undefined) throw new TarError(`tar: the archive ends inside ${this.#entry.name}`);
    return this.files;
  }

  /**
   * Moves pending bytes into the entry. While its bytes lie in one run of memory (one chunk, or chunks
   * that continue each other, as an inflater writing into one large buffer hands them out) the entry is
   * a view of that memory; otherwise its bytes are copied into a buffer of its own, once.
   */
  #fill(entry: { data: Buffer; size: number; left: number; hash: Hash | undefined }): void {
    const chunk = this.#pending[0];
    if (chunk === undefined) return;
    const n = Math.min(entry.left, chunk.length);
    const filled = entry.size - entry.left;
    const continues = filled === 0 || (entry.data.length === filled && chunk.buffer === entry.data.buffer && chunk.byteOffset === entry.data.byteOffset + filled);
    if (continues) entry.data = filled === 0 ? chunk.subarray(0, n) : Buffer.from(chunk.buffer, entry.data.byteOffset, filled + n);
    else {
      if (entry.data.length !== entry.size) entry.data = Buffer.concat([entry.data.subarray(0, filled)], entry.size);
      chunk.copy(entry.data, filled, 0, n);
    }
    entry.hash?.update(chunk.subarray(0, n));
    entry.left -= n;
    this.#pendingBytes -= n;
    if (n === chunk.length) this.#pending.shift();
    else this.#pending[0] = chunk.subarray(n);
  }

  #take(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.#pending[0];
      if (chunk === undefined) throw new TarError('tar: internal read past the data');
      const n = Math.min(length - filled, chunk.length);
      chunk.copy(out, filled, 0, n);
      filled += n;
      this.#pendingBytes -= n;
      if (n === chunk.length) this.#pending.shift();
      else this.#pending[0] = chunk.subarray(n);
    }
    return out;
  }

  #header(header: Buffer): void {
    if (header.every((byte) => byte === 0)) {
      this.#ended = true;
      return;
    }
    if (!checksumOk(header)) throw new TarError('tar: a header checksum does not match (the archive is damaged)');
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(header, 345, 155);
    const base = text(header, 0, 100);
    const name = this.#nextName ?? (prefix === '' ? base : `${prefix}/${base}`);
    const size = octal(header, 124, 12, 'size');
    const kind = type === '0' || type === '\0' ? 'file' : type === 'x' ? 'pax' : type === 'L' ? 'longname' : type === '5' || type === 'g' ? 'skip' : undefined;
    if (kind === undefined) throw new TarError(`tar: ${name} is of an unsupported entry type '${type}'`);
    if (kind === 'file' || kind === 'skip') this.#nextName = undefined;
    this.#entry = { kind, name, size, data: EMPTY, left: size, hash: kind === 'file' && this.#hashing ? createHash('sha256') : undefined };
  }

  #complete(kind: 'file' | 'pax' | 'longname' | 'skip', name: string, data: Buffer, hash: Hash | undefined): void {
    if (kind === 'pax') this.#nextName = paxRecords(data).get('path') ?? this.#nextName;
    else if (kind === 'longname') this.#nextName = text(data, 0, data.length);
    else if (kind === 'file') {
      const clean = name.replace(/^\.\//, '');
      if (clean.startsWith('/') || clean.split('/').includes('..')) throw new TarError(`tar: refusing the path ${name}`);
      if (this.files.has(clean)) throw new TarError(`tar: ${clean} appears twice`);
      this.files.set(clean, data);
      if (hash !== undefined) this.sha256.set(clean, hash.digest());
    }
  }
}
