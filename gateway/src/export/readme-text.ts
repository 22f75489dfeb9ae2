// README.txt of every bundle: what it holds and how a regulator verifies it offline.

export interface ReadmeFacts {
  exportId: string;
  channel: string;
  chaincode: string;
  createdAt: string;
  archiveName: string;
}

export function bundleReadme(facts: ReadmeFacts): string {
  return `aiaudit evidence bundle ${facts.exportId}
Channel ${facts.channel}, chaincode ${facts.chaincode}, exported ${facts.createdAt}.

WHAT IS IN IT
  records.ndjson     one decision record per line, in ledger order. Each line names where the record
                     sits on the ledger (txId, blockNumber, txIndex, batchId, position) and holds the
                     record ("record") with exactly the bytes the chaincode wrote.
  blocks/<n>.block   every block that holds one of the records' writes: the raw protobuf bytes
                     (common.Block) as the peer serves them (qscc GetBlockByNumber).
  config/<n>.block   the channel config blocks from the genesis block to the one in force: the orgs'
                     CA certificates, the orderer's, and the channel's policies.
  manifest.json      the export's filter, time, counts, Fabric version, channel and chaincode, and
                     the SHA-256 of every other file.
  manifest.sha256    the SHA-256 of manifest.json (the export's status in the gateway reports it too).

HOW TO VERIFY (no network access is needed)
  With the aiaudit repository (Node.js 20+):
      npm run verify -- ${facts.archiveName}
  or, with the verifier package installed:
      npx aiaudit-verify ${facts.archiveName}
  Either accepts this .tar.gz or the folder it unpacks to. Add --json for a machine-readable report.
  Exit status 0 means every check passed; 1 means something did not (the report names it).

WHAT IS CHECKED
  - every file's SHA-256 against the manifest, and the manifest's against manifest.sha256;
  - each block's data hash (SHA-256 of its transactions) and header hash, the previous-hash chain
    between consecutive blocks, and the orderer's signatures under the channel's BlockValidation
    policy, verified against the orderer org's CA from the config block;
  - the config blocks: the genesis block is the root of trust, later ones follow in sequence and are
    signed by the orderer under the config before them;
  - for each record: its bytes equal the record at its position in the batch written by a VALID
    transaction of its block; the creator's signature and the transaction id; each endorsement's
    signature and certificate (issued by the CA of a channel org) and that the endorsing orgs satisfy
    the channel's endorsement policy (MAJORITY of the orgs: both orgs);
  - that the records match the export's filter, and that no matching record of these blocks is missing.

TRUST
  The verifier trusts nothing but the channel's config block. It prints the config block's header
  SHA-256 and each org's root CA fingerprint: compare them with the channel config your own peer
  holds, or pass --trust-config-hash <sha256> to pin it. Pin the manifest with
  --manifest-sha256 <sha256> as reported by GET /api/v1/exports/${facts.exportId}.
  Validation codes (VALID) are written by the peer that served the blocks and are not signed by the
  orderer; the verifier re-checks signatures and endorsement policy, not MVCC read conflicts.
`;
}
