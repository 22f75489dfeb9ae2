// The verifier over a bundle exported from the real network: it verifies, and every kind of tampering fails naming what broke.
import { common } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { parseBlock } from './fabric/block.js';
import { batchRecordSpans } from './json-span.js';
import { decodeTransaction } from './fabric/transaction.js';
import { blockNumbers, bundleOf, editManifest, file, fixtureFiles, flipByte, offsetOf, recordLines, rehash, setRecordLines } from './testing/fixture.js';
import { forgeEndorsement } from './testing/tamper.js';
import { throwawayCa } from './testing/throwaway-ca.js';
import { verifyBundle, type VerifyOptions } from './verify.js';
import type { VerifyReport } from './report.js';

const verify = (files: Map<string, Buffer>, options?: VerifyOptions): VerifyReport => verifyBundle(bundleOf(files), options);
const messages = (report: VerifyReport): string[] => report.problems.map((p) => p.message);
const [FIRST_BLOCK = 0, SECOND_BLOCK = 0] = blockNumbers(fixtureFiles());
const firstBlock = `blocks/${FIRST_BLOCK}.block`;

/** The record line of the other model's batch that shares the first block (not exported: it does not match the filter). */
function foreignLine(files: Map<string, Buffer>): string {
  const block = parseBlock(file(files, firstBlock));
  const tx = decodeTransaction(block.envelopes[0] ?? new Uint8Array(), 0);
  const write = [...tx.actions[0]!.writes.get('aiaudit')!].find((w) => w.key.startsWith('\u0000batch\u0000'))!;
  const span = batchRecordSpans(write.value)[0]!;
  const record = Buffer.from(write.value).subarray(span.start, span.end).toString('utf8');
  const batchId = write.key.split('\u0000')[2]!;
  return `{"batchId":"${batchId}","blockNumber":${FIRST_BLOCK},"decisionId":"${JSON.parse(record).decisionId}","position":0,"txId":"${tx.txId}","txIndex":0,"record":${record}}`;
}

/** The exported batch write in the first block (transaction 1) and its first record's span. */
function batchWriteOf(files: Map<string, Buffer>): { value: Uint8Array; span: { start: number; end: number } } {
  const tx = decodeTransaction(parseBlock(file(files, firstBlock)).envelopes[1] ?? new Uint8Array(), 1);
  const write = [...tx.actions[0]!.writes.get('aiaudit')!].find((w) => w.key.startsWith('\u0000batch\u0000'))!;
  return { value: write.value, span: batchRecordSpans(write.value)[0]! };
}

