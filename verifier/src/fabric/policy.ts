// Channel policies evaluated over validated signers: signature policies (cauthdsl) and implicit meta policies, as Fabric does.
import type * as configtx from '@hyperledger/fabric-protos/lib/common/configtx_pb.js';
import * as policies from '@hyperledger/fabric-protos/lib/common/policies_pb.js';
import * as identities from '@hyperledger/fabric-protos/lib/msp/identities_pb.js';
import * as mspProto from '@hyperledger/fabric-protos/lib/msp/msp_principal_pb.js';
import type { Identity, Msp, NodeRole } from './msp.js';

export interface PolicyVerdict {
  readonly satisfied: boolean;
  /** How the policy was (not) met, for the report. */
  readonly detail: string;
}

/** Looks up an MSP by id; the channel config provides it. */
export type MspLookup = (mspId: string) => Msp | undefined;

const ROLE_NAMES: Readonly<Record<number, NodeRole | 'member'>> = {
  [mspProto.MSPRole.MSPRoleType.MEMBER]: 'member',
  [mspProto.MSPRole.MSPRoleType.ADMIN]: 'admin',
  [mspProto.MSPRole.MSPRoleType.CLIENT]: 'client',
  [mspProto.MSPRole.MSPRoleType.PEER]: 'peer',
  [mspProto.MSPRole.MSPRoleType.ORDERER]: 'orderer',
};

/** Evaluates the policy at `path` (e.g. /Channel/Application/Endorsement) of the channel group `root`. */
export function evaluatePolicyPath(root: configtx.ConfigGroup, path: string, signers: readonly Identity[], msps: MspLookup): PolicyVerdict {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'Channel') return { satisfied: false, detail: `policy path ${path} does not start at /Channel` };
  let group = root;
  for (const name of parts.slice(1, -1)) {
    const next = group.getGroupsMap().get(name);
    if (next === undefined) return { satisfied: false, detail: `the channel config has no group ${name} (policy ${path})` };
    group = next;
  }
  const policy = group.getPoliciesMap().get(parts[parts.length - 1] ?? '')?.getPolicy();
  if (policy === undefined) return { satisfied: false, detail: `the channel config has no policy ${path}` };
  return evaluatePolicy(group, policy, signers, msps);
}

function evaluatePolicy(group: configtx.ConfigGroup, policy: policies.Policy, signers: readonly Identity[], msps: MspLookup): PolicyVerdict {
  const type = policy.getType();
  if (type === policies.Policy.PolicyType.SIGNATURE) {
    const envelope = policies.SignaturePolicyEnvelope.deserializeBinary(policy.getValue_asU8());
    const rule = envelope.getRule();
    if (rule === undefined) return { satisfied: false, detail: 'empty signature policy' };
    const satisfied = evaluateRule(rule, envelope.getIdentitiesList(), signers, new Array<boolean>(signers.length).fill(false), msps);
    return { satisfied, detail: `${describeRule(rule, envelope.getIdentitiesList())} ${satisfied ? 'satisfied' : 'not satisfied'}` };
  }
  if (type === policies.Policy.PolicyType.IMPLICIT_META) {
    const meta = policies.ImplicitMetaPolicy.deserializeBinary(policy.getValue_asU8());
    const name = meta.getSubPolicy();
    const subgroups = [...group.getGroupsMap().entries()].map(([groupName, sub]) => ({ groupName, sub }));
    const results = subgroups.map(({ groupName, sub }) => {
      const subPolicy = sub.getPoliciesMap().get(name)?.getPolicy();
      return { groupName, satisfied: subPolicy !== undefined && evaluatePolicy(sub, subPolicy, signers, msps).satisfied };
    });
    const rule = meta.getRule();
    const needed =
      subgroups.length === 0 ? 0 : rule === policies.ImplicitMetaPolicy.Rule.ANY ? 1 : rule === policies.ImplicitMetaPolicy.Rule.ALL ? subgroups.length : Math.floor(subgroups.length / 2) + 1;
    const met = results.filter((r) => r.satisfied);
    const ruleName = rule === policies.ImplicitMetaPolicy.Rule.ANY ? 'ANY' : rule === policies.ImplicitMetaPolicy.Rule.ALL ? 'ALL' : 'MAJORITY';
    const satisfied = met.length >= needed;
    const detail = `${ruleName} ${name}: ${met.length} of ${subgroups.length} satisfied, ${needed} needed (${results.map((r) => `${r.groupName} ${r.satisfied ? 'yes' : 'no'}`).join(', ')})`;
    return { satisfied, detail };
  }
  return { satisfied: false, detail: `unsupported policy type ${type}` };
}

