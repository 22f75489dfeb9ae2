import { describe, expect, it } from 'vitest';
import type { Iterators } from 'fabric-shim';
import { FakeWorld } from './fake-world.js';
import { identity } from './fake-identity.js';

const user = identity('OperatorOrgMSP', 'User1');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : Buffer.from(value).toString('utf8');

async function seed(world: FakeWorld, entries: Record<string, string>): Promise<void> {
  await world.invoke(user, async (ctx) => {
    for (const [key, value] of Object.entries(entries)) await ctx.stub.putState(key, bytes(value));
  });
}

async function keysOf(iterable: AsyncIterable<Iterators.KV>): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of iterable) keys.push(key);
  return keys;
}

describe('reads within a transaction', () => {
  it('see committed state only, never their own writes', async () => {
    const world = new FakeWorld();
    await seed(world, { a: 'old' });
    const ctx = world.newContext(user);
    await ctx.stub.putState('a', bytes('new'));
    await ctx.stub.putState('b', bytes('fresh'));
    await ctx.stub.deleteState('a');

    expect(text(await ctx.stub.getState('a'))).toBe('old');
    expect((await ctx.stub.getState('b')).length).toBe(0);
    expect(await keysOf(ctx.stub.getStateByRange('', ''))).toEqual(['a']);
  });

  it('keep the last write to a key', async () => {
    const world = new FakeWorld();
    const ctx = world.newContext(user);
    await ctx.stub.putState('k', bytes('1'));
    await ctx.stub.putState('k', bytes('2'));
    await ctx.stub.deleteState('gone');
    await ctx.stub.putState('gone', bytes('back'));
    world.commit(ctx);

    expect(world.publicEntries().map(({ key, value }) => [key, text(value)])).toEqual([
      ['gone', 'back'],
      ['k', '2'],
    ]);
  });

  it('return copies: mutating a returned or written buffer does not change state', async () => {
    const world = new FakeWorld();
    const value = bytes('abc');
    await world.invoke(user, (ctx) => ctx.stub.putState('k', value));
    value[0] = 0x7a;
    const read = await world.query(user, (ctx) => ctx.stub.getState('k'));
    read[1] = 0x7a;
    expect(text(world.getCommitted('k'))).toBe('abc');
  });
});

describe('writes', () => {
  it('treat an empty value as a delete, as the peer does', async () => {
    const world = new FakeWorld();
    await seed(world, { k: 'v' });
    await world.invoke(user, (ctx) => ctx.stub.putState('k', new Uint8Array()));
    expect(world.getCommitted('k')).toBeUndefined();
    expect(world.history('k').map((entry) => entry.isDelete)).toEqual([false, true]);
  });

  it('refuse an empty key and keys that are not valid UTF-8', async () => {
    const ctx = new FakeWorld().newContext(user);
    await expect(ctx.stub.putState('', bytes('v'))).rejects.toThrow('key must not be an empty string');
    await expect(ctx.stub.putState('a\ud800', bytes('v'))).rejects.toThrow(
      'PUT_STATE failed: transaction ID: tx0001: invalid key',
    );
  });

  it('fail after the transaction ended, like a peer with no ledger context', async () => {
    const world = new FakeWorld();
    const ctx = world.newContext(user);
    world.commit(ctx);
    await expect(ctx.stub.putState('late', bytes('v'))).rejects.toThrow(
      'PUT_STATE failed: transaction ID: tx0001: no ledger context',
    );
    await expect(ctx.stub.getState('late')).rejects.toThrow('GET_STATE failed');
  });
});

describe('range queries', () => {
  const keys = ['b', 'a', 'c1', 'c', '\u{1f600}', '\uffff'];

  it('return keys in LevelDB (UTF-8 byte) order within [start, end)', async () => {
    const world = new FakeWorld();
    await seed(world, Object.fromEntries(keys.map((key) => [key, key])));
    const ctx = world.newContext(user);
    expect(await keysOf(ctx.stub.getStateByRange('', ''))).toEqual(['a', 'b', 'c', 'c1', '\uffff', '\u{1f600}']);
    expect(await keysOf(ctx.stub.getStateByRange('b', 'c1'))).toEqual(['b', 'c']);
  });

  it('skip composite keys when the start key is empty, and refuse composite bounds', async () => {
    const world = new FakeWorld();
    await world.invoke(user, async (ctx) => {
      await ctx.stub.putState(ctx.stub.createCompositeKey('t', ['x']), bytes('1'));
      await ctx.stub.putState('simple', bytes('2'));
    });
    const ctx = world.newContext(user);
    expect(await keysOf(ctx.stub.getStateByRange('', ''))).toEqual(['simple']);
    await expect(ctx.stub.getStateByRange('\u0000t', '')).rejects.toThrow('contains a null character');
  });

  it('support next()/close() as fabric-shim iterators do', async () => {
    const world = new FakeWorld();
    await seed(world, { a: '1', b: '2' });
    const iterator = await world.newContext(user).stub.getStateByRange('', '');
    const first = await iterator.next();
    expect(first).toEqual({ value: { namespace: 'aiaudit', key: 'a', value: Buffer.from('1') }, done: false });
    expect((await iterator.next()).value.key).toBe('b');
    expect(await iterator.next()).toEqual({ done: true });
    await iterator.close();
  });
});

