import { Context } from 'fabric-contract-api';
import { describe, expect, it } from 'vitest';
import { FakeCommitError } from './errors.js';
import { identity } from './fake-identity.js';
import { FakeWorld } from './fake-world.js';

const user = identity('OperatorOrgMSP', 'User1');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : Buffer.from(value).toString('utf8');
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('commit and discard', () => {
  it('commit applies every write atomically; discard applies none', async () => {
    const world = new FakeWorld();
    const kept = world.newContext(user);
    await kept.stub.putState('a', bytes('1'));
    await kept.stub.putState('b', bytes('2'));
    const dropped = world.newContext(user);
    await dropped.stub.putState('c', bytes('3'));

    expect(world.getCommitted('a')).toBeUndefined();
    const receipt = world.commit(kept);
    world.discard(dropped);

    expect(world.publicEntries().map((entry) => entry.key)).toEqual(['a', 'b']);
    expect(receipt).toEqual({ txId: 'tx0001', blockNumber: 1, timestamp: '2026-01-01T00:00:00.000Z', writes: 2, event: undefined });
    expect(world.writeCount).toBe(2);
    expect(world.commitCount).toBe(1);
  });

  it('refuses to end a transaction twice or one from another world', async () => {
    const world = new FakeWorld();
    const ctx = world.newContext(user);
    world.commit(ctx);
    expect(() => world.commit(ctx)).toThrow('transaction tx0001 is already committed');
    expect(() => world.discard(ctx)).toThrow('already committed');
    expect(() => new FakeWorld().commit(world.newContext(user))).toThrow('not created by this world');
  });

  it('invoke commits on success and returns the result', async () => {
    const world = new FakeWorld();
    const result = await world.invoke(user, async (ctx) => {
      await ctx.stub.putState('k', bytes('v'));
      return ctx.stub.getTxID();
    });
    expect(result).toBe('tx0001');
    expect(text(world.getCommitted('k'))).toBe('v');
    expect(world.lastCommit?.txId).toBe('tx0001');
  });

  it('invoke discards and rethrows on error: the snapshot is unchanged', async () => {
    const world = new FakeWorld({ collections: { inputs: ['OperatorOrgMSP'] } });
    await world.invoke(user, (ctx) => ctx.stub.putState('k', bytes('v')));
    const before = world.snapshot();
    const failure = world.invoke(user, async (ctx) => {
      await ctx.stub.putState('k', bytes('changed'));
      await ctx.stub.putPrivateData('inputs', 'd1', bytes('raw'));
      ctx.stub.setEvent('Changed', bytes('{}'));
      throw new Error('VALIDATION: bad field');
    });
    await expect(failure).rejects.toThrow('VALIDATION: bad field');
    expect(world.snapshot()).toEqual(before);
    expect(world.writeCount).toBe(1);
  });

  it('query always discards', async () => {
    const world = new FakeWorld();
    await world.query(user, (ctx) => ctx.stub.putState('k', bytes('v')));
    expect(world.getCommitted('k')).toBeUndefined();
    expect(world.commitCount).toBe(0);
  });

  it('fills a caller-supplied Context subclass', () => {
    class AuditContext extends Context {
      readonly startedBy = 'test';
    }
    const ctx = new FakeWorld().newContext(user, new AuditContext());
    expect(ctx).toBeInstanceOf(AuditContext);
    expect(ctx.startedBy).toBe('test');
    expect(ctx.stub.getTxID()).toBe('tx0001');
    expect(typeof ctx.logging.getLogger('x').info).toBe('function');
  });
});

describe('history', () => {
  it('records every committed write and delete, newest first from the stub', async () => {
    const world = new FakeWorld();
    await world.invoke(user, (ctx) => ctx.stub.putState('k', bytes('v1')));
    await world.invoke(user, (ctx) => ctx.stub.putState('other', bytes('x')));
    await world.invoke(user, (ctx) => ctx.stub.putState('k', bytes('v2')));
    await world.invoke(user, (ctx) => ctx.stub.deleteState('k'));
    await world.invoke({ ...user, txId: 'last' }, (ctx) => ctx.stub.putState('k', bytes('v3')));

    const fromStub = await world.query(user, async (ctx) => {
      const rows: Array<[string, boolean, string, number]> = [];
      for await (const entry of ctx.stub.getHistoryForKey('k')) {
        rows.push([entry.txId, entry.isDelete, Buffer.from(entry.value).toString(), Number(entry.timestamp.seconds)]);
      }
      return rows;
    });
    expect(fromStub).toEqual([
      ['last', false, 'v3', 1767225604],
      ['tx0004', true, '', 1767225603],
      ['tx0003', false, 'v2', 1767225602],
      ['tx0001', false, 'v1', 1767225600],
    ]);
    expect(world.history('k').map((entry) => [entry.blockNumber, entry.timestamp, entry.isDelete])).toEqual([
      [1, '2026-01-01T00:00:00.000Z', false],
      [3, '2026-01-01T00:00:02.000Z', false],
      [4, '2026-01-01T00:00:03.000Z', true],
      [5, '2026-01-01T00:00:04.000Z', false],
    ]);
  });

  it('only shows what was committed before the transaction started reading', async () => {
    const world = new FakeWorld();
    await world.invoke(user, (ctx) => ctx.stub.putState('k', bytes('v1')));
    const reader = world.newContext(user);
    expect(text(await reader.stub.getState('k'))).toBe('v1');
    await world.invoke(user, (ctx) => ctx.stub.putState('k', bytes('v2')));
    expect(text(await reader.stub.getState('k'))).toBe('v1');
    const history = await reader.stub.getHistoryForKey('k');
    expect((await history.next()).value.txId).toBe('tx0001');
    expect((await history.next()).done).toBe(true);
  });
});

