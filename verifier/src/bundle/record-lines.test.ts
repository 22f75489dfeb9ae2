// records.ndjson read line by line: each line's anchor, the record members checked, and where its record bytes are.
import { describe, expect, it } from 'vitest';
import { file, fixtureFiles } from '../testing/fixture.js';
import { filterFields } from './filter.js';
import { recordLine } from './layout.js';
import { readRecordLines, type RecordLine } from './record-lines.js';

const linesOf = (ndjson: Buffer): RecordLine[] => {
  const lines: RecordLine[] = [];
  readRecordLines(ndjson, (line) => lines.push(line));
  return lines;
};

const ndjson = file(fixtureFiles(), 'records.ndjson');

describe('readRecordLines', () => {
  it('reads each line: its anchor, the record decisionId and filter members, where its record starts; repeated ids are kept once', () => {
    const lines = linesOf(ndjson);
    expect(lines).toHaveLength(7);
    const [first] = lines;
    if (first?.kind !== 'record') throw new Error('expected a record line');
    const parsed = JSON.parse(ndjson.subarray(first.start, first.end).toString());
    expect(first.anchor).toEqual({ batchId: parsed.batchId, blockNumber: parsed.blockNumber, decisionId: parsed.decisionId, position: parsed.position, txId: parsed.txId, txIndex: parsed.txIndex });
    expect(first.decisionId).toBe(parsed.record.decisionId);
    expect(first.filterFields).toEqual(filterFields(parsed.record));
    expect(ndjson.subarray(first.recordStart, first.end - 1).toString()).toBe(JSON.stringify(parsed.record));
    const second = lines[1];
    expect(second?.kind === 'record' && second.anchor.txId).toBe(first.anchor.txId);
  });

  it('tells lines that are not JSON from lines that lack an anchor or a record, and keeps empty lines', () => {
    const text = Buffer.from('{"a":1}\nnot json\n\n{"batchId":"b","blockNumber":1,"decisionId":"d","position":0,"txId":"t","txIndex":0,"record":7}\n');
    expect(linesOf(text).map((l) => [l.kind, l.start, l.end])).toEqual([
      ['incomplete', 0, 7],
      ['not-json', 8, 16],
      ['not-json', 17, 17],
      ['incomplete', 18, text.length - 1],
    ]);
    expect(linesOf(Buffer.from('{"a":1}')).map((l) => l.kind)).toEqual(['incomplete']);
    expect(linesOf(Buffer.alloc(0))).toEqual([]);
  });

  it('finds the record bytes behind non-ASCII ids, and guesses nothing when there is no record member text', () => {
    const anchor = { decisionId: 'déc-1', txId: 't', blockNumber: 4, txIndex: 0, batchId: 'bätch', position: 2 };
    const line = recordLine(anchor, Buffer.from('{"decisionId":"déc-1","modelId":"m"}'));
    const [read] = linesOf(line);
    if (read?.kind !== 'record') throw new Error('expected a record line');
    expect(line.subarray(read.recordStart, read.end - 1).toString()).toBe('{"decisionId":"déc-1","modelId":"m"}');
    const escaped = Buffer.from('{"batchId":"b","blockNumber":1,"decisionId":"d","position":0,"txId":"t","txIndex":0,"rec\\u006frd":{}}');
    expect(linesOf(escaped)[0]).toMatchObject({ kind: 'record', recordStart: -1 });
  });
});