describe('partial composite key queries', () => {
  async function decisionWorld(): Promise<FakeWorld> {
    const world = new FakeWorld();
    await world.invoke(user, async (ctx) => {
      const rows: Array<[string, string, string]> = [
        ['m2', 'v1', '2026-01-02'],
        ['m1', 'v2', '2026-01-01'],
        ['m1', 'v1', '2026-01-03'],
        ['m1', 'v1', '2026-01-01'],
        ['m10', 'v1', '2026-01-01'],
      ];
      for (const attrs of rows) await ctx.stub.putState(ctx.stub.createCompositeKey('dec', attrs), bytes(attrs.join('|')));
      await ctx.stub.putState(ctx.stub.createCompositeKey('alert', ['m1']), bytes('other type'));
    });
    return world;
  }

  it('match whole attributes only, in key order', async () => {
    const ctx = (await decisionWorld()).newContext(user);
    const split = async (attrs: string[]): Promise<string[][]> => {
      const result: string[][] = [];
      for await (const { key } of ctx.stub.getStateByPartialCompositeKey('dec', attrs)) {
        result.push(ctx.stub.splitCompositeKey(key).attributes);
      }
      return result;
    };
    expect(await split(['m1'])).toEqual([
      ['m1', 'v1', '2026-01-01'],
      ['m1', 'v1', '2026-01-03'],
      ['m1', 'v2', '2026-01-01'],
    ]);
    expect(await split(['m1', 'v1'])).toHaveLength(2);
    expect(await split([])).toHaveLength(5);
  });

  it('page with bookmarks that reach every key exactly once', async () => {
    const world = new FakeWorld();
    await world.invoke(user, async (ctx) => {
      for (let i = 0; i < 23; i++) {
        await ctx.stub.putState(ctx.stub.createCompositeKey('item', [String(i).padStart(3, '0')]), bytes(String(i)));
      }
    });
    const ctx = world.newContext(user);
    const seen: string[] = [];
    const pages: Array<{ count: number; bookmark: string }> = [];
    let bookmark = '';
    do {
      const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination('item', [], 10, bookmark);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        seen.push(ctx.stub.splitCompositeKey(next.value.key).attributes[0] ?? '');
      }
      await iterator.close();
      pages.push({ count: metadata.fetchedRecordsCount, bookmark: metadata.bookmark });
      bookmark = metadata.bookmark;
    } while (bookmark !== '');

    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => String(i).padStart(3, '0')));
    expect(pages.map((page) => page.count)).toEqual([10, 10, 3]);
    expect(pages[0]?.bookmark).toBe(ctx.stub.createCompositeKey('item', ['010']));
  });

  it('return an empty bookmark when the last page is exactly full', async () => {
    const world = new FakeWorld();
    await seed(world, { a: '1', b: '2', c: '3', d: '4' });
    const ctx = world.newContext(user);
    const first = await ctx.stub.getStateByRangeWithPagination('', '', 2, '');
    const second = await ctx.stub.getStateByRangeWithPagination('', '', 2, first.metadata.bookmark);
    expect(first.metadata).toEqual({ fetchedRecordsCount: 2, bookmark: 'c' });
    expect(second.metadata).toEqual({ fetchedRecordsCount: 2, bookmark: '' });
    expect(await keysOf(ctx.stub.getStateByRangeWithPagination('', '', 2, 'c'))).toEqual(['c', 'd']);
  });

  it("enforce Fabric's rule that paginated queries and writes do not mix", async () => {
    const world = new FakeWorld();
    const writer = world.newContext(user);
    await writer.stub.putState('a', bytes('1'));
    await expect(writer.stub.getStateByRangeWithPagination('', '', 5)).rejects.toThrow(
      'Paginated queries are supported only in a read-only transaction',
    );
    const reader = world.newContext(user);
    await reader.stub.getStateByRangeWithPagination('', '', 5);
    await expect(reader.stub.putState('a', bytes('1'))).rejects.toThrow('Writes are not allowed');
  });
});

describe('transaction facts', () => {
  it('give deterministic txIds and timestamps, one tick per transaction', () => {
    const world = new FakeWorld();
    const first = world.newContext(user).stub;
    const second = world.newContext(user).stub;
    expect([first.getTxID(), second.getTxID()]).toEqual(['tx0001', 'tx0002']);
    expect(second.getDateTimestamp().toISOString()).toBe('2026-01-01T00:00:01.000Z');
    const timestamp = second.getTxTimestamp();
    expect([timestamp.seconds.toNumber(), timestamp.nanos]).toEqual([1767225601, 0]);
  });

  it('honour a given txId, timestamp, transient map and args', () => {
    const world = new FakeWorld();
    const { stub } = world.newContext({
      ...user,
      txId: 'abc',
      timestamp: '2026-03-01T12:00:00.250Z',
      transient: { input: 'secret' },
      args: ['RecordDecisions', '{}'],
    });
    expect(stub.getTxID()).toBe('abc');
    expect(stub.getTxTimestamp().nanos).toBe(250_000_000);
    expect(text(stub.getTransient().get('input'))).toBe('secret');
    expect(stub.getFunctionAndParameters()).toEqual({ fcn: 'RecordDecisions', params: ['{}'] });
    expect(stub.getChannelID()).toBe('aiaudit');
    expect(world.newContext(user).stub.getDateTimestamp().toISOString()).toBe('2026-03-01T12:00:01.250Z');
  });

  it('count shim round trips', async () => {
    const ctx = new FakeWorld().newContext(user);
    await ctx.stub.getState('a');
    await ctx.stub.putState('a', bytes('1'));
    ctx.stub.setEvent('E', bytes('{}'));
    ctx.stub.createCompositeKey('t', ['x']);
    expect(ctx.stub.shimCalls).toBe(2);
  });

  it('refuse rich queries, as LevelDB does', async () => {
    const ctx = new FakeWorld().newContext(user);
    await expect(ctx.stub.getQueryResult('{"selector":{}}')).rejects.toThrow('ExecuteQuery not supported for leveldb');
  });
});
