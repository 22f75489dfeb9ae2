// The verifier's own decoding of real blocks, compared field by field with Fabric's generated protobuf code.
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { blockNumbers, file, fixtureFiles } from '../testing/fixture.js';
import { forgeEndorsement } from '../testing/tamper.js';
import { throwawayCa } from '../testing/throwaway-ca.js';
import { configOfBlock, parseBlock, readBlock } from './block.js';
import { channelConfigOf } from './channel-config.js';
import type { ConfigGroup } from './config-group.js';
import { BlockMetadataIndex, HeaderType, ImplicitMetaRule, MspRoleType, PolicyType, PrincipalClassification, TxValidationCode } from './messages.js';
import { bytesField, message, varintField } from '../testing/wire.js';
import { decodeChaincodeEvent, decodeTransaction } from './transaction.js';

const files = fixtureFiles();
const forged = forgeEndorsement(file(files, `blocks/${blockNumbers(files)[0]}.block`), 1, 1, throwawayCa('evil.example').issue('peer0.evil.example'), 'EvilOrgMSP');
const blocks: [string, Uint8Array][] = [...blockNumbers(files).map((n): [string, Uint8Array] => [`block ${n}`, file(files, `blocks/${n}.block`)]), ['config block 0', file(files, 'config/0.block')], ['a re-serialised (forged) block', forged]];

const bytes = (b: Uint8Array | string): number[] => [...(typeof b === 'string' ? Buffer.from(b, 'base64') : b)];

/** What the generated code makes of a transaction envelope, in the shape decodeTransaction returns. */
function generatedTransaction(envelopeBytes: Uint8Array) {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
  const signatureHeader = common.SignatureHeader.deserializeBinary(payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array());
  const ts = channelHeader.getTimestamp();
  const actions =
    channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION
      ? []
      : peer.Transaction.deserializeBinary(payload.getData_asU8())
          .getActionsList()
          .map((action) => {
            const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
            const endorsed = actionPayload.getAction();
            const response = peer.ProposalResponsePayload.deserializeBinary(endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array());
            const chaincodeAction = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
            const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
            return {
              signatureHeader: bytes(action.getHeader_asU8()),
              chaincodeProposalPayload: bytes(actionPayload.getChaincodeProposalPayload_asU8()),
              proposalResponsePayload: bytes(endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array()),
              proposalHash: bytes(response.getProposalHash_asU8()),
              endorsements: endorsed?.getEndorsementsList().map((e) => ({ endorser: bytes(e.getEndorser_asU8()), signature: bytes(e.getSignature_asU8()) })),
              writes: rwset.getNsRwsetList().map((ns) => [
                ns.getNamespace(),
                ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8())
                  .getWritesList()
                  .map((w) => ({ key: w.getKey(), isDelete: w.getIsDelete(), value: bytes(w.getValue_asU8()) })),
              ]),
              collections: rwset.getNsRwsetList().map((ns) => [ns.getNamespace(), ns.getCollectionHashedRwsetList().map((c) => c.getCollectionName())]),
              event: bytes(chaincodeAction.getEvents_asU8()),
            };
          });
  return {
    txId: channelHeader.getTxId(),
    channelId: channelHeader.getChannelId(),
    type: channelHeader.getType(),
    timestamp: ts === undefined ? undefined : new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1_000_000)).toISOString(),
    payload: bytes(envelope.getPayload_asU8()),
    signature: bytes(envelope.getSignature_asU8()),
    creator: bytes(signatureHeader.getCreator_asU8()),
    nonce: bytes(signatureHeader.getNonce_asU8()),
    actions,
  };
}

/** A config group as the generated code reads it, in ConfigGroup's shape. */
function generatedGroup(group: common.ConfigGroup): unknown {
  return {
    groups: [...group.getGroupsMap().entries()].map(([name, sub]) => [name, generatedGroup(sub)]),
    values: [...group.getValuesMap().entries()].map(([name, value]) => [name, bytes(value.getValue_asU8())]),
    policies: [...group.getPoliciesMap().entries()].map(([name, policy]) => [name, policy.getPolicy() === undefined ? undefined : { type: policy.getPolicy()?.getType(), value: bytes(policy.getPolicy()?.getValue_asU8() ?? new Uint8Array()) }]),
  };
}

