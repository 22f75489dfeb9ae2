// Fabric's message shapes for the protobuf reader (which fields are messages, field numbers) and the enum values the checks compare.
import { mapEntry, type Schema } from './protobuf.js';

/** common.HeaderType. */
export const HeaderType = { CONFIG: 1, ENDORSER_TRANSACTION: 3 } as const;

/** common.BlockMetadataIndex. */
export const BlockMetadataIndex = { SIGNATURES: 0, TRANSACTIONS_FILTER: 2 } as const;

/** peer.TxValidationCode, every value (a report names the code a transaction carries). */
export const TxValidationCode = {
  VALID: 0,
  NIL_ENVELOPE: 1,
  BAD_PAYLOAD: 2,
  BAD_COMMON_HEADER: 3,
  BAD_CREATOR_SIGNATURE: 4,
  INVALID_ENDORSER_TRANSACTION: 5,
  INVALID_CONFIG_TRANSACTION: 6,
  UNSUPPORTED_TX_PAYLOAD: 7,
  BAD_PROPOSAL_TXID: 8,
  DUPLICATE_TXID: 9,
  ENDORSEMENT_POLICY_FAILURE: 10,
  MVCC_READ_CONFLICT: 11,
  PHANTOM_READ_CONFLICT: 12,
  UNKNOWN_TX_TYPE: 13,
  TARGET_CHAIN_NOT_FOUND: 14,
  MARSHAL_TX_ERROR: 15,
  NIL_TXACTION: 16,
  EXPIRED_CHAINCODE: 17,
  CHAINCODE_VERSION_CONFLICT: 18,
  BAD_HEADER_EXTENSION: 19,
  BAD_CHANNEL_HEADER: 20,
  BAD_RESPONSE_PAYLOAD: 21,
  BAD_RWSET: 22,
  ILLEGAL_WRITESET: 23,
  INVALID_WRITESET: 24,
  INVALID_CHAINCODE: 25,
  NOT_VALIDATED: 254,
  INVALID_OTHER_REASON: 255,
} as const;

/** common.Policy.PolicyType. */
export const PolicyType = { SIGNATURE: 1, IMPLICIT_META: 3 } as const;

/** common.ImplicitMetaPolicy.Rule. */
export const ImplicitMetaRule = { ANY: 0, ALL: 1, MAJORITY: 2 } as const;

/** common.MSPPrincipal.Classification. */
export const PrincipalClassification = { ROLE: 0, ORGANIZATION_UNIT: 1, IDENTITY: 2, ANONYMITY: 3 } as const;

/** common.MSPRole.MSPRoleType. */
export const MspRoleType = { MEMBER: 0, ADMIN: 1, CLIENT: 2, PEER: 3, ORDERER: 4 } as const;

/** common.MSPIdentityAnonymity.MSPIdentityAnonymityType. */
export const AnonymityType = { NOMINAL: 0 } as const;

// Schemas: the message-typed fields of each message the verifier decodes, down to the leaves.
const LEAF: Schema = {};

/** common.Block: header 1, data 2, metadata 3. */
export const BLOCK: Schema = { 1: LEAF, 2: LEAF, 3: LEAF };
/** common.Metadata: value 1, signatures 2 (MetadataSignature). */
export const METADATA: Schema = { 2: LEAF };
/** common.OrdererBlockMetadata: last_config 1 (LastConfig). */
export const ORDERER_BLOCK_METADATA: Schema = { 1: LEAF };
/** common.Payload: header 1 (Header), data 2. */
export const PAYLOAD: Schema = { 1: LEAF };
/** common.ChannelHeader: timestamp 3. */
export const CHANNEL_HEADER: Schema = { 3: LEAF };
/** peer.Transaction: actions 1 (TransactionAction). */
export const TRANSACTION: Schema = { 1: LEAF };
/** peer.ChaincodeActionPayload: action 2 (ChaincodeEndorsedAction, endorsements 2). */
export const CHAINCODE_ACTION_PAYLOAD: Schema = { 2: { 2: LEAF } };
/** peer.ChaincodeAction: response 3, chaincode_id 4. */
export const CHAINCODE_ACTION: Schema = { 3: LEAF, 4: LEAF };
/** rwset.TxReadWriteSet: ns_rwset 2 (NsReadWriteSet, collection_hashed_rwset 3). */
export const TX_READ_WRITE_SET: Schema = { 2: { 3: LEAF } };
const KV_READ: Schema = { 2: LEAF };
/** kvrwset.KVRWSet: reads 1, range_queries_info 2 (raw_reads 4, reads_merkle_hashes 5), writes 3, metadata_writes 4. */
export const KV_RW_SET: Schema = { 1: KV_READ, 2: { 4: { 1: KV_READ }, 5: LEAF }, 3: LEAF, 4: { 2: LEAF } };

const configGroupFields: { [field: number]: Schema } = { 3: mapEntry(LEAF), 4: mapEntry({ 2: LEAF }) };
/** common.ConfigGroup: groups 2, values 3, policies 4 (ConfigPolicy, policy 2), all maps by name. */
export const CONFIG_GROUP: Schema = configGroupFields;
configGroupFields[2] = mapEntry(CONFIG_GROUP);
/** common.ConfigEnvelope: config 1 (Config, channel_group 2), last_update 2. */
export const CONFIG_ENVELOPE: Schema = { 1: { 2: CONFIG_GROUP }, 2: LEAF };

const signaturePolicyFields: { [field: number]: Schema } = {};
/** common.SignaturePolicy: signed_by 1 or n_out_of 2 (NOutOf: n 1, rules 2). */
export const SIGNATURE_POLICY: Schema = signaturePolicyFields;
signaturePolicyFields[2] = { 2: SIGNATURE_POLICY };
/** common.SignaturePolicyEnvelope: rule 2, identities 3 (MSPPrincipal). */
export const SIGNATURE_POLICY_ENVELOPE: Schema = { 2: SIGNATURE_POLICY, 3: LEAF };

/** msp.FabricMSPConfig: signing_identity 6 (key info 2), organizational_unit_identifiers 7, crypto_config 8, fabric_node_ous 11. */
export const FABRIC_MSP_CONFIG: Schema = { 6: { 2: LEAF }, 7: LEAF, 8: LEAF, 11: { 2: LEAF, 3: LEAF, 4: LEAF, 5: LEAF } };
