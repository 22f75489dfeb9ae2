// The connection profile written by `network/aiaudit-net.sh up`: channel, chaincode, and per org its peer and crypto.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const OrgProfile = z.object({
  mspId: z.string().min(1),
  peerEndpoint: z.string().regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port'),
  peerHostAlias: z.string().min(1),
  tlsCaCert: z.string().min(1),
  usersDir: z.string().min(1),
});

export const ConnectionProfile = z.object({
  channel: z.string().min(1),
  chaincode: z.string().min(1),
  orgs: z.record(z.string(), OrgProfile).refine((orgs) => Object.keys(orgs).length > 0, 'needs at least one org'),
});

export type OrgProfile = z.infer<typeof OrgProfile>;
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

export function parseConnectionProfile(json: unknown, source = 'connection profile'): ConnectionProfile {
  const result = ConnectionProfile.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw new Error(`${source}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

export function loadConnectionProfile(path: string): ConnectionProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the connection profile ${path} (is the network up? run 'npm run network:up'): ${String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not JSON: ${String(err)}`);
  }
  return parseConnectionProfile(json, path);
}

/** The org whose MSP id is `mspId`. */
export function orgByMsp(profile: ConnectionProfile, mspId: string): OrgProfile {
  const org = Object.values(profile.orgs).find((o) => o.mspId === mspId);
  if (!org) throw new Error(`connection profile has no org with MSP id ${mspId}`);
  return org;
}
