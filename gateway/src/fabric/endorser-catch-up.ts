// Read-your-own-writes across orgs: before a write is endorsed, every other org's peer must have
// committed the blocks this gateway's earlier writes went into.
//
// A write is endorsed by both orgs' peers, each reading its OWN state. The commit status the
// gateway waits for comes from its own org's peer, so a write that depends on the one before it
// (register a model, then record decisions against it) can reach the other org's peer while that
// peer is still a block behind, and be refused there (NOT_FOUND) although it is valid.

/** The chain height (blocks committed) of the peer of `mspId`. */
export type HeightReader = (mspId: string) => Promise<bigint>;

export interface CatchUpOptions {
  /** How long to wait for a lagging peer before endorsing anyway (its refusal then reaches the caller). */
  timeoutMs?: number;
  pollMs?: number;
  /** Called once per write that had to wait (for logs). */
  onWaited?: (event: { mspId: string; needed: bigint; height: bigint; waitedMs: number; caughtUp: boolean }) => void;
  /** Seams for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class EndorserCatchUp {
  readonly #options: CatchUpOptions;
  /** Highest block holding a write this gateway saw committed. */
  #committedThrough = -1n;
  /** Last height read of each peer: heights only grow, so a high enough one is never read again. */
  readonly #known = new Map<string, bigint>();

  constructor(options: CatchUpOptions) {
    this.#options = options;
  }

  /** Records that a write of this gateway committed in `blockNumber`, as the peer of `reportedBy` said (so it holds it). */
  committed(blockNumber: bigint, reportedBy?: string): void {
    if (blockNumber > this.#committedThrough) this.#committedThrough = blockNumber;
    if (reportedBy !== undefined) this.#remember(reportedBy, blockNumber + 1n);
  }

  get committedThrough(): bigint {
    return this.#committedThrough;
  }

  /**
   * Resolves when each of `peers` has a height above the last block this gateway committed, or
   * when the timeout passed (never rejects: a peer that cannot be read is left to the endorsement).
   */
  async wait(peers: readonly string[], heightOf: HeightReader): Promise<void> {
    const needed = this.#committedThrough;
    if (needed < 0n) return;
    await Promise.all(peers.map((mspId) => this.#waitFor(mspId, needed, heightOf)));
  }

  async #waitFor(mspId: string, needed: bigint, heightOf: HeightReader): Promise<void> {
    if ((this.#known.get(mspId) ?? -1n) > needed) return;
    const { timeoutMs = 3_000, pollMs = 25 } = this.#options;
    const sleep = this.#options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const now = this.#options.now ?? Date.now;
    const started = now();
    let height = -1n;
    for (let polls = 0; ; polls++) {
      try {
        height = await heightOf(mspId);
        this.#remember(mspId, height);
      } catch {
        // Unreadable peer: leave the verdict to the endorsement itself.
        return;
      }
      if (height > needed) {
        if (polls > 0) this.#options.onWaited?.({ mspId, needed, height, waitedMs: now() - started, caughtUp: true });
        return;
      }
      if (now() - started >= timeoutMs) {
        this.#options.onWaited?.({ mspId, needed, height, waitedMs: now() - started, caughtUp: false });
        return;
      }
      await sleep(pollMs);
    }
  }

  #remember(mspId: string, height: bigint): void {
    if (height > (this.#known.get(mspId) ?? -1n)) this.#known.set(mspId, height);
  }
}
