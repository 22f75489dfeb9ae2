import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { DecisionBatch } from '@aiaudit/chaincode/domain';
import { syntheticBlock } from '../../../test/support/synthetic-blocks.js';
import { BlockDecodeError, decodeBlock, valueText } from './decode-block.js';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));
const BATCH_KEY = (batchId: string) => `\u0000batch\u0000${batchId}\u0000`;

describe('decodeBlock on blocks from the local network', () => {
  it('decodes the genesis config block: one CONFIG transaction, no writes', () => {
    const block = decodeBlock(fixture('config-block.pb'));
    expect(block.number).toBe(0);
    expect(block.previousHash).toHaveLength(0);
    expect(block.transactions).toHaveLength(1);
    expect(block.transactions[0]).toMatchObject({ index: 0, type: 'CONFIG', channelId: 'aiaudit', valid: true, namespaces: [], events: [] });
  });

  it('decodes a RecordDecisions transaction: creator, time, event and the batch value bytes', () => {
    const block = decodeBlock(fixture('decisions-block.pb'));
    expect(block.number).toBe(54);
    expect(block.dataHash).toHaveLength(32);
    const [tx] = block.transactions;
    expect(tx).toMatchObject({ index: 0, type: 'ENDORSER_TRANSACTION', validation: 'VALID', validationCode: 0, valid: true, creatorMspId: 'OperatorOrgMSP' });
    expect(tx?.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(tx?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(tx?.events.map((e) => e.eventName)).toEqual(['DecisionsRecorded']);
    expect(tx?.events[0]?.chaincodeId).toBe('aiaudit');

    const aiaudit = tx?.namespaces.find((ns) => ns.namespace === 'aiaudit');
    const batchWrite = aiaudit?.writes.find((w) => w.key === BATCH_KEY('fixture-batch-2'));
    expect(batchWrite?.isDelete).toBe(false);
    const batch = DecisionBatch.parse(JSON.parse(valueText(batchWrite ?? { key: '', isDelete: true, value: new Uint8Array() })));
    expect(batch.txId).toBe(tx?.txId);
    expect(batch.recordedAt).toBe(tx?.timestamp);
    expect(batch.decisions.map((d) => d.decisionId)).toEqual(['fixture-d1', 'fixture-d2', 'fixture-d3']);
    // 1 batch key + 1 by-day + 1 by-model (one model version).
    expect(aiaudit?.writes).toHaveLength(3);
  });

  it('reports the validation code of each transaction from the block metadata', () => {
    const block = decodeBlock(fixture('mvcc-block.pb'));
    expect(block.transactions.map((t) => [t.index, t.validation, t.valid])).toEqual([
      [0, 'VALID', true],
      [1, 'MVCC_READ_CONFLICT', false],
    ]);
    // The invalid transaction still carries its (never applied) writes; consumers must check `valid`.
    const keysOf = (i: number) => block.transactions[i]?.namespaces.find((ns) => ns.namespace === 'aiaudit')?.writes.map((w) => w.key);
    expect(keysOf(1)).toContain(BATCH_KEY('fixture-batch-3'));
    expect(keysOf(0)).toContain(BATCH_KEY('fixture-batch-3'));
  });

  it('accepts an already parsed common.Block', () => {
    const parsed = common.Block.deserializeBinary(fixture('decisions-block.pb'));
    expect(decodeBlock(parsed).transactions[0]?.txId).toBe(decodeBlock(fixture('decisions-block.pb')).transactions[0]?.txId);
  });
});

describe('decodeBlock on synthetic blocks', () => {
  it('decodes deletes and several namespaces, and marks a transaction without a filter entry NOT_VALIDATED', () => {
    const block = syntheticBlock(7, [{
      txId: 'tx-synthetic',
      namespaces: [
        { namespace: 'ns1', writes: [{ key: 'k1', value: 'v1' }, { key: 'k2', value: '', isDelete: true }] },
        { namespace: 'ns2', writes: [{ key: 'k3', value: '{"a":1}' }] },
      ],
      event: { chaincodeId: 'ns1', name: 'Happened', payload: { n: 1 } },
    }], { filter: false });
    const decoded = decodeBlock(block.serializeBinary());
    const [tx] = decoded.transactions;
    expect(decoded.number).toBe(7);
    expect(tx).toMatchObject({ txId: 'tx-synthetic', creatorMspId: '', validation: 'NOT_VALIDATED', valid: false, timestamp: undefined });
    expect(tx?.events.map((e) => [e.chaincodeId, e.eventName, Buffer.from(e.payload).toString()])).toEqual([['ns1', 'Happened', '{"n":1}']]);
    expect(tx?.namespaces.map((ns) => [ns.namespace, ns.writes.map((w) => [w.key, w.isDelete, Buffer.from(w.value).toString()])])).toEqual([
      ['ns1', [['k1', false, 'v1'], ['k2', true, '']]],
      ['ns2', [['k3', false, '{"a":1}']]],
    ]);
  });

  it('throws BlockDecodeError naming the transaction for garbage envelope bytes', () => {
    const block = new common.Block();
    const header = new common.BlockHeader();
    header.setNumber(3);
    block.setHeader(header);
    const data = new common.BlockData();
    data.setDataList([Uint8Array.from([0x0a, 0xff, 0xff, 0xff])]);
    block.setData(data);
    const err = (() => {
      try {
        decodeBlock(block.serializeBinary());
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BlockDecodeError);
    expect((err as BlockDecodeError).where).toMatch(/^block 3 transaction 0: /);
  });

  it('throws BlockDecodeError for bytes that are not a block', () => {
    expect(() => decodeBlock(Uint8Array.from([0xff, 0xff, 0xff]))).toThrow(BlockDecodeError);
  });
});
