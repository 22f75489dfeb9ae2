// Test access to the local network: the connection profile and gateways as cryptogen users.
import { resolve } from 'node:path';
import type { Gateway } from '@hyperledger/fabric-gateway';
import type { Client } from '@grpc/grpc-js';
import { loadConnectionProfile, type ConnectionProfile, type OrgProfile } from '../../gateway/src/fabric/profile.js';
import { cryptogenUserMsp, loadMspIdentity } from '../../gateway/src/fabric/identity.js';
import { connectGateway, newGrpcClient } from '../../gateway/src/fabric/connection.js';
import { common } from '@hyperledger/fabric-protos';
import { onSubmitted } from './ledger.js';

export type OrgKey = 'operator' | 'regulator';
/** cryptogen users; README: User1 recorder, User2 officer, User3 regulator/reader. */
export type UserName = 'Admin' | 'User1' | 'User2' | 'User3';

export function profilePath(): string {
  const dataDir = process.env['AIAUDIT_DATA_DIR'] ?? resolve(__dirname, '../../.data');
  return resolve(dataDir, 'network/connection.json');
}

export function loadProfile(): ConnectionProfile {
  return loadConnectionProfile(profilePath());
}

export function org(profile: ConnectionProfile, key: OrgKey): OrgProfile {
  const o = profile.orgs[key];
  if (!o) throw new Error(`profile has no org ${key}`);
  return o;
}

function domainOf(o: OrgProfile): string {
  return o.peerHostAlias.replace(/^peer0\./, '');
}

/** Opens gateways on demand and closes them all at the end of a test file. */
export class TestNetwork {
  readonly profile = loadProfile();
  private readonly clients = new Map<OrgKey, Client>();
  private readonly gateways: Gateway[] = [];
  private readonly unregister = onSubmitted((block) => this.settle(block));

  /** Resolves once every org's peer has committed `blockNumber` (polls qscc GetChainInfo, up to 10 s). */
  async settle(blockNumber: bigint): Promise<void> {
    const readers: [OrgKey, UserName][] = [['operator', 'User1'], ['regulator', 'User3']];
    await Promise.all(readers.map(async ([key, user]) => {
      const qscc = this.gateway(key, user).getNetwork(this.profile.channel).getContract('qscc');
      for (let i = 0; i < 200; i++) {
        const info = common.BlockchainInfo.deserializeBinary(await qscc.evaluateTransaction('GetChainInfo', this.profile.channel));
        if (BigInt(info.getHeight()) > blockNumber) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`peer of ${key} did not reach block ${blockNumber} within 10 s`);
    }));
  }

  /** A gateway for `user` of org `as`, connected to the peer of org `via` (default: its own). */
  gateway(as: OrgKey, user: UserName, via: OrgKey = as): Gateway {
    const who = org(this.profile, as);
    const id = loadMspIdentity(who.mspId, cryptogenUserMsp(who.usersDir, user, domainOf(who)));
    let client = this.clients.get(via);
    if (!client) {
      client = newGrpcClient(org(this.profile, via));
      this.clients.set(via, client);
    }
    const gw = connectGateway(client, id);
    this.gateways.push(gw);
    return gw;
  }

  contract(as: OrgKey, user: UserName, contractName: string, via: OrgKey = as) {
    return this.gateway(as, user, via).getNetwork(this.profile.channel).getContract(this.profile.chaincode, contractName);
  }

  close(): void {
    this.unregister();
    for (const gw of this.gateways) gw.close();
    for (const c of this.clients.values()) c.close();
  }
}
