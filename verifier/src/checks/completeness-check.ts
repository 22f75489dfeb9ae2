// Completeness within the evidence: every decision of a VALID batch write in the bundle's blocks that matches the filter is exported.
import type { Manifest } from '../bundle/layout.js';
import { filterMismatch } from '../bundle/filter.js';
import { TxValidationCode } from '../fabric/messages.js';
import { shortTx, type Findings } from '../report.js';
import { writeKey, type ExportedRecords } from './record-check.js';
import type { LedgerView } from './ledger-view.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decisions' places on the ledger, to find ids at more than one place. Places are kept by the run (a
 * whole batch's exported records at once) and their ids are checked for repeats by a Set, natively;
 * only when there is one are the places walked to name them.
 */
class Places {
  readonly #runs: { blockNumber: number; txId: string; decisions: ReadonlyMap<number, string> }[] = [];

  /** The decisions of one batch write (position → decisionId). */
  addRun(blockNumber: number, txId: string, decisions: ReadonlyMap<number, string>): void {
    this.#runs.push({ blockNumber, txId, decisions });
  }

  add(decisionId: string, blockNumber: number, txId: string, position: number): void {
    this.addRun(blockNumber, txId, new Map([[position, decisionId]]));
  }

  /** Each decision id found at more than one place with its places, ids in the order their second place was added. */
  repeated(): [string, string[]][] {
    const ids = this.#runs.flatMap((run) => [...run.decisions.values()]);
    if (new Set(ids).size === ids.length) return [];
    const places = new Map<string, string[]>();
    const repeats: string[] = [];
    for (const { blockNumber, txId, decisions } of this.#runs) {
      for (const [position, decisionId] of decisions) {
        const place = `block ${blockNumber} tx ${shortTx(txId)} position ${position}`;
        const where = places.get(decisionId);
        if (where === undefined) places.set(decisionId, [place]);
        else if (where.push(place) === 2) repeats.push(decisionId);
      }
    }
    return repeats.map((decisionId) => [decisionId, places.get(decisionId) ?? []]);
  }
}

/**
 * Reports matching decisions missing from records.ndjson, and (as warnings) blocks holding no
 * exported record and decision ids that appear at more than one ledger position.
 */
export function checkCompleteness(blockNumbers: readonly number[], manifest: Manifest, view: LedgerView, exported: ExportedRecords, findings: Findings): void {
  const places = new Places();
  for (const blockNumber of [...blockNumbers].sort((a, b) => a - b)) {
    const block = view.block(blockNumber);
    if (block === undefined) continue;
    let holdsExported = false;
    for (let txIndex = 0; txIndex < block.envelopes.length; txIndex++) {
      if (block.validationCodes[txIndex] !== TxValidationCode.VALID) continue;
      const decoded = view.transaction(blockNumber, txIndex);
      if (!decoded.ok) continue;
      for (const write of view.batchWrites(blockNumber, decoded.tx)) {
        const lines = exported.get(writeKey({ blockNumber, txIndex, batchId: write.batchId }));
        const covered = write.coveredCount;
        if (covered !== undefined && lines?.size === covered) {
          // Every record of the batch was matched in order: nothing to parse.
          holdsExported = true;
          places.addRun(blockNumber, decoded.tx.txId, lines);
          continue;
        }
        const spans = write.spans();
        // With exported lines, the record check has reported why the write cannot be read.
        if (spans === undefined && lines === undefined) findings.fail('record', write.problem ?? `batch ${write.batchId} at block ${blockNumber} cannot be read`);
        spans?.forEach((span, position) => {
          // Exported records were read (and checked) from their lines; only the others are parsed here.
          let decisionId = lines?.get(position);
          if (decisionId !== undefined) holdsExported = true;
          else {
            let decision: unknown;
            try {
              decision = JSON.parse(utf8.decode(write.value.subarray(span.start, span.end)));
            } catch {
              return;
            }
            decisionId = typeof decision === 'object' && decision !== null ? String(Reflect.get(decision, 'decisionId')) : '?';
            if (filterMismatch(decision, manifest.filter, manifest.ownerMsp) === undefined) {
              findings.fail('record', `decision ${decisionId} at block ${blockNumber} tx ${shortTx(decoded.tx.txId)} position ${position} matches the export's filter but is missing from records.ndjson`);
            }
          }
          places.add(decisionId, blockNumber, decoded.tx.txId, position);
        });
      }
    }
    if (!holdsExported) findings.warn(`block ${blockNumber} holds none of the exported records`);
  }
  for (const [decisionId, where] of places.repeated()) findings.warn(`decision ${decisionId} appears ${where.length} times on the ledger: ${where.join('; ')}`);
}
