// Fabric blocks built with the protobuf classes (no network): transactions with KV writes, events and validation codes.
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';

export interface SyntheticWrite {
  key: string;
  value: string | Uint8Array;
  isDelete?: boolean;
}

export interface SyntheticTx {
  txId: string;
  creatorMspId?: string;
  /** TxValidationCode; default VALID (0). */
  validationCode?: number;
  namespaces?: { namespace: string; writes: SyntheticWrite[] }[];
  event?: { chaincodeId: string; name: string; payload: unknown };
}

/** A block holding `txs`; `filter: false` leaves out the TRANSACTIONS_FILTER metadata. */
export function syntheticBlock(number: number, txs: readonly SyntheticTx[], options: { filter?: boolean } = {}): common.Block {
  const block = new common.Block();
  const header = new common.BlockHeader();
  header.setNumber(number);
  block.setHeader(header);
  const data = new common.BlockData();
  data.setDataList(txs.map(envelopeOf));
  block.setData(data);
  const metadata = new common.BlockMetadata();
  const filter = options.filter === false ? new Uint8Array() : Uint8Array.from(txs.map((tx) => tx.validationCode ?? 0));
  metadata.setMetadataList([new Uint8Array(), new Uint8Array(), filter]);
  block.setMetadata(metadata);
  return block;
}

function envelopeOf(tx: SyntheticTx): Uint8Array {
  const rwset = new ledger.rwset.TxReadWriteSet();
  rwset.setNsRwsetList(
    (tx.namespaces ?? []).map(({ namespace, writes }) => {
      const kv = new ledger.rwset.kvrwset.KVRWSet();
      kv.setWritesList(
        writes.map(({ key, value, isDelete }) => {
          const w = new ledger.rwset.kvrwset.KVWrite();
          w.setKey(key);
          w.setValue(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
          w.setIsDelete(isDelete ?? false);
          return w;
        }),
      );
      const ns = new ledger.rwset.NsReadWriteSet();
      ns.setNamespace(namespace);
      ns.setRwset(kv.serializeBinary());
      return ns;
    }),
  );
  const chaincodeAction = new peer.ChaincodeAction();
  chaincodeAction.setResults(rwset.serializeBinary());
  if (tx.event !== undefined) {
    const event = new peer.ChaincodeEvent();
    event.setChaincodeId(tx.event.chaincodeId);
    event.setTxId(tx.txId);
    event.setEventName(tx.event.name);
    event.setPayload(Buffer.from(JSON.stringify(tx.event.payload), 'utf8'));
    chaincodeAction.setEvents(event.serializeBinary());
  }
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);

  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(tx.txId);
  channelHeader.setChannelId('aiaudit');
  const signatureHeader = new common.SignatureHeader();
  if (tx.creatorMspId !== undefined) {
    const creator = new msp.SerializedIdentity();
    creator.setMspid(tx.creatorMspId);
    signatureHeader.setCreator(creator.serializeBinary());
  }
  const payloadHeader = new common.Header();
  payloadHeader.setChannelHeader(channelHeader.serializeBinary());
  payloadHeader.setSignatureHeader(signatureHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(payloadHeader);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope.serializeBinary();
}
