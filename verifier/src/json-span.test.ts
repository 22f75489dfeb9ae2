// Byte spans of JSON values: exact record bytes are cut out of batch values without re-serialising them.
import { describe, expect, it } from 'vitest';
import { arrayElements, batchRecordSpans, JsonSpanError, objectMembers } from './json-span.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const cut = (buffer: Buffer, span: { start: number; end: number }): string => buffer.subarray(span.start, span.end).toString('utf8');

describe('json spans', () => {
  it('cuts each record of a batch value exactly, escapes, nesting and unicode included', () => {
    const records = ['{"a":1,"b":"x\\"}y","c":[1,{"d":"]"}]}', '{"n":"日本語 \\\\"}', '{}'];
    const value = bytes(`{"batchId":"b","decisions":[${records.join(',')}],"txId":"t"}`);
    expect(batchRecordSpans(value).map((s) => cut(value, s))).toEqual(records);
  });

  it('takes the last "decisions" member, as JSON.parse does', () => {
    const value = bytes('{"decisions":[{"first":1}],"decisions":[{"last":2},{"last":3}]}');
    expect(batchRecordSpans(value).map((s) => cut(value, s))).toEqual(JSON.parse(value.toString('utf8')).decisions.map((r: object) => JSON.stringify(r)));
  });

  it('tolerates whitespace and reads members by name', () => {
    const value = bytes('{ "x" : [ 1 , true , null , "s" ] , "y" : -1.5e3 }');
    const members = objectMembers(value);
    expect([...members.keys()]).toEqual(['x', 'y']);
    expect(arrayElements(value, members.get('x')!).map((s) => cut(value, s))).toEqual(['1', 'true', 'null', '"s"']);
    expect(cut(value, members.get('y')!)).toBe('-1.5e3');
  });

  it.each([
    ['{"decisions":[{"a":1}', /unterminated/],
    ['{"decisions":[1 2]}', /expected ',' or '\]'/],
    ['{"other":[]}', /no "decisions" member/],
    ['[1]', /expected an object/],
    ['{"decisions":"unterminated}', /expected an array/],
    ['{"batchId":"never ends', /unterminated string/],
    ['{"decisions":[{"a":"x}]}', /unterminated string/],
    ['{"decisions":[1,', /unterminated array/],
  ])('refuses %s', (text, message) => {
    expect(() => batchRecordSpans(bytes(text))).toThrow(JsonSpanError);
    expect(() => batchRecordSpans(bytes(text))).toThrow(message);
  });
});
