// Decodes a committed transaction as the peer's qscc returns it (ProcessedTransaction): validity and endorsers.
import { common, msp, peer } from '@hyperledger/fabric-protos';

export interface CommittedTransaction {
  txId: string;
  channelId: string;
  /** Fabric's TxValidationCode name, e.g. VALID or MVCC_READ_CONFLICT. */
  validation: string;
  /** MSP ids of the peers that endorsed each action, in order. */
  endorserMspIds: string[];
  creatorMspId: string;
}

const validationNames = new Map<number, string>(
  Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name]),
);

export function decodeProcessedTransaction(bytes: Uint8Array): CommittedTransaction {
  const processed = peer.ProcessedTransaction.deserializeBinary(bytes);
  const envelope = processed.getTransactionenvelope();
  if (!envelope) throw new Error('processed transaction has no envelope');
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  if (!header) throw new Error('transaction payload has no header');
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const endorserMspIds = tx.getActionsList().flatMap((action) => {
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    return (actionPayload.getAction()?.getEndorsementsList() ?? []).map(
      (e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid(),
    );
  });
  const code = processed.getValidationcode();
  return {
    txId: channelHeader.getTxId(),
    channelId: channelHeader.getChannelId(),
    validation: validationNames.get(code) ?? `UNKNOWN(${code})`,
    endorserMspIds,
    creatorMspId: creator.getMspid(),
  };
}
