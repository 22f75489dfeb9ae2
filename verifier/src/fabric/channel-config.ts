// The channel as a config block defines it: its orgs' MSPs (application and orderer), policies, and the config sequence.
import { configOfBlock, type ParsedBlock } from './block.js';
import type { ConfigGroup } from './config-group.js';
import { mspFromConfig, MspRegistry, type Msp } from './msp.js';

export interface ChannelConfig {
  /** The config block's number. */
  readonly blockNumber: number;
  /** Config sequence: +1 for every config update, 0 in the genesis block. */
  readonly sequence: number;
  /** SHA-256 (hex) of the config block's header: what a verifier may pin as its trust anchor. */
  readonly headerSha256: string;
  readonly channelId: string;
  /** The /Channel group: policies are evaluated over it. */
  readonly root: ConfigGroup;
  /** MSP ids of the application orgs (channel members that endorse). */
  readonly applicationOrgs: readonly string[];
  readonly ordererOrgs: readonly string[];
  readonly msps: ReadonlyMap<string, Msp>;
  readonly registry: MspRegistry;
  /** Defects of the config's MSP definitions (a certificate that does not parse or verify). */
  readonly problems: readonly string[];
}

const MSP_KEY = 'MSP';

function orgMsps(group: ConfigGroup | undefined, problems: string[]): Msp[] {
  if (group === undefined) return [];
  return [...group.groups].flatMap(([name, org]) => {
    const value = org.values.get(MSP_KEY);
    if (value === undefined) {
      problems.push(`org group ${name} has no MSP`);
      return [];
    }
    try {
      return [mspFromConfig(value)];
    } catch {
      problems.push(`org group ${name}: its MSP definition cannot be decoded`);
      return [];
    }
  });
}

/** Reads the channel config of a config block; throws BlockParseError when it is not one. */
export function channelConfigOf(block: ParsedBlock): ChannelConfig {
  const { channelId, sequence, root } = configOfBlock(block);
  if (root === undefined) throw new Error(`config block ${block.number} has no channel group`);
  const problems: string[] = [];
  const application = orgMsps(root.groups.get('Application'), problems);
  const orderer = orgMsps(root.groups.get('Orderer'), problems);
  const msps = new Map<string, Msp>();
  for (const msp of [...application, ...orderer]) {
    msps.set(msp.id, msp);
    problems.push(...msp.problems);
  }
  return {
    blockNumber: block.number,
    sequence,
    headerSha256: block.headerHash.toString('hex'),
    channelId,
    root,
    applicationOrgs: application.map((m) => m.id),
    ordererOrgs: orderer.map((m) => m.id),
    msps,
    registry: new MspRegistry(msps),
    problems,
  };
}
