// An in-memory stand-in for the decisions contract behind the Ledger seam: batches, refusals, delays, crashes.
import { canonicalJson, conflict, countModelVersions, DecisionBatchInput, notFound, TRANSIENT_BATCH_KEY, preconditionFailed, type DecisionBatch } from '@aiaudit/chaincode/domain';
import { keys } from '@aiaudit/chaincode/keys';
import type { EvaluateOptions, FabricSigner, Ledger, SubmitOptions, SubmitReceipt } from '../../gateway/src/fabric/ledger.js';
import type { BlockSource, BlockStream } from '../../gateway/src/index/block-source.js';
import { syntheticBlock } from './synthetic-blocks.js';

export interface CommittedBatch {
  batch: DecisionBatch;
  blockNumber: number;
}

/** RecordDecisions / GetDecisionBatch with the chaincode's rules that matter to the pipeline. */
export class FakeDecisionLedger implements Ledger {
  readonly committed = new Map<string, CommittedBatch>();
  /** Every RecordDecisions call: batch id and decision ids, in call order. */
  readonly calls: { batchId: string; decisionIds: string[] }[] = [];
  /** Model versions (`modelId@version`) whose decisions are refused, as for a suspended model. */
  readonly suspended = new Set<string>();
  /** Errors thrown by the next RecordDecisions calls, before anything is written. */
  readonly failNext: unknown[] = [];
  delayMs = 0;
  /** Commit, then never answer (the gateway dies before it learns the outcome). */
  hangAfterCommit = false;
  inFlight = 0;
  maxInFlight = 0;
  #block = 100;
  readonly #byBlock = new Map<number, CommittedBatch>();
  readonly #listeners = new Set<() => void>();

  /** Blocks 0..100 are empty; each commit adds one block. */
  get height(): number {
    return this.#block + 1;
  }

  batchAt(blockNumber: number): CommittedBatch | undefined {
    return this.#byBlock.get(blockNumber);
  }

  onCommit(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async submit<T = unknown>(who: FabricSigner, contract: string, transaction: string, args: string[], options?: SubmitOptions): Promise<SubmitReceipt<T>> {
    if (contract !== 'decisions' || transaction !== 'RecordDecisions') throw new Error(`unexpected ${contract}:${transaction}`);
    // As the chaincode does: an empty argument means the batch travels in the transient map.
    const text = args[0] === '' ? Buffer.from(options?.transient?.[TRANSIENT_BATCH_KEY] ?? []).toString('utf8') : (args[0] ?? '');
    const input = DecisionBatchInput.parse(JSON.parse(text));
    this.calls.push({ batchId: input.batchId, decisionIds: input.decisions.map((d) => d.decisionId) });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const failure = this.failNext.shift();
      if (failure !== undefined) throw failure;
      if (this.committed.has(input.batchId)) throw conflict('batchId', `batch ${input.batchId} is already committed; a batch id is never reused`);
      input.decisions.forEach((d, i) => {
        if (this.suspended.has(`${d.modelId}@${d.modelVersion}`)) throw preconditionFailed(`decisions[${i}].modelVersion`, `model version ${d.modelId}@${d.modelVersion} is suspended: decisions are refused`);
      });
      const txId = `tx-${this.#block + 1}`;
      const recordedAt = new Date().toISOString();
      const batch: DecisionBatch = {
        batchId: input.batchId,
        txId,
        recordedAt,
        ownerMsp: who.mspId,
        recordedBy: `x509::/CN=${who.fabricUser}::/CN=ca`,
        modelVersions: countModelVersions(input.decisions),
        decisions: input.decisions.map((d) => ({ ...d, recordedAt, ownerMsp: who.mspId, recordedBy: `x509::/CN=${who.fabricUser}::/CN=ca`, openDriftAlertIds: [] })),
      };
      this.#block += 1;
      this.committed.set(input.batchId, { batch, blockNumber: this.#block });
      this.#byBlock.set(this.#block, { batch, blockNumber: this.#block });
      for (const listener of this.#listeners) listener();
      if (this.hangAfterCommit) await new Promise(() => undefined);
      const result: unknown = { batchId: batch.batchId, txId, decisionIds: batch.decisions.map((d) => d.decisionId) };
      return { result: result as T, txId, blockNumber: String(this.#block) };
    } finally {
      this.inFlight -= 1;
    }
  }

  async evaluate<T = unknown>(_who: FabricSigner, contract: string, transaction: string, args: string[], _options?: EvaluateOptions): Promise<T> {
    if (contract !== 'decisions' || transaction !== 'GetDecisionBatch') throw new Error(`unexpected ${contract}:${transaction}`);
    const found = this.committed.get(args[0] ?? '');
    if (found === undefined) throw notFound('batchId', `batch ${args[0]} is not on the ledger`);
    const batch: unknown = found.batch;
    return batch as T;
  }

  close(): void {}

  /** Decision ids on the "ledger", in commit order (a duplicate would show twice). */
  decisionIds(): string[] {
    return [...this.committed.values()].flatMap((c) => c.batch.decisions.map((d) => d.decisionId));
  }
}

/** The fake ledger's blocks as a BlockSource: one RecordDecisions transaction per committed batch, empty blocks otherwise. */
export function fakeBlockSource(fake: FakeDecisionLedger, namespace = 'aiaudit'): BlockSource {
  return {
    async blocks(start: number): Promise<BlockStream> {
      let closed = false;
      let wake: (() => void) | undefined;
      const off = fake.onCommit(() => wake?.());
      async function* generate() {
        for (let n = start; !closed; n++) {
          while (!closed && n >= fake.height) await new Promise<void>((resolve) => (wake = resolve));
          if (closed) return;
          yield blockOf(fake.batchAt(n), n, namespace).serializeBinary();
        }
      }
      return {
        [Symbol.asyncIterator]: generate,
        close() {
          closed = true;
          off();
          wake?.();
        },
      };
    },
    height: async () => fake.height,
    close: () => undefined,
  };
}

function blockOf(committed: CommittedBatch | undefined, n: number, namespace: string) {
  if (committed === undefined) return syntheticBlock(n, []);
  const { batch } = committed;
  const receipt = { batchId: batch.batchId, txId: batch.txId, recordedAt: batch.recordedAt, ownerMsp: batch.ownerMsp, decisionIds: batch.decisions.map((d) => d.decisionId), modelVersions: batch.modelVersions };
  return syntheticBlock(n, [{
    txId: batch.txId,
    creatorMspId: batch.ownerMsp,
    namespaces: [{ namespace, writes: [{ key: keys.batch(batch.batchId), value: canonicalJson(batch) }] }],
    event: { chaincodeId: namespace, name: 'DecisionsRecorded', payload: receipt },
  }]);
}
