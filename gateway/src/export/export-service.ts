// Export jobs: queued in SQLite, run one at a time (select → fetch blocks → write the folder → .tar.gz), resumed after a restart.
import { randomUUID } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ExportFilter } from '@aiaudit/verifier';
import type { FabricSigner, Ledger } from '../fabric/ledger.js';
import { writeBundleDir } from './bundle-writer.js';
import { chaincodeSelection } from './chaincode-selection.js';
import { ExportStore, type ExportJob, type ExportRequester } from './export-store.js';
import type { LedgerBlocks } from './ledger-blocks.js';
import { indexSelection, waitForIndex, type BlockSelection, type IndexReader, type SelectionScope } from './selection.js';
import { writeTarGz } from './tar-writer.js';

/** The Fabric release the local network runs (network/: built from the v3.1.5 commit). */
export const FABRIC_VERSION = 'v3.1.5';

export interface ExportServiceOptions {
  /** Jobs and bundles live under `<dataDir>/exports`. */
  dataDir: string;
  channel: string;
  chaincode: string;
  fabricVersion?: string;
  /** Reads blocks as the exporting identity (qscc checks that it may read the channel). */
  blocksFor: (signer: FabricSigner) => LedgerBlocks;
  /** The block-derived decision index; without it (or when it lags) the chaincode's queries select the records. */
  index?: IndexReader | undefined;
  ledger: Ledger;
  logger: Logger;
  /** How long a job waits for the index to reach the channel height (default 30 s). */
  indexWaitMs?: number;
  /** A finished bundle older than this is deleted and its job marked expired; undefined or 0 keeps bundles forever. */
  retentionMs?: number | undefined;
  /** How often expired bundles are looked for (default hourly). */
  retentionSweepMs?: number;
}

export const archiveNameOf = (id: string): string => `aiaudit-export-${id}.tar.gz`;

