// A file written chunk by chunk (respecting back-pressure) while its SHA-256 and size are computed.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface FileDigest {
  sha256: string;
  bytes: number;
}

export class HashedFile {
  readonly #stream: WriteStream;
  readonly #hash: Hash = createHash('sha256');
  #bytes = 0;
  #failure: Error | undefined;

  constructor(path: string) {
    this.#stream = createWriteStream(path);
    this.#stream.on('error', (err) => {
      this.#failure = err;
    });
  }

  get bytes(): number {
    return this.#bytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    // once() also rejects if the stream fails while we wait.
    if (!this.#stream.write(chunk)) await once(this.#stream, 'drain');
    if (this.#failure !== undefined) throw this.#failure;
  }

  async close(): Promise<FileDigest> {
    this.#stream.end();
    await once(this.#stream, 'close');
    if (this.#failure !== undefined) throw this.#failure;
    return { sha256: this.#hash.digest('hex'), bytes: this.#bytes };
  }

  /** Closes without caring about the content (a failed export). */
  abandon(): void {
    this.#stream.destroy();
  }
}

/** Writes `data` to `path` in one go and returns its digest. */
export async function writeHashed(path: string, data: Uint8Array): Promise<FileDigest> {
  const file = new HashedFile(path);
  await file.write(data);
  return file.close();
}