/** cauthdsl's compile/evaluate: N-out-of gates; each signer satisfies at most one SignedBy. */
function evaluateRule(rule: policies.SignaturePolicy, principals: readonly mspProto.MSPPrincipal[], signers: readonly Identity[], used: boolean[], msps: MspLookup): boolean {
  if (rule.getTypeCase() === policies.SignaturePolicy.TypeCase.SIGNED_BY) {
    const principal = principals[rule.getSignedBy()];
    if (principal === undefined) return false;
    for (let i = 0; i < signers.length; i++) {
      const signer = signers[i];
      if (used[i] === true || signer === undefined) continue;
      if (satisfiesPrincipal(signer, principal, msps)) {
        used[i] = true;
        return true;
      }
    }
    return false;
  }
  const gate = rule.getNOutOf();
  if (gate === undefined) return false;
  let verified = 0;
  for (const sub of gate.getRulesList()) {
    const trial = [...used];
    if (evaluateRule(sub, principals, signers, trial, msps)) {
      verified++;
      trial.forEach((value, i) => {
        used[i] = value;
      });
    }
  }
  return verified >= gate.getN();
}

/** Fabric's X.509 MSP SatisfiesPrincipal (v1.4.2+ rules) for an already validated identity. */
export function satisfiesPrincipal(signer: Identity, principal: mspProto.MSPPrincipal, msps: MspLookup): boolean {
  const Classification = mspProto.MSPPrincipal.Classification;
  const bytes = principal.getPrincipal_asU8();
  switch (principal.getPrincipalClassification()) {
    case Classification.ROLE: {
      const role = mspProto.MSPRole.deserializeBinary(bytes);
      const msp = msps(signer.mspId);
      if (role.getMspIdentifier() !== signer.mspId || msp === undefined) return false;
      const name = ROLE_NAMES[role.getRole()];
      if (name === 'member') return true;
      if (name === 'admin' && msp.admins.some((raw) => raw.equals(signer.cert.raw))) return true;
      const nodeOu = name === undefined ? undefined : msp.nodeOus?.[name];
      return nodeOu !== undefined && signer.ous.includes(nodeOu.ou);
    }
    case Classification.IDENTITY: {
      const wanted = identities.SerializedIdentity.deserializeBinary(bytes);
      return wanted.getMspid() === signer.mspId && Buffer.from(wanted.getIdBytes_asU8()).toString().trim() === signer.cert.toString().trim();
    }
    case Classification.ORGANIZATION_UNIT: {
      const unit = mspProto.OrganizationUnit.deserializeBinary(bytes);
      return (
        unit.getMspIdentifier() === signer.mspId &&
        signer.ous.includes(unit.getOrganizationalUnitIdentifier()) &&
        Buffer.from(unit.getCertifiersIdentifier_asU8()).equals(signer.certifiersId)
      );
    }
    case Classification.ANONYMITY:
      return mspProto.MSPIdentityAnonymity.deserializeBinary(bytes).getAnonymityType() === mspProto.MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL;
    default:
      return false;
  }
}

/** `OR('OrdererMSP.member')`-like text of a signature policy. */
function describeRule(rule: policies.SignaturePolicy, principals: readonly mspProto.MSPPrincipal[]): string {
  if (rule.getTypeCase() === policies.SignaturePolicy.TypeCase.SIGNED_BY) {
    const principal = principals[rule.getSignedBy()];
    if (principal?.getPrincipalClassification() === mspProto.MSPPrincipal.Classification.ROLE) {
      const role = mspProto.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
      return `'${role.getMspIdentifier()}.${ROLE_NAMES[role.getRole()] ?? role.getRole()}'`;
    }
    return `principal ${rule.getSignedBy()}`;
  }
  const gate = rule.getNOutOf();
  const subs = gate?.getRulesList().map((r) => describeRule(r, principals)) ?? [];
  const n = gate?.getN() ?? 0;
  const name = n === 1 ? 'OR' : n === subs.length ? 'AND' : `OutOf(${n}`;
  return name.startsWith('OutOf') ? `${name}, ${subs.join(', ')})` : `${name}(${subs.join(', ')})`;
}
