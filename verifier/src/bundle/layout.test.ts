// The bundle format: record lines keep the ledger's bytes; the manifest parser names the member that is wrong.
import { describe, expect, it } from 'vitest';
import { file, fixtureFiles } from '../testing/fixture.js';
import { blockFileOf, ManifestError, parseManifest, recordLine } from './layout.js';

describe('recordLine', () => {
  it('is one JSON line whose record member is the given bytes, untouched', () => {
    const record = Buffer.from('{"b":1,"a":"ü"}');
    const line = recordLine({ decisionId: 'd', txId: 't', blockNumber: 4, txIndex: 0, batchId: 'b', position: 2 }, record);
    expect(line.toString()).toBe('{"batchId":"b","blockNumber":4,"decisionId":"d","position":2,"txId":"t","txIndex":0,"record":{"b":1,"a":"ü"}}\n');
    expect(JSON.parse(line.toString()).record).toEqual({ b: 1, a: 'ü' });
  });
});

describe('blockFileOf', () => {
  it.each([
    ['blocks/42.block', { dir: 'blocks', number: 42 }],
    ['config/0.block', { dir: 'config', number: 0 }],
    ['blocks/042.block', undefined],
    ['blocks/x.block', undefined],
    ['other/1.block', undefined],
  ])('%s', (path, expected) => expect(blockFileOf(path)).toEqual(expected));
});

describe('parseManifest', () => {
  const manifest = (): Record<string, unknown> => JSON.parse(file(fixtureFiles(), 'manifest.json').toString());
  const parse = (value: unknown) => () => parseManifest(Buffer.from(JSON.stringify(value)));

  it('reads the fixture manifest', () => {
    expect(parseManifest(file(fixtureFiles(), 'manifest.json'))).toMatchObject({ format: 'aiaudit-export/1', fabric: { version: 'v3.1.5', channel: 'aiaudit' }, counts: { records: 7 } });
  });

  it.each([
    ['format', (m: Record<string, unknown>) => (m.format = 'other/1'), /format must be aiaudit-export\/1/],
    ['a missing section', (m: Record<string, unknown>) => delete m.fabric, /fabric is missing or malformed/],
    ['a bad count', (m: Record<string, unknown>) => (m.counts = { records: -1, blocks: 0, configBlocks: 0, transactions: 0 }), /counts.records is missing or malformed/],
    ['an unknown filter', (m: Record<string, unknown>) => (m.filter = { color: 'red' }), /filter.color is not a known filter/],
    ['a bad file hash', (m: Record<string, unknown>) => (m.files = [{ path: 'x', sha256: 'zz', bytes: 1 }]), /files\[0\].sha256 is not a SHA-256/],
  ])('refuses %s', (_name, edit, message) => {
    const m = manifest();
    edit(m);
    expect(parse(m)).toThrow(ManifestError);
    expect(parse(m)).toThrow(message);
  });

  it('refuses text that is not JSON', () => expect(() => parseManifest(Buffer.from('{'))).toThrow('manifest.json is not valid JSON'));
});
