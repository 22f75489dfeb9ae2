// @aiaudit/verifier: verify export bundles offline, and the bundle format the gateway writes them in.
export { BLOCKS_DIR, BUNDLE_FORMAT, CONFIG_DIR, MANIFEST_DIGEST_FILE, MANIFEST_FILE, README_FILE, RECORDS_FILE, blockFileOf, blockPath, configBlockPath, parseManifest, recordLine, ManifestError, type ExportFilter, type Manifest, type ManifestFile, type RecordAnchor } from './bundle/layout.js';
export { filterMismatch } from './bundle/filter.js';
export { readBundle, BundleReadError, type Bundle } from './bundle/read-bundle.js';
export { TarReader, TarError } from './bundle/tar-reader.js';
export { batchRecordSpans, arrayElements, objectMembers, JsonSpanError, type Span } from './json-span.js';
export { parseBlock, readBlock, BlockParseError, type BlockContents, type ParsedBlock } from './fabric/block.js';
export { decodeChaincodeEvent, decodeTransaction, TransactionDecodeError, type ChaincodeEventData, type DecodedTransaction, type TransactionAction, type Write } from './fabric/transaction.js';
export { serializedIdentityOf } from './fabric/msp.js';
export { formatReport } from './format.js';
export { runCli } from './cli.js';
export { verifyBundle, verifyBundlePath, type VerifyOptions } from './verify.js';
export type { CheckName, Counts, Problem, RecordResult, TrustAnchor, VerifyReport } from './report.js';
