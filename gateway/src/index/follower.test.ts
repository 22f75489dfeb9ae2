import { describe, expect, it } from 'vitest';
import { exampleDecision } from '@aiaudit/chaincode/domain';
import { FakeDecisionLedger, fakeBlockSource } from '../../../test/support/fake-ledger.js';
import { createLogger } from '../logger.js';
import type { BlockSource } from './block-source.js';
import { BlockFollower } from './follower.js';
import { openSqliteIndex } from './sqlite-store.js';

const signer = { mspId: 'OperatorOrgMSP', fabricUser: 'User1' };
const record = async (ledger: FakeDecisionLedger, batchId: string, ids: string[]) =>
  ledger.submit(signer, 'decisions', 'RecordDecisions', [JSON.stringify({ batchId, decisions: ids.map((decisionId) => exampleDecision({ decisionId })) })]);

describe('BlockFollower', () => {
  it('indexes committed blocks as they come and lets a reader wait for a block', async () => {
    const ledger = new FakeDecisionLedger();
    const store = openSqliteIndex(':memory:');
    const seen: number[] = [];
    const follower = new BlockFollower({ source: fakeBlockSource(ledger), store, namespace: 'aiaudit', logger: createLogger('silent'), onBlock: (n) => seen.push(n) });
    await follower.start();
    const receipt = await record(ledger, 'b-1', ['f-1', 'f-2']);
    expect(await follower.waitForBlock(Number(receipt.blockNumber), 2_000)).toBe(true);
    expect((await store.findDecision('f-2')).map((d) => d.anchor)).toEqual([{ txId: receipt.txId, blockNumber: 101, txIndex: 0, batchId: 'b-1', position: 1 }]);
    expect(seen.at(-1)).toBe(101);
    expect(await follower.waitForBlock(500, 20)).toBe(false);
    await follower.stop();
    expect(follower.status()).toMatchObject({ running: false, lastBlock: 101 });
  });

  it('resumes after its checkpoint when restarted, indexing every block exactly once', async () => {
    const ledger = new FakeDecisionLedger();
    const store = openSqliteIndex(':memory:');
    const make = () => new BlockFollower({ source: fakeBlockSource(ledger), store, namespace: 'aiaudit', logger: createLogger('silent') });
    const first = make();
    await first.start();
    await first.waitForBlock(Number((await record(ledger, 'b-1', ['r-1'])).blockNumber), 2_000);
    await first.stop();
    await record(ledger, 'b-2', ['r-2']);
    const second = make();
    await second.start();
    await second.waitForBlock(102, 2_000);
    await second.stop();
    expect(await store.stats()).toMatchObject({ lastBlock: 102, batches: 2, decisions: 2 });
  });

  it('reconnects after the block stream fails, from the last indexed block', async () => {
    const ledger = new FakeDecisionLedger();
    const real = fakeBlockSource(ledger);
    const starts: number[] = [];
    let failures = 1;
    const flaky: BlockSource = {
      ...real,
      async blocks(start) {
        starts.push(start);
        if (failures-- > 0) throw new Error('peer unavailable');
        return real.blocks(start);
      },
    };
    const store = openSqliteIndex(':memory:');
    const follower = new BlockFollower({ source: flaky, store, namespace: 'aiaudit', logger: createLogger('silent'), retryMs: 5 });
    await follower.start();
    await record(ledger, 'b-1', ['x-1']);
    expect(await follower.waitForBlock(101, 2_000)).toBe(true);
    expect(starts).toEqual([0, 0]);
    await follower.stop();
  });
});