function ownGroup(group: ConfigGroup): unknown {
  return {
    groups: [...group.groups].map(([name, sub]) => [name, ownGroup(sub)]),
    values: [...group.values].map(([name, value]) => [name, bytes(value)]),
    policies: [...group.policies].map(([name, policy]) => [name, policy === undefined ? undefined : { type: policy.type, value: bytes(policy.value) }]),
  };
}

describe.each(blocks)('%s, decoded as the generated code decodes it', (_name, blockBytes) => {
  const generated = common.Block.deserializeBinary(blockBytes);
  const metadata = generated.getMetadata()?.getMetadataList_asU8() ?? [];

  it('has the same header, envelopes and metadata', () => {
    const own = readBlock(blockBytes);
    expect(own.number).toBe(generated.getHeader()?.getNumber());
    expect(bytes(own.previousHash)).toEqual(bytes(generated.getHeader()?.getPreviousHash_asU8() ?? ''));
    expect(bytes(own.dataHash)).toEqual(bytes(generated.getHeader()?.getDataHash_asU8() ?? ''));
    expect(own.envelopes.map(bytes)).toEqual((generated.getData()?.getDataList_asU8() ?? []).map(bytes));
    expect(bytes(own.validationCodes)).toEqual(bytes(metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? ''));
  });

  it('has the same orderer signatures and last config', () => {
    const own = parseBlock(blockBytes);
    const signatures = common.Metadata.deserializeBinary(metadata[common.BlockMetadataIndex.SIGNATURES] ?? new Uint8Array());
    expect(bytes(own.signedMetadataValue)).toEqual(bytes(signatures.getValue_asU8()));
    expect(own.lastConfig).toBe(common.OrdererBlockMetadata.deserializeBinary(signatures.getValue_asU8()).getLastConfig()?.getIndex());
    expect(own.signatures.map((s) => ({ header: bytes(s.signatureHeader), creator: bytes(s.creator), signature: bytes(s.signature) }))).toEqual(
      signatures.getSignaturesList().map((s) => ({
        header: bytes(s.getSignatureHeader_asU8()),
        creator: bytes(common.SignatureHeader.deserializeBinary(s.getSignatureHeader_asU8()).getCreator_asU8()),
        signature: bytes(s.getSignature_asU8()),
      })),
    );
  });

  it('has the same transactions, writes and chaincode events', () => {
    const own = readBlock(blockBytes);
    own.envelopes.forEach((envelope, index) => {
      const tx = decodeTransaction(envelope, index);
      const { actions, ...rest } = generatedTransaction(envelope);
      expect({ txId: tx.txId, channelId: tx.channelId, type: tx.type, timestamp: tx.timestamp, payload: bytes(tx.payload), signature: bytes(tx.signature), creator: bytes(tx.creator), nonce: bytes(tx.nonce) }).toEqual(rest);
      expect(
        tx.actions.map((a) => ({
          signatureHeader: bytes(a.signatureHeader),
          chaincodeProposalPayload: bytes(a.chaincodeProposalPayload),
          proposalResponsePayload: bytes(a.proposalResponsePayload),
          proposalHash: bytes(a.proposalHash),
          endorsements: a.endorsements.map((e) => ({ endorser: bytes(e.endorser), signature: bytes(e.signature) })),
          writes: [...a.writes].map(([ns, writes]) => [ns, writes.map((w) => ({ key: w.key, isDelete: w.isDelete, value: bytes(w.value) }))]),
          collections: [...a.collections],
          event: bytes(a.event),
        })),
      ).toEqual(actions);
      for (const action of tx.actions) {
        const event = action.event.length === 0 ? undefined : peer.ChaincodeEvent.deserializeBinary(action.event);
        const expected = event === undefined || event.getEventName() === '' ? undefined : { chaincodeId: event.getChaincodeId(), txId: event.getTxId(), eventName: event.getEventName(), payload: bytes(event.getPayload_asU8()) };
        const decoded = decodeChaincodeEvent(action.event);
        expect(decoded === undefined ? undefined : { ...decoded, payload: bytes(decoded.payload) }).toEqual(expected);
      }
    });
  });
});