describe('events', () => {
  it('keeps one event per transaction: the last setEvent wins', async () => {
    const world = new FakeWorld();
    await world.invoke(user, (ctx) => {
      ctx.stub.setEvent('First', bytes('1'));
      ctx.stub.setEvent('DecisionsRecorded', bytes('["d1"]'));
    });
    await world.invoke(user, () => undefined);
    await world.invoke(user, (ctx) => ctx.stub.setEvent('DriftAlertRaised', bytes('a1')));

    expect(world.events.map((event) => [event.txId, event.blockNumber, event.name, text(event.payload)])).toEqual([
      ['tx0001', 1, 'DecisionsRecorded', '["d1"]'],
      ['tx0003', 3, 'DriftAlertRaised', 'a1'],
    ]);
    expect(() => world.newContext(user).stub.setEvent('', bytes('x'))).toThrow('Event name must be a non-empty string');
  });
});

describe('validation at commit', () => {
  it('refuses a transaction whose read key changed since it read it (MVCC_READ_CONFLICT)', async () => {
    const world = new FakeWorld();
    await world.invoke(user, (ctx) => ctx.stub.putState('counter', bytes('0')));
    const first = world.newContext(user);
    const second = world.newContext(user);
    for (const ctx of [first, second]) {
      const value = Number(text(await ctx.stub.getState('counter')));
      await ctx.stub.putState('counter', bytes(String(value + 1)));
    }
    world.commit(first);
    const before = world.snapshot();

    const error = thrownBy(() => world.commit(second));
    expect(error).toBeInstanceOf(FakeCommitError);
    expect(error).toMatchObject({ code: 'MVCC_READ_CONFLICT', transactionId: 'tx0003' });
    expect(world.snapshot()).toEqual(before);
    expect(second.stub.status).toBe('invalid');
  });

  it('lets blind writes to different keys commit in any order', async () => {
    const world = new FakeWorld();
    const a = world.newContext(user);
    const b = world.newContext(user);
    await a.stub.putState('batch:1', bytes('x'));
    await b.stub.putState('batch:2', bytes('y'));
    world.commit(b);
    world.commit(a);
    expect(world.publicEntries()).toHaveLength(2);
  });

  it('refuses a transaction whose range query would now see another key (PHANTOM_READ_CONFLICT)', async () => {
    const world = new FakeWorld();
    const scanner = world.newContext(user);
    for await (const row of scanner.stub.getStateByPartialCompositeKey('idx', ['m1'])) void row;
    await scanner.stub.putState('summary', bytes('0 rows'));
    await world.invoke(user, (ctx) => ctx.stub.putState(ctx.stub.createCompositeKey('idx', ['m1', 'd1']), bytes('1')));
    expect(() => world.commit(scanner)).toThrow(expect.objectContaining({ code: 'PHANTOM_READ_CONFLICT' }));
  });

  it('refuses a second commit of the same txId (DUPLICATE_TXID)', async () => {
    const world = new FakeWorld();
    await world.invoke({ ...user, txId: 'same' }, () => undefined);
    await expect(world.invoke({ ...user, txId: 'same' }, () => undefined)).rejects.toMatchObject({
      code: 'DUPLICATE_TXID',
    });
  });
});

describe('clock', () => {
  it('moves forward per transaction and on demand', () => {
    const world = new FakeWorld({ startTime: '2030-05-01T00:00:00Z', tickMs: 500 });
    expect(world.newContext(user).stub.getDateTimestamp().toISOString()).toBe('2030-05-01T00:00:00.000Z');
    world.advanceTime(86_400_000);
    expect(world.newContext(user).stub.getDateTimestamp().toISOString()).toBe('2030-05-02T00:00:00.500Z');
    expect(() => world.newContext({ ...user, timestamp: 'not a time' })).toThrow('timestamp is not a valid time');
  });
});
