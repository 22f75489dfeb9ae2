// Batch-level decision queries: by model version and ledger time (day-bucketed), and by day, paged by batch.
import type { DecisionBatch } from '../domain/decision.js';
import type { DecisionBatchMatch, DecisionPage, DecisionsByDayQuery, DecisionsByModelQuery } from '../domain/queries.js';
import { BatchIndexEntry, getBatch } from './decision-store.js';
import { internalError } from '../domain/errors.js';
import { KeyType } from './keys.js';
import { collect, decodeCursor, encodeCursor, type IndexEntry, type Verdict } from './pages.js';
import { decodeValue } from './state.js';
import { dayOf, type Stub } from './stub.js';

/** How many empty days one page may step over before it hands back a bookmark. */
export const MAX_DAYS_PER_PAGE = 400;

const DAY_MS = 86_400_000;
const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** Attribute positions in batch-by-model keys: modelId, version, day, txTime, batchId. */
const MODEL_TX_TIME = 3;

function timeJudge(position: number, from: number, to: number): (entry: IndexEntry) => Verdict {
  return (entry) => {
    const time = Date.parse(entry.attributes[position] ?? '');
    if (time > to) return 'stop';
    return time >= from ? 'take' : 'skip';
  };
}

/**
 * Decisions of one model version whose batch was recorded in [from, to]. Without `from` the
 * version's index is read from its start; with `from` it is read day by day, so old data
 * costs nothing. Without `to` the range is open; the day-by-day scan then ends the day after
 * the query's own ledger time (client clocks may differ a little). Pages count batches.
 */
export async function queryByModel(stub: Stub, query: DecisionsByModelQuery, now: string): Promise<DecisionPage> {
  const cursor = decodeCursor(query.bookmark);
  const from = query.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(query.from);
  const to = query.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(query.to);
  const judge = timeJudge(MODEL_TX_TIME, from, to);
  const prefix = [query.modelId, query.modelVersion];
  let entries: IndexEntry[];
  let bookmark = '';
  if (query.from === undefined) {
    const page = await collect(stub, KeyType.batchByModel, prefix, query.pageSize, cursor?.b ?? '', judge);
    entries = page.entries;
    if (page.bookmark !== '') bookmark = encodeCursor({ b: page.bookmark });
  } else {
    entries = [];
    const lastDay = query.to === undefined ? nextDay(dayOf(now)) : dayOf(query.to);
    let day = cursor?.d ?? dayOf(query.from);
    let resume = cursor?.b ?? '';
    let stopped = false;
    for (let steps = 0; day <= lastDay && entries.length < query.pageSize && steps < MAX_DAYS_PER_PAGE; steps++) {
      const page = await collect(stub, KeyType.batchByModel, [...prefix, day], query.pageSize - entries.length, resume, judge);
      entries.push(...page.entries);
      if (page.stopped) {
        stopped = true;
        break;
      }
      if (page.bookmark !== '') {
        resume = page.bookmark;
        break;
      }
      day = nextDay(day);
      resume = '';
    }
    if (!stopped && day <= lastDay) bookmark = encodeCursor({ d: day, b: resume });
  }
  const batches = await loadMatches(stub, entries, (d) => d.modelId === query.modelId && d.modelVersion === query.modelVersion);
  return { batches, bookmark };
}

/** Decisions recorded on one UTC day, in ledger-time order; `readable` filters by owning org. */
export async function queryByDay(stub: Stub, query: DecisionsByDayQuery, readable: (ownerMsp: string) => boolean): Promise<DecisionPage> {
  const cursor = decodeCursor(query.bookmark);
  const judge = (entry: IndexEntry): Verdict => (readable(decodeValue(BatchIndexEntry, entry.value, entry.key).ownerMsp) ? 'take' : 'skip');
  const page = await collect(stub, KeyType.batchByDay, [query.day], query.pageSize, cursor?.b ?? '', judge);
  const batches = await loadMatches(stub, page.entries, () => true);
  return { batches, bookmark: page.bookmark === '' ? '' : encodeCursor({ b: page.bookmark }) };
}

async function loadMatches(
  stub: Stub,
  entries: readonly IndexEntry[],
  matches: (decision: DecisionBatch['decisions'][number]) => boolean,
): Promise<DecisionBatchMatch[]> {
  const result: DecisionBatchMatch[] = [];
  for (const entry of entries) {
    const { batchId } = decodeValue(BatchIndexEntry, entry.value, entry.key);
    const batch = await getBatch(stub, batchId);
    if (batch === undefined) throw internalError(`index entry for batch ${batchId} has no batch`);
    const decisions = batch.decisions.flatMap((decision, position) => (matches(decision) ? [{ position, decision }] : []));
    result.push({ batchId, txId: batch.txId, recordedAt: batch.recordedAt, ownerMsp: batch.ownerMsp, decisions });
  }
  return result;
}