describe('the config block, decoded as the generated code decodes it', () => {
  const configBytes = file(files, 'config/0.block');
  const envelope = common.Envelope.deserializeBinary(common.Block.deserializeBinary(configBytes).getData()?.getDataList_asU8()[0] ?? new Uint8Array());
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();

  it('has the same channel, sequence and config tree (groups, values, policies in the same order)', () => {
    const own = configOfBlock(parseBlock(configBytes));
    expect(own.channelId).toBe(common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array()).getChannelId());
    expect(own.sequence).toBe(config?.getSequence());
    const group = config?.getChannelGroup();
    expect(group).toBeDefined();
    expect(own.root === undefined ? undefined : ownGroup(own.root)).toEqual(group === undefined ? undefined : generatedGroup(group));
  });

  it('has the same MSPs: names, root certificates, node OUs', () => {
    const own = channelConfigOf(parseBlock(configBytes));
    const orgs = ['Application', 'Orderer'].flatMap((name) => [...(config?.getChannelGroup()?.getGroupsMap().get(name)?.getGroupsMap().entries() ?? [])]);
    const expected = orgs.map(([, org]) => {
      const fabric = msp.FabricMSPConfig.deserializeBinary(msp.MSPConfig.deserializeBinary(org.getValuesMap().get('MSP')?.getValue_asU8() ?? new Uint8Array()).getConfig_asU8());
      return { id: fabric.getName(), roots: fabric.getRootCertsList_asU8().length, peerOu: fabric.getFabricNodeOus()?.getPeerOuIdentifier()?.getOrganizationalUnitIdentifier() };
    });
    expect([...own.msps.values()].map((m) => ({ id: m.id, roots: m.roots.length, peerOu: m.nodeOus?.peer?.ou }))).toEqual(expected);
  });
});

describe('the enum values the checks compare', () => {
  it('are those of the generated code', () => {
    expect(TxValidationCode).toEqual(peer.TxValidationCode);
    expect(HeaderType).toMatchObject({ CONFIG: common.HeaderType.CONFIG, ENDORSER_TRANSACTION: common.HeaderType.ENDORSER_TRANSACTION });
    expect(BlockMetadataIndex).toMatchObject({ SIGNATURES: common.BlockMetadataIndex.SIGNATURES, TRANSACTIONS_FILTER: common.BlockMetadataIndex.TRANSACTIONS_FILTER });
    expect(PolicyType).toMatchObject({ SIGNATURE: common.Policy.PolicyType.SIGNATURE, IMPLICIT_META: common.Policy.PolicyType.IMPLICIT_META });
    expect(ImplicitMetaRule).toEqual(common.ImplicitMetaPolicy.Rule);
    expect(MspRoleType).toEqual(msp.MSPRole.MSPRoleType);
    expect(PrincipalClassification).toMatchObject({ ROLE: 0, ORGANIZATION_UNIT: 1, IDENTITY: 2, ANONYMITY: 3 });
    expect(PrincipalClassification).toMatchObject(Object.fromEntries(Object.entries(msp.MSPPrincipal.Classification).filter(([k]) => k !== 'COMBINED')));
  });
});

describe('a transaction whose channel header time is out of Date range', () => {
  it('decodes with no timestamp instead of throwing', () => {
    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
    channelHeader.setChannelId('aiaudit');
    channelHeader.setTxId('tx-far-future');
    // timestamp (field 3) = {seconds (field 1): 2^50}: about 35 million years on, past what a Date can hold.
    const header = new common.Header();
    header.setChannelHeader(message([...channelHeader.serializeBinary()], bytesField(3, varintField(1, 2n ** 50n))));
    header.setSignatureHeader(new common.SignatureHeader().serializeBinary());
    const payload = new common.Payload();
    payload.setHeader(header);
    payload.setData(new peer.Transaction().serializeBinary());
    const envelope = new common.Envelope();
    envelope.setPayload(payload.serializeBinary());
    const tx = decodeTransaction(envelope.serializeBinary(), 0);
    expect(tx.txId).toBe('tx-far-future');
    expect(tx.timestamp).toBeUndefined();
  });
});
