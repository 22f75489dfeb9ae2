// The bundle's blocks seen from the records: each transaction decoded and verified once, each batch write split into records once.
import { batchRecordSpans, JsonSpanError, memberValueStart, type PausedWalk, type Span } from '../json-span.js';
import type { ParsedBlock } from '../fabric/block.js';
import { decodeTransaction, TransactionDecodeError, type DecodedTransaction } from '../fabric/transaction.js';
import { shortTx } from '../report.js';
import type { LedgerEvidence } from './block-check.js';
import { verifyTransaction, type TransactionVerdict } from './transaction-check.js';

/** The chaincode's composite key of a decision batch (chaincode/src/ledger/keys.ts: objectType `batch`). */
export const batchKey = (batchId: string): string => `\u0000batch\u0000${batchId}\u0000`;

const BATCH_PREFIX = '\u0000batch\u0000';

const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

/**
 * One decision batch write. Records are matched in position order without scanning the value
 * (each must sit right after the previous one and be followed by ',' or ']'); anything else falls
 * back to the record spans, computed once. When the sequential match reaches the array's end, the
 * members after it are checked as the spans would be (no repeated name, nothing after the object),
 * so both ways read a value the same or refuse it.
 */
export class BatchWrite {
  readonly batchId: string;
  readonly value: Buffer;
  #problem: string | undefined;
  #spans: Span[] | undefined;
  #next = 0;
  #nextStart: number | undefined;
  #walk: PausedWalk | undefined;
  #closed = false;

  constructor(batchId: string, value: Uint8Array, problem: string | undefined, where: string) {
    this.batchId = batchId;
    this.value = Buffer.from(value.buffer, value.byteOffset, value.length);
    this.#problem = problem;
    if (problem !== undefined) return;
    try {
      const walk = memberValueStart(this.value, 'decisions');
      if (walk === undefined || this.value[walk.valueStart] !== 0x5b) throw new JsonSpanError('the batch value has no "decisions" array');
      this.#walk = walk;
      this.#nextStart = walk.valueStart + 1;
    } catch (err) {
      this.#problem = notABatch(`${where}: batch ${batchId}`, err);
    }
  }

  /** Why the value cannot be read as a batch, if it cannot. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** True when `source` bytes [start, end) are exactly the record at `position`, found by the sequential fast path. */
  matchNext(position: number, source: Buffer, start: number, end: number): boolean {
    const at = this.#nextStart;
    if (at === undefined || position !== this.#next || this.#closed) return false;
    const after = at + end - start;
    const next = this.value[after];
    if ((next !== COMMA && next !== CLOSE_BRACKET) || this.value.compare(source, start, end, at, after) !== 0) return false;
    if (next === CLOSE_BRACKET) {
      try {
        this.#walk?.finish(after + 1);
      } catch (err) {
        this.#problem = notABatch(`batch ${this.batchId}`, err);
        this.#nextStart = undefined;
        return false;
      }
    }
    this.#next = position + 1;
    this.#nextStart = after + 1;
    this.#closed = next === CLOSE_BRACKET;
    return true;
  }

  /** When positions 0…n−1 all matched in order and the array ends there: how many records the batch holds. */
  get coveredCount(): number | undefined {
    return this.#closed ? this.#next : undefined;
  }

  /** Each record's bytes by position; undefined when the value is not a batch. */
  spans(): readonly Span[] | undefined {
    if (this.#spans === undefined && this.#problem === undefined) {
      try {
        this.#spans = batchRecordSpans(this.value);
      } catch (err) {
        this.#problem = notABatch(`batch ${this.batchId}`, err);
      }
    }
    return this.#spans;
  }
}

const notABatch = (what: string, err: unknown): string => `${what} is not a decision batch (${err instanceof JsonSpanError ? err.message : 'not JSON'})`;

type Decoded = { ok: true; tx: DecodedTransaction } | { ok: false; problem: string };

export class LedgerView {
  readonly #evidence: LedgerEvidence;
  readonly #namespace: string;
  readonly #decoded = new Map<string, Decoded>();
  readonly #verdicts = new Map<string, TransactionVerdict>();
  readonly #writes = new Map<string, BatchWrite[]>();

  constructor(evidence: LedgerEvidence, namespace: string) {
    this.#evidence = evidence;
    this.#namespace = namespace;
  }

  block(blockNumber: number): ParsedBlock | undefined {
    return this.#evidence.blocks.get(blockNumber);
  }

  /** Problems of the block and of the config block in force for it. */
  inherited(blockNumber: number): readonly string[] {
    const block = this.block(blockNumber);
    const own = this.#evidence.blockProblems.get(blockNumber) ?? [];
    const config = block?.lastConfig === undefined ? [] : (this.#evidence.blockProblems.get(block.lastConfig) ?? []);
    return config.length === 0 ? own : [...own, ...config];
  }

  transaction(blockNumber: number, txIndex: number): Decoded {
    const key = `${blockNumber}:${txIndex}`;
    let decoded = this.#decoded.get(key);
    if (decoded === undefined) {
      const envelope = this.block(blockNumber)?.envelopes[txIndex];
      if (envelope === undefined) decoded = { ok: false, problem: `block ${blockNumber} has no transaction ${txIndex}` };
      else {
        try {
          decoded = { ok: true, tx: decodeTransaction(envelope, txIndex) };
        } catch (err) {
          decoded = { ok: false, problem: `block ${blockNumber} transaction ${txIndex}: ${err instanceof TransactionDecodeError ? err.message : 'cannot be decoded'}` };
        }
      }
      this.#decoded.set(key, decoded);
    }
    return decoded;
  }

  /** The transaction's verification, done once. */
  verdict(blockNumber: number, tx: DecodedTransaction): TransactionVerdict {
    const key = `${blockNumber}:${tx.index}`;
    let verdict = this.#verdicts.get(key);
    if (verdict === undefined) {
      const block = this.block(blockNumber);
      const config = block?.lastConfig === undefined ? undefined : this.#evidence.configs.get(block.lastConfig);
      verdict =
        block === undefined || config === undefined
          ? { problems: [`tx ${shortTx(tx.txId)} block ${blockNumber}: no valid config block to check its endorsements against`], endorsedBy: [] }
          : verifyTransaction(block, tx, config);
      this.#verdicts.set(key, verdict);
    }
    return verdict;
  }

  get verdicts(): ReadonlyMap<string, TransactionVerdict> {
    return this.#verdicts;
  }

  /** The decision batch writes of the chaincode's namespace in one transaction. */
  batchWrites(blockNumber: number, tx: DecodedTransaction): readonly BatchWrite[] {
    const key = `${blockNumber}:${tx.index}`;
    let writes = this.#writes.get(key);
    if (writes === undefined) {
      writes = [];
      for (const action of tx.actions) {
        for (const write of action.writes.get(this.#namespace) ?? []) {
          if (!write.key.startsWith(BATCH_PREFIX) || !write.key.endsWith('\u0000')) continue;
          const batchId = write.key.slice(BATCH_PREFIX.length, -1);
          if (batchId.includes('\u0000')) continue;
          const where = `tx ${shortTx(tx.txId)} block ${blockNumber}`;
          writes.push(new BatchWrite(batchId, write.value, write.isDelete ? `${where} deletes batch ${batchId}` : undefined, where));
        }
      }
      this.#writes.set(key, writes);
    }
    return writes;
  }
}
