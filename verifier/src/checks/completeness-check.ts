// Completeness within the evidence: every decision of a VALID batch write in the bundle's blocks that matches the filter is exported.
import { TxValidationCode } from '@hyperledger/fabric-protos/lib/peer/transaction_pb.js';
import type { Manifest } from '../bundle/layout.js';
import { filterMismatch } from '../bundle/filter.js';
import { shortTx, type Findings } from '../report.js';
import { writeKey, type ExportedRecords } from './record-check.js';
import type { LedgerView } from './ledger-view.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A decision's places on the ledger, kept compact: strings are built only for the ids that repeat. */
class Places {
  readonly #first = new Map<string, number>();
  readonly #places: { blockNumber: number; txId: string; position: number }[] = [];
  readonly #repeats = new Map<string, number[]>();

  add(decisionId: string, blockNumber: number, txId: string, position: number): void {
    const index = this.#places.push({ blockNumber, txId, position }) - 1;
    const first = this.#first.get(decisionId);
    if (first === undefined) this.#first.set(decisionId, index);
    else this.#repeats.set(decisionId, [...(this.#repeats.get(decisionId) ?? [first]), index]);
  }

  *repeated(): Generator<[string, string[]]> {
    for (const [decisionId, indexes] of this.#repeats) {
      yield [decisionId, indexes.flatMap((i) => this.#places[i] ?? []).map((p) => `block ${p.blockNumber} tx ${shortTx(p.txId)} position ${p.position}`)];
    }
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
          for (const [position, decisionId] of lines) places.add(decisionId, blockNumber, decoded.tx.txId, position);
          continue;
        }
        write.spans()?.forEach((span, position) => {
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