export class ExportService {
  readonly #options: ExportServiceOptions;
  readonly #store: ExportStore;
  readonly #dir: string;
  readonly #logger: Logger;
  readonly #queue: string[] = [];
  #worker: Promise<void> | undefined;
  #abort: AbortController | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: ExportServiceOptions) {
    this.#options = options;
    this.#dir = join(options.dataDir, 'exports');
    this.#store = new ExportStore(join(this.#dir, 'exports.sqlite'));
    this.#logger = options.logger.child({ component: 'exports' });
  }

  /** Re-queues jobs a previous process left unfinished (they restart from the beginning). */
  start(): void {
    for (const job of this.#store.unfinished()) this.#queue.push(job.id);
    if (this.#queue.length > 0) this.#logger.info({ exports: this.#queue }, 'resuming unfinished exports');
    this.#kick();
    const retention = this.#options.retentionMs ?? 0;
    if (retention > 0) {
      void this.expire();
      this.#sweeper = setInterval(() => void this.expire(), this.#options.retentionSweepMs ?? 3_600_000);
      this.#sweeper.unref();
    }
  }

  /**
   * Deletes the bundles of jobs finished longer ago than the retention period, marking the jobs
   * expired first (a crash in between leaves a file with no job to serve it, which the next sweep
   * removes: any archive whose job is not done is deleted). Returns the ids expired by this sweep.
   */
  async expire(now: number = Date.now()): Promise<string[]> {
    const retention = this.#options.retentionMs ?? 0;
    if (retention <= 0 || this.#closed) return [];
    const expired = this.#store.expireFinishedBefore(new Date(now - retention).toISOString());
    let names: string[] = [];
    try {
      names = await readdir(this.#dir);
    } catch {
      return expired;
    }
    for (const name of names) {
      const id = /^aiaudit-export-(.+)\.tar\.gz$/.exec(name)?.[1];
      if (id === undefined || this.#store.get(id)?.state === 'done') continue;
      await rm(join(this.#dir, name), { force: true });
    }
    if (expired.length > 0) this.#logger.info({ exports: expired, retentionDays: retention / 86_400_000 }, 'export bundles past their retention deleted');
    return expired;
  }

  request(requester: ExportRequester, filter: ExportFilter, ownerMsp: string | undefined): ExportJob {
    if (this.#closed) throw new Error('the export service is closed');
    const job = this.#store.create({ id: `exp-${randomUUID()}`, filter, ownerMsp, requester, createdAt: new Date().toISOString() });
    this.#logger.info({ exportId: job.id, requestedBy: requester.principalId, filter, ownerMsp }, 'export queued');
    this.#queue.push(job.id);
    this.#kick();
    return job;
  }

  get(id: string): ExportJob | undefined {
    return this.#store.get(id);
  }

  /** Where a finished export's archive is. */
  archivePath(id: string): string {
    return join(this.#dir, archiveNameOf(id));
  }

  /** Stops after aborting the running job (it stays unfinished and runs again at the next start). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    this.#queue.length = 0;
    this.#abort?.abort(new Error('the gateway is shutting down'));
    await this.#worker;
    this.#store.close();
  }

  #kick(): void {
    if (this.#worker !== undefined || this.#closed) return;
    this.#worker = this.#drain().finally(() => {
      this.#worker = undefined;
      if (this.#queue.length > 0) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    for (let id = this.#queue.shift(); id !== undefined && !this.#closed; id = this.#queue.shift()) await this.#run(id);
  }

  async #run(id: string): Promise<void> {
    const job = this.#store.get(id);
    if (job === undefined || job.state !== 'queued' && job.state !== 'running') return;
    const abort = new AbortController();
    this.#abort = abort;
    const work = join(this.#dir, `${id}.work`);
    const log = this.#logger.child({ exportId: id });
    const started = Date.now();
    this.#store.markRunning(id, new Date().toISOString());
    try {
      await rm(work, { recursive: true, force: true });
      const signer: FabricSigner = { mspId: job.requester.org, fabricUser: job.requester.fabricUser };
      const blocks = this.#options.blocksFor(signer);
      const { height, selections, selectedBy } = await this.#select(job, signer, blocks, log);
      const definition = await blocks.chaincodeDefinition(this.#options.chaincode);
      const bundle = await writeBundleDir(
        work,
        {
          exportId: id,
          createdAt: job.createdAt,
          requestedBy: { org: job.requester.org, role: job.requester.role },
          filter: job.filter,
          ownerMsp: job.ownerMsp,
          channel: this.#options.channel,
          fabricVersion: this.#options.fabricVersion ?? FABRIC_VERSION,
          chaincode: this.#options.chaincode,
          definition,
          height,
          selectedBy,
          archiveName: archiveNameOf(id),
        },
        selections,
        blocks,
        { signal: abort.signal, onProgress: (counts, bytes) => this.#store.progress(id, { ...counts, bytes }) },
      );
      abort.signal.throwIfAborted();
      const writtenAt = Date.now();
      const archive = this.archivePath(id);
      const partial = `${archive}.partial`;
      const written = await writeTarGz(work, bundle.files, `aiaudit-export-${id}`, partial, Math.floor(Date.parse(job.createdAt) / 1000));
      await rename(partial, archive);
      await rm(work, { recursive: true, force: true });
      this.#store.markDone(id, { finishedAt: new Date().toISOString(), ...bundle.counts, bytes: written.bytes, bundleSha256: written.sha256, manifestSha256: bundle.manifestSha256 });
      log.info({ ...bundle.counts, bytes: written.bytes, ms: Date.now() - started, archiveMs: Date.now() - writtenAt }, 'export done');
    } catch (err) {
      await rm(work, { recursive: true, force: true }).catch(() => undefined);
      await rm(`${this.archivePath(id)}.partial`, { force: true }).catch(() => undefined);
      if (abort.signal.aborted) {
        log.warn('export interrupted by shutdown; it runs again at the next start');
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      this.#store.markFailed(id, new Date().toISOString(), message.slice(0, 1_000));
      log.error({ err }, 'export failed');
    } finally {
      this.#abort = undefined;
    }
  }

  /** The records' blocks in ledger order, up to the channel height when the job starts (or as far as the index has reached). */
  async #select(job: ExportJob, signer: FabricSigner, blocks: LedgerBlocks, log: Logger): Promise<{ height: number; selections: AsyncIterable<BlockSelection>; selectedBy: 'index' | 'chaincode' }> {
    let height = await blocks.height();
    const scope = (throughBlock: number): SelectionScope => ({ filter: job.filter, ownerMsp: job.ownerMsp, throughBlock });
    const { index } = this.#options;
    if (index !== undefined) {
      if (await waitForIndex(index, height - 1, this.#options.indexWaitMs ?? 30_000)) {
        return { height, selections: indexSelection(index, scope(height - 1)), selectedBy: 'index' };
      }
      const last = (await index.lastBlock()) ?? -1;
      const { filter } = job;
      const chaincodeCan = (filter.modelId !== undefined && filter.modelVersion !== undefined) || filter.from !== undefined;
      log.warn({ channelHeight: height, indexedThrough: last }, chaincodeCan ? 'the index lags the channel: selecting through the chaincode' : 'the index lags the channel: exporting what it holds');
      if (!chaincodeCan && last >= 0) {
        height = last + 1;
        return { height, selections: indexSelection(index, scope(last)), selectedBy: 'index' };
      }
    }
    return { height, selections: chaincodeSelection(this.#options.ledger, signer, blocks, scope(height - 1)), selectedBy: 'chaincode' };
  }
}
