// Fabric client identities read from an MSP folder (cryptogen layout: signcerts/ and keystore/).
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signers, type Identity, type Signer } from '@hyperledger/fabric-gateway';

export interface SigningIdentity {
  identity: Identity;
  signer: Signer;
}

function onlyFile(dir: string, what: string): string {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => !f.startsWith('.'));
  } catch (err) {
    throw new Error(`cannot read ${what} folder ${dir}: ${String(err)}`);
  }
  const first = files[0];
  if (files.length !== 1 || first === undefined) {
    throw new Error(`${what} folder ${dir} must hold exactly one file, found ${files.length}`);
  }
  return join(dir, first);
}

/** Loads the identity in `mspDir` (e.g. users/User1@org/msp) for the org `mspId`. */
export function loadMspIdentity(mspId: string, mspDir: string): SigningIdentity {
  const certificate = readFileSync(onlyFile(join(mspDir, 'signcerts'), 'signcerts'));
  const privateKey = createPrivateKey(readFileSync(onlyFile(join(mspDir, 'keystore'), 'keystore')));
  return { identity: { mspId, credentials: certificate }, signer: signers.newPrivateKeySigner(privateKey) };
}

/** The MSP folder of a cryptogen user, e.g. user 'User1' or 'Admin' of domain operator.aiaudit.local. */
export function cryptogenUserMsp(usersDir: string, user: string, domain: string): string {
  return join(usersDir, `${user}@${domain}`, 'msp');
}
