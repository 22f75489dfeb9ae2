// Fabric block decoding with no network, database or HTTP: shared by the gateway's index and the offline verifier.
export { BlockDecodeError, decodeBlock, validationName, valueText, type ChaincodeEventData, type DecodedBlock, type DecodedTransaction, type KvWrite, type NamespaceWrites } from './decode-block.js';
