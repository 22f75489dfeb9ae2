// Test-only: rewrite a transaction inside a block (protobuf re-serialisation) to forge endorsements or change signatures.
import { createHash } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { lowSSign, type Signer } from './throwaway-ca.js';

/** Replaces endorsement `which` of transaction `txIndex` with one signed by `signer` as `mspId`; the block's data hash is left stale unless `fixDataHash`. */
export function forgeEndorsement(blockBytes: Uint8Array, txIndex: number, which: number, signer: Signer, mspId: string, fixDataHash = true): Buffer {
  const block = common.Block.deserializeBinary(blockBytes);
  const data = block.getData();
  const envelopeBytes = data?.getDataList_asU8()[txIndex];
  if (data === undefined || envelopeBytes === undefined) throw new Error(`no transaction ${txIndex}`);
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = transaction.getActionsList()[0];
  if (action === undefined) throw new Error('no action');
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = actionPayload.getAction();
  if (endorsed === undefined) throw new Error('no endorsed action');
  const identity = new msp.SerializedIdentity();
  identity.setMspid(mspId);
  identity.setIdBytes(Buffer.from(signer.certPem));
  const endorser = identity.serializeBinary();
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(endorser);
  endorsement.setSignature(lowSSign(signer.key, Buffer.concat([endorsed.getProposalResponsePayload_asU8(), endorser])));
  const list = endorsed.getEndorsementsList();
  list[which] = endorsement;
  endorsed.setEndorsementsList(list);
  actionPayload.setAction(endorsed);
  action.setPayload(actionPayload.serializeBinary());
  payload.setData(transaction.serializeBinary());
  envelope.setPayload(payload.serializeBinary());
  const envelopes = data.getDataList_asU8().map((e, i) => (i === txIndex ? envelope.serializeBinary() : e));
  data.setDataList(envelopes);
  if (fixDataHash) block.getHeader()?.setDataHash(createHash('sha256').update(Buffer.concat(envelopes)).digest());
  return Buffer.from(block.serializeBinary());
}
