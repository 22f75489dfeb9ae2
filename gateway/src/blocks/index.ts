// Fabric block decoding with no network, database or HTTP, for the gateway's index and exports: an adapter over the verifier's decoder.
export { BlockDecodeError, decodeBlock, validationName, valueText, type ChaincodeEventData, type DecodedBlock, type DecodedTransaction, type KvWrite, type NamespaceWrites } from './decode-block.js';
