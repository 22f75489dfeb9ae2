import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { arrayMemberElements } from './json-spans.js';

describe('arrayMemberElements', () => {
  it('returns the exact text of each element of the named top-level array', () => {
    const text = '{"a":{"decisions":[9]},"batchId":"x\\"decisions\\":[","decisions":[{"k":"v,]}"},[1,2],"s\\\\",3] ,"z":1}';
    expect(arrayMemberElements(text, 'decisions')).toEqual(['{"k":"v,]}"}', '[1,2]', '"s\\\\"', '3']);
  });

  it('is undefined when there is no such array, and empty for an empty one', () => {
    expect(arrayMemberElements('{"decisions":5}', 'decisions')).toBeUndefined();
    expect(arrayMemberElements('{"other":[1]}', 'decisions')).toBeUndefined();
    expect(arrayMemberElements('{"decisions":[]}', 'decisions')).toEqual([]);
  });

  it('splits any JSON array the way JSON.stringify wrote it', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.jsonValue(), (items, other) => {
        const text = JSON.stringify({ before: other, decisions: items, after: other });
        expect(arrayMemberElements(text, 'decisions')).toEqual(items.map((item) => JSON.stringify(item)));
      }),
    );
  });
});
