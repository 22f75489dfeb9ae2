// Compares an index with the ledger (a fresh replay of its blocks): decisions missing, extra or different, duplicate ids.
import type { DuplicateDecisionId, IndexedDecision, IndexStore, LedgerAnchor } from './store.js';

export type FindingKind = 'missing' | 'extra' | 'different' | 'duplicate';

export interface Finding {
  kind: FindingKind;
  decisionId: string;
  anchor: LedgerAnchor;
  /** What differs ('different'), or the other anchors of the id ('duplicate'). */
  detail: string;
}

export interface CheckReport {
  /** The last block both sides were compared through. */
  throughBlock: number | undefined;
  /** Decision rows compared on the ledger side. */
  ledgerDecisions: number;
  indexDecisions: number;
  findings: Finding[];
}

/** Fields that must agree between the index row and the ledger's record at the same anchor. */
const COMPARED = ['decisionId', 'modelId', 'modelVersion', 'recordedAt', 'decidedAt', 'subjectRef', 'outcomeLabel', 'ownerMsp', 'recordSha256'] as const;

const anchorKey = (a: LedgerAnchor): string =>
  `${String(a.blockNumber).padStart(16, '0')}:${String(a.txIndex).padStart(10, '0')}:${a.batchId}:${String(a.position).padStart(6, '0')}`;

/**
 * Walks both stores in ledger order (merge join on the anchor). `ledger` is an index rebuilt
 * from the peer's blocks through the same block as `index`; `findingLimit` caps the list.
 */
export async function compareIndexes(index: IndexStore, ledger: IndexStore, findingLimit = 1000): Promise<CheckReport> {
  const findings: Finding[] = [];
  const report = (finding: Finding): void => {
    if (findings.length < findingLimit) findings.push(finding);
  };
  const mine = index.scanDecisions()[Symbol.asyncIterator]();
  const truth = ledger.scanDecisions()[Symbol.asyncIterator]();
  let a = await mine.next();
  let b = await truth.next();
  let indexDecisions = 0;
  let ledgerDecisions = 0;
  while (!a.done || !b.done) {
    const ka = a.done ? undefined : anchorKey(a.value.anchor);
    const kb = b.done ? undefined : anchorKey(b.value.anchor);
    const side = ka === undefined ? 'ledger' : kb === undefined ? 'index' : ka < kb ? 'index' : kb < ka ? 'ledger' : 'both';
    if (side === 'index' && !a.done) {
      report({ kind: 'extra', decisionId: a.value.decisionId, anchor: a.value.anchor, detail: 'in the index but not on the ledger' });
      indexDecisions += 1;
      a = await mine.next();
    } else if (side === 'ledger' && !b.done) {
      report({ kind: 'missing', decisionId: b.value.decisionId, anchor: b.value.anchor, detail: 'on the ledger but not in the index' });
      ledgerDecisions += 1;
      b = await truth.next();
    } else if (!a.done && !b.done) {
      const differences = differencesOf(a.value, b.value);
      if (differences.length > 0) report({ kind: 'different', decisionId: b.value.decisionId, anchor: b.value.anchor, detail: differences.join('; ') });
      indexDecisions += 1;
      ledgerDecisions += 1;
      a = await mine.next();
      b = await truth.next();
    }
  }
  for (const duplicate of await ledger.duplicateDecisionIds()) report(duplicateFinding(duplicate));
  return { throughBlock: await ledger.lastBlock(), ledgerDecisions, indexDecisions, findings };
}

function differencesOf(indexed: IndexedDecision, onLedger: IndexedDecision): string[] {
  const out: string[] = [];
  for (const field of COMPARED) {
    if (indexed[field] !== onLedger[field]) out.push(`${field}: index ${JSON.stringify(indexed[field])}, ledger ${JSON.stringify(onLedger[field])}`);
  }
  if (indexed.anchor.txId !== onLedger.anchor.txId) out.push(`txId: index ${indexed.anchor.txId}, ledger ${onLedger.anchor.txId}`);
  const alerts = (d: IndexedDecision) => JSON.stringify(d.openDriftAlertIds);
  if (alerts(indexed) !== alerts(onLedger)) out.push(`openDriftAlertIds: index ${alerts(indexed)}, ledger ${alerts(onLedger)}`);
  if (indexed.occurrence !== onLedger.occurrence) out.push(`occurrence: index ${indexed.occurrence}, ledger ${onLedger.occurrence}`);
  return out;
}

function duplicateFinding(duplicate: DuplicateDecisionId): Finding {
  const [first, ...others] = duplicate.anchors;
  const where = (a: LedgerAnchor) => `block ${a.blockNumber} tx ${a.txIndex} batch ${a.batchId}[${a.position}]`;
  return {
    kind: 'duplicate',
    decisionId: duplicate.decisionId,
    anchor: first ?? { txId: '', blockNumber: -1, txIndex: -1, batchId: '', position: -1 },
    detail: `decision id appears ${duplicate.anchors.length} times on the ledger; also at ${others.map(where).join(', ')}`,
  };
}
