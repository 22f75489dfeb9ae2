// A batch write read two ways (records matched in order, or cut into spans) gives one answer, or refuses the value both ways.
import { describe, expect, it } from 'vitest';
import { BatchWrite } from './ledger-view.js';

const records = ['{"decisionId":"d1"}', '{"decisionId":"d2"}'];
const value = (text: string): Buffer => Buffer.from(text, 'utf8');
const source = Buffer.from(records.join(''), 'utf8');

/** Matches every record in order, as the verifier does for a whole exported batch; true when all matched. */
function matchAll(write: BatchWrite): boolean {
  let offset = 0;
  return records.every((record, position) => {
    const matched = write.matchNext(position, source, offset, offset + record.length);
    offset += record.length;
    return matched;
  });
}

describe('BatchWrite', () => {
  it('matches a well-formed batch in order and counts its records', () => {
    const write = new BatchWrite('b', value(`{"batchId":"b","decisions":[${records.join(',')}],"txId":"t"}`), undefined, 'here');
    expect(matchAll(write)).toBe(true);
    expect(write.coveredCount).toBe(2);
    expect(write.problem).toBeUndefined();
  });

  it.each([
    ['a second "decisions" member after the matched one', `{"batchId":"b","decisions":[${records.join(',')}],"decisions":[{"decisionId":"other"}]}`, /"decisions" appears twice/],
    ['bytes after the object', `{"batchId":"b","decisions":[${records.join(',')}]}{"x":1}`, /after the object/],
  ])('refuses %s when the in-order match reaches the end, as the spans do', (_name, text, reason) => {
    const matched = new BatchWrite('b', value(text), undefined, 'here');
    expect(matchAll(matched)).toBe(false);
    expect(matched.coveredCount).toBeUndefined();
    expect(matched.problem).toMatch(reason);
    expect(matched.spans()).toBeUndefined();
    const cut = new BatchWrite('b', value(text), undefined, 'here');
    expect(cut.spans()).toBeUndefined();
    expect(cut.problem).toMatch(reason);
  });

  it('refuses a repeated member before "decisions" at once', () => {
    const write = new BatchWrite('b', value(`{"batchId":"b","batchId":"c","decisions":[${records.join(',')}]}`), undefined, 'here');
    expect(write.problem).toMatch(/"batchId" appears twice/);
    expect(matchAll(write)).toBe(false);
  });
});
