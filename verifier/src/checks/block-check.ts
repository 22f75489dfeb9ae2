// Checks (2), (3) and (6): every block's data hash, header hash chain and orderer signatures; the config blocks as a chain of trust.
import { blockFileOf, CONFIG_DIR } from '../bundle/layout.js';
import { BlockParseError, parseBlock, type ParsedBlock } from '../fabric/block.js';
import { channelConfigOf, type ChannelConfig } from '../fabric/channel-config.js';
import type { Findings } from '../report.js';
import { ordererSignatureProblems } from './orderer-check.js';

export interface LedgerEvidence {
  /** Parsed data blocks by number (even those that failed a check). */
  readonly blocks: ReadonlyMap<number, ParsedBlock>;
  /** Channel configs by config block number, oldest first. */
  readonly configs: ReadonlyMap<number, ChannelConfig>;
  /** Each block's (data or config) failed checks: records resting on them inherit these. */
  readonly blockProblems: ReadonlyMap<number, readonly string[]>;
  readonly blockFiles: number;
  /** Data blocks whose checks all passed. */
  readonly blocksVerified: number;
}

export interface BlockCheckOptions {
  /** The channel the manifest names: every block must be of it. */
  channel: string | undefined;
  /** Header SHA-256 (hex) of a config block the verifier trusts out of band (e.g. read from its own peer). */
  trustedConfigHash?: string | undefined;
}

export function checkBlocks(files: ReadonlyMap<string, Buffer>, findings: Findings, options: BlockCheckOptions): LedgerEvidence {
  const blockProblems = new Map<number, string[]>();
  const problem = (number: number, check: 'block' | 'config', message: string): void => {
    findings.fail(check, message);
    blockProblems.set(number, [...(blockProblems.get(number) ?? []), message]);
  };
  const parsed = { block: new Map<number, ParsedBlock>(), config: new Map<number, ParsedBlock>() };
  let blockFiles = 0;
  for (const [path, bytes] of files) {
    const file = blockFileOf(path);
    if (file === undefined) continue;
    blockFiles++;
    const check = file.dir === CONFIG_DIR ? 'config' : 'block';
    const what = `${check === 'config' ? 'config block' : 'block'} ${file.number}`;
    let block: ParsedBlock;
    try {
      block = parseBlock(bytes);
    } catch (err) {
      problem(file.number, check, `${what}: ${err instanceof BlockParseError ? err.message : 'cannot be decoded'}`);
      continue;
    }
    if (block.number !== file.number) {
      problem(file.number, check, `${path} holds block ${block.number}, not ${file.number}`);
      continue;
    }
    if (!block.computedDataHash.equals(block.dataHash)) problem(block.number, check, `${what}: data hash mismatch`);
    parsed[check].set(block.number, block);
  }

  const configs = checkConfigChain(parsed.config, findings, options, (n, m) => problem(n, 'config', m));

  // Hash chain wherever consecutive blocks are present (data and config blocks alike).
  const all = new Map<number, ParsedBlock>([...parsed.config, ...parsed.block]);
  for (const [number, block] of all) {
    const previous = all.get(number - 1);
    if (previous !== undefined && !previous.headerHash.equals(block.previousHash)) {
      problem(number, parsed.config.has(number) ? 'config' : 'block', `block ${number}: previous hash does not match the header hash of block ${number - 1}`);
    }
  }

  let blocksVerified = 0;
  for (const [number, block] of [...parsed.block].sort(([a], [b]) => a - b)) {
    const configNumber = block.lastConfig;
    const config = configNumber === undefined ? undefined : configs.get(configNumber);
    if (config === undefined) {
      problem(number, 'block', `block ${number}: its config block ${configNumber ?? '(none named)'} is not in the bundle or not valid, so its orderer signature cannot be checked`);
    } else {
      if (options.channel !== undefined && config.channelId !== options.channel) problem(number, 'block', `block ${number}: of channel ${config.channelId}, not ${options.channel}`);
      for (const message of ordererSignatureProblems(block, config)) problem(number, 'block', message);
    }
    if (!blockProblems.has(number)) blocksVerified++;
  }
  return { blocks: parsed.block, configs, blockProblems, blockFiles, blocksVerified };
}

/**
 * The config blocks, oldest first: the first is the trust anchor (the genesis block, or the block
 * whose header hash was given as trusted); each later one must have the next config sequence and be
 * signed by the orderers under the config before it.
 */
function checkConfigChain(
  blocks: ReadonlyMap<number, ParsedBlock>,
  findings: Findings,
  options: BlockCheckOptions,
  problem: (number: number, message: string) => void,
): Map<number, ChannelConfig> {
  const configs = new Map<number, ChannelConfig>();
  const sorted = [...blocks.values()].sort((a, b) => a.number - b.number);
  if (sorted.length === 0) findings.fail('config', 'the bundle holds no config block: there is nothing to check signatures against');
  let previous: ChannelConfig | undefined;
  for (const block of sorted) {
    const what = `config block ${block.number}`;
    let config: ChannelConfig;
    try {
      config = channelConfigOf(block);
    } catch (err) {
      problem(block.number, `${what}: ${err instanceof Error ? err.message : 'cannot be read'}`);
      continue;
    }
    for (const defect of config.problems) problem(block.number, `${what}: ${defect}`);
    if (options.channel !== undefined && config.channelId !== options.channel) problem(block.number, `${what}: of channel ${config.channelId}, not ${options.channel}`);
    const trusted = options.trustedConfigHash !== undefined && block.headerHash.toString('hex') === options.trustedConfigHash.toLowerCase();
    if (previous === undefined) {
      if (trusted) {
        // Pinned by the caller: nothing in the bundle needs to vouch for it.
      } else if (block.number === 0 && config.sequence === 0 && block.previousHash.length === 0) {
        // The genesis block is the channel's root of trust: it carries no orderer signature.
      } else {
        problem(block.number, `${what}: the bundle has no earlier config block (down to the genesis block) to verify it against`);
      }
    } else {
      if (config.sequence !== previous.sequence + 1) {
        problem(block.number, `${what}: config sequence ${config.sequence} does not follow ${previous.sequence} of config block ${previous.blockNumber} (a config block is missing)`);
      }
      for (const message of ordererSignatureProblems(block, previous, what)) problem(block.number, message);
    }
    configs.set(block.number, config);
    previous = config;
  }
  if (options.trustedConfigHash !== undefined && !sorted.some((b) => b.headerHash.toString('hex') === options.trustedConfigHash?.toLowerCase())) {
    findings.fail('config', `no config block in the bundle has the trusted header hash ${options.trustedConfigHash}`);
  }
  return configs;
}
