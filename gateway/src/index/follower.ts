// Follows committed blocks from the checkpoint on and applies each to the index store; reconnects after stream errors.
import type { Logger } from 'pino';
import { decodeBlock } from '../blocks/index.js';
import type { BlockSource, BlockStream } from './block-source.js';
import { compareChain } from './chain-id.js';
import { rowsOfBlock } from './rows.js';
import type { IndexStore } from './store.js';

export interface FollowerOptions {
  source: BlockSource;
  store: IndexStore;
  /** The chaincode whose writes and events are indexed (the profile's chaincode name). */
  namespace: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Called after each block is committed to the store. */
  onBlock?: (blockNumber: number) => void;
  /** First reconnect delay; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

export interface FollowerStatus {
  running: boolean;
  connected: boolean;
  /** The index reached the chain height seen at start (readers get answers as fresh as the ledger's). */
  caughtUp: boolean;
  /** The chain height when the follower started, if the peer told it. */
  startHeight: number | undefined;
  lastBlock: number | undefined;
  lastError: string | undefined;
}

/** Applies blocks to the store in order; `waitForBlock` lets readers wait until a committed block is indexed. */
export class BlockFollower {
  readonly #options: FollowerOptions;
  #running = false;
  #connected = false;
  #stream: BlockStream | undefined;
  #loop: Promise<void> | undefined;
  #lastBlock: number | undefined;
  #lastError: string | undefined;
  #startHeight: number | undefined;
  #caughtUp = false;
  /** The store's chain was compared with the ledger's since the stream last (re)connected. */
  #chainChecked = false;
  #wake: (() => void) | undefined;
  readonly #waiters = new Set<{ block: number; resolve: (reached: boolean) => void }>();

  constructor(options: FollowerOptions) {
    this.#options = options;
  }

  get lastBlock(): number | undefined {
    return this.#lastBlock;
  }

  status(): FollowerStatus {
    if (!this.#caughtUp && this.#startHeight !== undefined) this.#caughtUp = (this.#lastBlock ?? -1) >= this.#startHeight - 1;
    return { running: this.#running, connected: this.#connected, caughtUp: this.#caughtUp, startHeight: this.#startHeight, lastBlock: this.#lastBlock, lastError: this.#lastError };
  }

  async start(): Promise<void> {
    if (this.#running) return;
    try {
      // Before readers see the checkpoint: an index of another chain must not answer for this one.
      await this.#checkChain();
    } catch (err) {
      this.#options.logger.warn({ err }, 'cannot read the ledger’s block 0 to compare with the index yet; comparing again before following blocks');
    }
    this.#lastBlock = await this.#options.store.lastBlock();
    try {
      this.#startHeight = await this.#options.source.height();
    } catch (err) {
      this.#options.logger.warn({ err }, 'cannot read the chain height; readiness will not wait for the index to catch up');
    }
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stream?.close();
    this.#wake?.();
    await this.#loop;
    for (const waiter of this.#waiters) waiter.resolve(false);
    this.#waiters.clear();
  }

  /** Resolves true once block `blockNumber` is indexed, false after `timeoutMs` or on stop. */
  waitForBlock(blockNumber: number, timeoutMs: number): Promise<boolean> {
    if (this.#lastBlock !== undefined && this.#lastBlock >= blockNumber) return Promise.resolve(true);
    if (!this.#running) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        block: blockNumber,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Resolves true once the index holds the chain as it stood when following started (at once when it does, or when that height is unknown). */
  waitCaughtUp(timeoutMs: number): Promise<boolean> {
    if (this.#startHeight === undefined || this.#startHeight === 0) return Promise.resolve(true);
    return this.waitForBlock(this.#startHeight - 1, timeoutMs);
  }

  async #run(): Promise<void> {
    const { retryMs = 500, maxRetryMs = 15_000, logger } = this.#options;
    let delay = retryMs;
    while (this.#running) {
      try {
        await this.#follow(() => {
          delay = retryMs;
        });
      } catch (err) {
        this.#lastError = err instanceof Error ? err.message : String(err);
        logger.warn({ err, lastBlock: this.#lastBlock, retryInMs: delay }, 'block stream failed; reconnecting');
      }
      this.#connected = false;
      this.#chainChecked = false;
      if (!this.#running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
      delay = Math.min(delay * 2, maxRetryMs);
    }
  }

  /**
   * An index built from another chain (the network was cleaned and recreated while the index stayed)
   * is dropped, so following starts again from block 0. Checked at start and on each reconnect.
   */
  async #checkChain(): Promise<void> {
    if (this.#chainChecked) return;
    const { source, store, logger } = this.#options;
    const chain = await compareChain(store, source);
    if (!chain.same) {
      const indexedThrough = await store.lastBlock();
      logger.warn(
        { indexChain: chain.index, ledgerChain: chain.ledger, indexedThrough },
        'the index was built from another chain (its block 0 differs from the ledger’s: was the network recreated?); dropping it and rebuilding from block 0',
      );
      await store.reset();
      this.#lastBlock = undefined;
    }
    this.#chainChecked = true;
  }

  async #follow(onProgress: () => void): Promise<void> {
    const { source, store, namespace, logger, onBlock } = this.#options;
    await this.#checkChain();
    // The store is the authority (a reindex may have reset it while the stream was down).
    this.#lastBlock = await store.lastBlock();
    const start = this.#lastBlock === undefined ? 0 : this.#lastBlock + 1;
    const stream = await source.blocks(start);
    this.#stream = stream;
    if (!this.#running) stream.close();
    this.#connected = true;
    logger.info({ startBlock: start }, 'following committed blocks');
    try {
      for await (const raw of stream) {
        const block = decodeBlock(raw);
        if (this.#lastBlock !== undefined && block.number <= this.#lastBlock) continue;
        const rows = rowsOfBlock(block, namespace);
        for (const problem of rows.problems) logger.error({ blockNumber: block.number }, `index: ${problem}`);
        await store.applyBlock(rows);
        this.#lastBlock = block.number;
        this.#lastError = undefined;
        onProgress();
        if (rows.decisions.length > 0) logger.debug({ blockNumber: block.number, decisions: rows.decisions.length }, 'indexed block');
        for (const waiter of this.#waiters) if (waiter.block <= block.number) waiter.resolve(true);
        onBlock?.(block.number);
        if (!this.#running) break;
      }
    } finally {
      stream.close();
      this.#stream = undefined;
    }
  }
}