describe('verifyBundle on the fixture exported from the local network', () => {
  it('verifies an untouched bundle and reports every record, block and transaction', () => {
    const report = verify(fixtureFiles());
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts).toMatchObject({ records: 7, recordsVerified: 7, blocks: 2, blocksVerified: 2, configBlocks: 1, transactions: 2, transactionsVerified: 2 });
    expect(report.records.every((r) => r.ok && r.problems.length === 0)).toBe(true);
    expect(report.trust.orgs.map((o) => o.mspId).sort()).toEqual(['OperatorOrgMSP', 'OrdererMSP', 'RegulatorOrgMSP']);
    expect(report.warnings).toEqual([]);
  });

  it('verifies lines laid out otherwise than the writer does (members reordered, spaces), matching their record bytes all the same', () => {
    const files = fixtureFiles();
    const relaid = recordLines(files).map((line, i) => {
      const at = line.indexOf('"record":');
      const record = line.slice(at + '"record":'.length, -1);
      const { record: _record, ...anchor } = JSON.parse(line);
      return i % 2 === 0 ? `{"record":${record},${JSON.stringify(anchor).slice(1)}` : `${JSON.stringify(anchor).slice(0, -1).replace(/,"/g, ', "')}, "record": ${record} }`;
    });
    setRecordLines(files, relaid);
    rehash(files);
    const report = verify(files);
    expect(report.problems).toEqual([]);
    expect(report.counts).toMatchObject({ records: 7, recordsVerified: 7 });
  });

  it('warns of decision ids at more than one ledger position, in the order their second place comes', () => {
    const files = fixtureFiles();
    const lines = recordLines(files);
    const renamed = (line: string | undefined, from: string, to: string): string => (line ?? '').replace(`"decisionId":"${from}"`, `"decisionId":"${to}"`);
    const [a0, a1, a2, a3] = lines.map((line) => JSON.parse(line).decisionId as string);
    // Positions 0..3 of one batch named a0 a1 a1 a0: a1 repeats first (at position 2), then a0 (at 3).
    setRecordLines(files, [lines[0] ?? '', lines[1] ?? '', renamed(lines[2], a2 ?? '', a1 ?? ''), renamed(lines[3], a3 ?? '', a0 ?? ''), ...lines.slice(4)]);
    rehash(files);
    const report = verify(files);
    const place = (position: number) => `block ${FIRST_BLOCK} tx 1dddbf2d0b5a0d30… position ${position}`;
    expect(report.warnings).toEqual([`decision ${a1} appears 2 times on the ledger: ${place(1)}; ${place(2)}`, `decision ${a0} appears 2 times on the ledger: ${place(0)}; ${place(3)}`]);
    expect(messages(report)).toContainEqual(expect.stringMatching(new RegExp(`^record ${a1} \\(line 3\\): the record's decisionId is "${a2}"$`)));
  });

  it('accepts a pinned config block hash and manifest digest, and refuses wrong ones', () => {
    const files = fixtureFiles();
    const good = verify(files);
    const pinned = verify(files, { trustedConfigHash: good.trust.configBlocks[0]?.headerSha256, expectedManifestSha256: file(files, 'manifest.sha256').toString().slice(0, 64) });
    expect(pinned.ok).toBe(true);
    const wrong = verify(files, { trustedConfigHash: '00'.repeat(32), expectedManifestSha256: '11'.repeat(32) });
    expect(wrong.ok).toBe(false);
    expect(messages(wrong)).toEqual(expect.arrayContaining([expect.stringMatching(/no config block in the bundle has the trusted header hash 0{64}/), expect.stringMatching(/manifest.json: SHA-256 [0-9a-f]{64} is not the expected 1{64}/)]));
  });

  type Case = { name: string; tamper: (files: Map<string, Buffer>) => void; expected: RegExp[]; badRecords?: number };
  const cases: Case[] = [
    {
      name: 'one byte of a record',
      tamper: (f) => flipByte(f, 'records.ndjson', offsetOf(f, 'records.ndjson', '"inputSha256":"') + 15),
      expected: [/^records.ndjson: SHA-256 differs from the manifest$/, /^record fix-a0-\w+-0: bytes differ from write in tx 1dddbf2d0b5a0d30… block \d+$/],
      badRecords: 1,
    },
    {
      name: 'one byte of a record, manifest rehashed',
      tamper: (f) => {
        flipByte(f, 'records.ndjson', offsetOf(f, 'records.ndjson', '"useCase":"') + 12);
        rehash(f);
      },
      expected: [/^record fix-a0-\w+-0: bytes differ from write in tx [0-9a-f]{16}… block \d+$/],
      badRecords: 1,
    },
    {
      name: "one byte of a block's data",
      tamper: (f) => flipByte(f, firstBlock, offsetOf(f, firstBlock, batchWriteOf(f).value) + (batchWriteOf(f).span.start + 30)),
      expected: [
        /^block \d+: data hash mismatch$/,
        /: endorsement by peer0\.operator\.aiaudit\.local \(OperatorOrgMSP\): signature invalid$/,
        /: endorsement by peer0\.regulator\.aiaudit\.local \(RegulatorOrgMSP\): signature invalid$/,
        /: creator signature invalid \(by User1@operator\.aiaudit\.local \(OperatorOrgMSP\)\)$/,
        /^record fix-a0-\w+-0: bytes differ from write/,
      ],
      badRecords: 4,
    },
    {
      name: "one byte of the orderer's signature",
      tamper: (f) => {
        const signature = parseBlock(file(f, firstBlock)).signatures[0]?.signature ?? new Uint8Array();
        flipByte(f, firstBlock, offsetOf(f, firstBlock, signature) + 10);
        rehash(f);
      },
      expected: [/^block \d+: orderer signature invalid \(by orderer0\.orderer\.aiaudit\.local \(OrdererMSP\)\)$/, /^block \d+: orderer signatures do not satisfy \/Channel\/Orderer\/BlockValidation \(ANY Writers: 0 of 1/],
      badRecords: 4,
    },
    {
      name: "one byte of the validation codes (not signed by the orderer)",
      tamper: (f) => {
        const block = common.Block.deserializeBinary(file(f, firstBlock));
        const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
        const list = block.getMetadata()?.getMetadataList_asU8() ?? [];
        list[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(filter, (code, i) => (i === 1 ? code ^ 1 : code));
        block.getMetadata()?.setMetadataList(list);
        f.set(firstBlock, Buffer.from(block.serializeBinary()));
        rehash(f);
      },
      expected: [/^tx 1dddbf2d0b5a0d30… block \d+: not VALID \(NIL_ENVELOPE\)$/],
      badRecords: 4,
    },
    {
      name: 'one byte of a CA certificate in the config block',
      tamper: (f) => {
        flipByte(f, 'config/0.block', offsetOf(f, 'config/0.block', '-----BEGIN CERTIFICATE-----') + 200);
        rehash(f);
      },
      expected: [/^config block 0: data hash mismatch$/, /^config block 0: \w+ root certificate 0 .*(cannot be parsed|not a valid self-signed CA)/, /certificate not issued by any channel CA$/],
      badRecords: 7,
    },
    {
      name: 'one byte of the manifest',
      tamper: (f) => flipByte(f, 'manifest.json', offsetOf(f, 'manifest.json', '"createdAt": "') + 20),
      expected: [/^manifest.json: SHA-256 differs from manifest.sha256 \(the manifest was changed\)$/],
    },
    {
      name: "the manifest's filter, rehashed",
      tamper: (f) => {
        editManifest(f, (m) => {
          m.filter = { modelId: 'another-model' };
        });
        rehash(f);
      },
      expected: [/^record fix-a0-\w+-0: does not match the export's filter \(modelId is "model-vfix-a-\w+", not "another-model"\)$/],
      badRecords: 7,
    },
    {
      name: 'a dropped block',
      tamper: (f) => f.delete(`blocks/${SECOND_BLOCK}.block`),
      expected: [new RegExp(`^blocks/${SECOND_BLOCK}.block: listed in the manifest but missing from the bundle$`), new RegExp(`^record fix-a1-\\w+-0: block ${SECOND_BLOCK} is not in the bundle$`)],
      badRecords: 3,
    },
    {
      name: 'a dropped config block',
      tamper: (f) => {
        f.delete('config/0.block');
        rehash(f);
      },
      expected: [/^the bundle holds no config block/, /^block \d+: its config block 0 is not in the bundle/],
      badRecords: 7,
    },
    {
      name: 'reordered records, rehashed',
      tamper: (f) => {
        const lines = recordLines(f);
        setRecordLines(f, [lines[4]!, ...lines.slice(1, 4), lines[0]!, ...lines.slice(5)]);
        rehash(f);
      },
      expected: [/^record fix-a0-\w+-1 \(line 2\): out of ledger order \(block \d+ tx 1 position 1 comes after block \d+ tx 0 position 0\)$/],
    },
    {
      name: 'a record substituted by one of another model (same block), rehashed',
      tamper: (f) => {
        const lines = recordLines(f);
        setRecordLines(f, [foreignLine(f), ...lines.slice(1)]);
        rehash(f);
      },
      expected: [/^record fix-b0-\w+-0: does not match the export's filter \(modelId is "model-vfix-b-\w+", not "model-vfix-a-\w+"\)$/, /^decision fix-a0-\w+-0 at block \d+ tx [0-9a-f]{16}… position 0 matches the export's filter but is missing from records.ndjson$/],
      badRecords: 1,
    },
    {
      name: 'a repeated record line',
      tamper: (f) => {
        const lines = recordLines(f);
        setRecordLines(f, [...lines.slice(0, 2), lines[1]!, ...lines.slice(2)]);
      },
      expected: [/^record fix-a0-\w+-1 \(line 3\): repeats an earlier line's ledger position$/, /^records.ndjson holds 8 records, the manifest says 7$/],
    },
    {
      name: 'a record line that is not JSON',
      tamper: (f) => flipByte(f, 'records.ndjson', 0),
      expected: [/^records.ndjson line 1: not valid JSON/],
      badRecords: 1,
    },
  ];

  it.each(cases)('fails on $name', ({ tamper, expected, badRecords }) => {
    const files = fixtureFiles();
    tamper(files);
    const report = verify(files);
    expect(report.ok).toBe(false);
    for (const pattern of expected) expect(messages(report)).toContainEqual(expect.stringMatching(pattern));
    if (badRecords !== undefined) expect(report.records.filter((r) => !r.ok)).toHaveLength(badRecords);
  });

  describe('endorsements forged with a throwaway CA', () => {
    const ca = throwawayCa('evil.example');
    const signer = ca.issue('peer0.evil.example');

    it('fails when an endorsement comes from an org that is not on the channel', () => {
      const files = fixtureFiles();
      files.set(firstBlock, forgeEndorsement(file(files, firstBlock), 1, 1, signer, 'EvilOrgMSP'));
      rehash(files);
      const report = verify(files);
      expect(report.ok).toBe(false);
      expect(messages(report)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^tx 1dddbf2d0b5a0d30… block \d+: endorsement by EvilOrgMSP: EvilOrgMSP is not an organisation of the channel$/),
          expect.stringMatching(/^tx 1dddbf2d0b5a0d30… block \d+: endorsements do not satisfy \/Channel\/Application\/Endorsement \(MAJORITY Endorsement: 1 of 2 satisfied, 2 needed/),
          // Re-serialising the transaction changed the block header: the orderer's signature and the hash chain break too.
          expect.stringMatching(/^block \d+: orderer signature invalid/),
          expect.stringMatching(/^block \d+: previous hash does not match the header hash of block \d+$/),
        ]),
      );
      expect(report.records.filter((r) => !r.ok)).toHaveLength(7);
    });

    it("fails when an endorsement claims a channel org but its certificate is not from that org's CA", () => {
      const files = fixtureFiles();
      files.set(firstBlock, forgeEndorsement(file(files, firstBlock), 1, 0, signer, 'OperatorOrgMSP'));
      rehash(files);
      const report = verify(files);
      expect(messages(report)).toContainEqual(expect.stringMatching(/: endorsement by OperatorOrgMSP: certificate not issued by any channel CA$/));
      expect(report.ok).toBe(false);
    });
  });
});
