// Byte spans of JSON values: exact record bytes are cut out of batch values without re-serialising them.
import { describe, expect, it } from 'vitest';
import { arrayElements, batchRecordSpans, JsonSpanError, memberValueStart, objectMembers } from './json-span.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const cut = (buffer: Buffer, span: { start: number; end: number }): string => buffer.subarray(span.start, span.end).toString('utf8');

describe('json spans', () => {
  it('cuts each record of a batch value exactly, escapes, nesting and unicode included', () => {
    const records = ['{"a":1,"b":"x\\"}y","c":[1,{"d":"]"}]}', '{"n":"日本語 \\\\"}', '{}'];
    const value = bytes(`{"batchId":"b","decisions":[${records.join(',')}],"txId":"t"}`);
    expect(batchRecordSpans(value).map((s) => cut(value, s))).toEqual(records);
  });

  it('refuses a top-level member name that appears twice: readers disagree about which one counts', () => {
    for (const text of ['{"decisions":[{"first":1}],"decisions":[{"last":2}]}', '{"batchId":"a","decisions":[],"batchId":"b"}']) {
      expect(() => batchRecordSpans(bytes(text))).toThrow(/appears twice/);
      expect(() => objectMembers(bytes(text))).toThrow(/appears twice/);
    }
  });

  it('refuses bytes after the object, and accepts whitespace there', () => {
    expect(() => batchRecordSpans(bytes('{"decisions":[]} {"decisions":[1]}'))).toThrow(/after the object/);
    expect(batchRecordSpans(bytes('{"decisions":[{}]}\n '))).toHaveLength(1);
  });

  it('pauses a walk at a member and finishes it with the same checks', () => {
    const text = '{"batchId":"b","decisions":[{"a":1}],"txId":"t"}';
    const walk = memberValueStart(bytes(text), 'decisions');
    expect(walk?.valueStart).toBe(text.indexOf('['));
    expect(() => walk?.finish(text.indexOf(']') + 1)).not.toThrow();
    const twice = '{"batchId":"b","decisions":[{"a":1}],"decisions":[]}';
    const paused = memberValueStart(bytes(twice), 'decisions');
    expect(() => paused?.finish(twice.indexOf(']') + 1)).toThrow(/"decisions" appears twice/);
    expect(() => memberValueStart(bytes('{"batchId":"a","batchId":"b","decisions":[]}'), 'decisions')).toThrow(/"batchId" appears twice/);
    expect(memberValueStart(bytes('{"batchId":"a"}'), 'decisions')).toBeUndefined();
  });

  it('reads escaped member names as JSON does, and refuses a raw control character in one', () => {
    expect([...objectMembers(bytes('{"a\\"b":1,"\\u00e9t\\u00e9":2,"x":3}')).keys()]).toEqual(['a"b', 'été', 'x']);
    // The same name written escaped and raw is the same name.
    expect(() => objectMembers(bytes('{"\\u00e9t\\u00e9":1,"été":2}'))).toThrow(/"été" appears twice/);
    expect(() => objectMembers(bytes('{"a\tb":1}'))).toThrow();
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
