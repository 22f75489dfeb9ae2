import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identity } from './fake-identity.js';
import { FakeWorld } from './fake-world.js';

const operator = identity('OperatorOrgMSP', 'User1');
const regulator = identity('RegulatorOrgMSP', 'User1');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (value: Uint8Array): string => Buffer.from(value).toString('utf8');
const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const hex = (value: Uint8Array): string => Buffer.from(value).toString('hex');

function newWorld(): FakeWorld {
  return new FakeWorld({ collections: { operatorInputs: ['OperatorOrgMSP'] } });
}

async function storeInput(world: FakeWorld, key: string, value: string): Promise<void> {
  await world.invoke({ ...operator, transient: { input: value } }, async (ctx) => {
    const input = ctx.stub.getTransient().get('input');
    if (!input) throw new Error('no transient input');
    await ctx.stub.putPrivateData('operatorInputs', key, input);
  });
}

describe('private data', () => {
  it('is readable by a member after commit, not before (no read-your-own-writes)', async () => {
    const world = newWorld();
    const ctx = world.newContext(operator);
    await ctx.stub.putPrivateData('operatorInputs', 'd1', bytes('{"age":41}'));
    expect((await ctx.stub.getPrivateData('operatorInputs', 'd1')).length).toBe(0);
    world.commit(ctx);

    const value = await world.query(operator, (reader) => reader.stub.getPrivateData('operatorInputs', 'd1'));
    expect(text(value)).toBe('{"age":41}');
    expect(world.getCommitted('d1')).toBeUndefined();
  });

  it("refuses a non-member's read with Fabric's message", async () => {
    const world = newWorld();
    await storeInput(world, 'd1', 'raw');
    const read = world.query({ ...regulator, txId: 'r1' }, (ctx) => ctx.stub.getPrivateData('operatorInputs', 'd1'));
    await expect(read).rejects.toThrow(
      'GET_STATE failed: transaction ID: r1: tx creator does not have read access permission on privatedata ' +
        'in chaincodeName:aiaudit collectionName: operatorInputs',
    );
  });

  it("refuses a non-member's write and leaves nothing behind", async () => {
    const world = newWorld();
    const before = world.snapshot();
    const write = world.invoke(regulator, (ctx) => ctx.stub.putPrivateData('operatorInputs', 'd1', bytes('x')));
    await expect(write).rejects.toThrow('tx creator does not have write access permission on privatedata');
    expect(world.snapshot()).toEqual(before);
  });

  it('gives anyone the SHA-256 of the committed value', async () => {
    const world = newWorld();
    await storeInput(world, 'd1', 'raw input');
    const hash = await world.query(regulator, (ctx) => ctx.stub.getPrivateDataHash('operatorInputs', 'd1'));
    expect(hex(hash)).toBe(sha256('raw input'));
    const missing = await world.query(regulator, (ctx) => ctx.stub.getPrivateDataHash('operatorInputs', 'nope'));
    expect(missing.length).toBe(0);
  });

  it('purge removes the value, its hash and its history; other keys stay', async () => {
    const world = newWorld();
    await storeInput(world, 'd1', 'v1');
    await storeInput(world, 'd1', 'v2');
    await storeInput(world, 'd2', 'keep');
    expect(world.privateHistory('operatorInputs', 'd1').map((entry) => text(entry.value))).toEqual(['v1', 'v2']);

    const receipt = await world.invoke(operator, async (ctx) => {
      await ctx.stub.purgePrivateData('operatorInputs', 'd1');
      return ctx.stub.getTxID();
    });

    expect(receipt).toBe('tx0004');
    expect(world.getCommittedPrivate('operatorInputs', 'd1')).toBeUndefined();
    expect(world.privateHistory('operatorInputs', 'd1')).toEqual([]);
    const hash = await world.query(regulator, (ctx) => ctx.stub.getPrivateDataHash('operatorInputs', 'd1'));
    expect(hash.length).toBe(0);
    expect(world.privateEntries('operatorInputs').map((entry) => [entry.key, text(entry.value)])).toEqual([['d2', 'keep']]);
    expect(world.snapshot().private).toEqual({ operatorInputs: { d2: bytes('keep') } });
  });

  it('delete keeps history with a delete marker', async () => {
    const world = newWorld();
    await storeInput(world, 'd1', 'v1');
    await world.invoke(operator, (ctx) => ctx.stub.deletePrivateData('operatorInputs', 'd1'));
    expect(world.privateHistory('operatorInputs', 'd1').map((entry) => entry.isDelete)).toEqual([false, true]);
  });

  it('fails for a collection that is not configured', async () => {
    const world = newWorld();
    const read = world.query(operator, (ctx) => ctx.stub.getPrivateDataHash('nope', 'd1'));
    await expect(read).rejects.toThrow('collection [nope] not defined in the collection config for chaincode [aiaudit]');
  });

  it("fails the read on a peer outside the collection, even for a member's client, as Fabric's peer does", async () => {
    const world = newWorld();
    await storeInput(world, 'd1', 'raw');
    const onRegulatorPeer = world.query({ ...operator, peerMspId: 'RegulatorOrgMSP' }, (ctx) =>
      ctx.stub.getPrivateData('operatorInputs', 'd1'),
    );
    await expect(onRegulatorPeer).rejects.toThrow('private data matching public hash version is not available');
    const missingKey = await world.query({ ...operator, peerMspId: 'RegulatorOrgMSP' }, (ctx) =>
      ctx.stub.getPrivateData('operatorInputs', 'never-stored'),
    );
    expect(missingKey.length).toBe(0);
  });

  it('range queries work read-only and forbid writes afterwards', async () => {
    const world = newWorld();
    await storeInput(world, 'b', '2');
    await storeInput(world, 'a', '1');
    const ctx = world.newContext(operator);
    const keys: string[] = [];
    for await (const row of ctx.stub.getPrivateDataByRange('operatorInputs', '', '')) keys.push(row.key);
    expect(keys).toEqual(['a', 'b']);
    await expect(ctx.stub.putState('x', bytes('1'))).rejects.toThrow('performed queries on pvt data');
  });
});
