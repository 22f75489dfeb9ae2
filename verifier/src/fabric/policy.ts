// Channel policies evaluated over validated signers: signature policies (cauthdsl) and implicit meta policies, as Fabric does.
import type { ConfigGroup, ConfigPolicy } from './config-group.js';
import { AnonymityType, ImplicitMetaRule, MspRoleType, PolicyType, PrincipalClassification, SIGNATURE_POLICY_ENVELOPE } from './messages.js';
import type { Identity, Msp, NodeRole } from './msp.js';
import { serializedIdentityOf } from './msp.js';
import { ProtoError, ProtoMessage } from './protobuf.js';

export interface PolicyVerdict {
  readonly satisfied: boolean;
  /** How the policy was (not) met, for the report. */
  readonly detail: string;
}

/** Looks up an MSP by id; the channel config provides it. */
export type MspLookup = (mspId: string) => Msp | undefined;

const ROLE_NAMES: Readonly<Record<number, NodeRole | 'member'>> = {
  [MspRoleType.MEMBER]: 'member',
  [MspRoleType.ADMIN]: 'admin',
  [MspRoleType.CLIENT]: 'client',
  [MspRoleType.PEER]: 'peer',
  [MspRoleType.ORDERER]: 'orderer',
};

/** A common.MSPPrincipal: its classification and the principal's bytes (an MSPRole, OrganizationUnit, …). */
export interface Principal {
  readonly classification: number;
  readonly bytes: Uint8Array;
}

/** A common.SignaturePolicy: signed by principal number `signedBy`, or `n` out of `rules`; undefined (neither set) nothing satisfies. */
type Rule = { readonly signedBy: number } | { readonly n: number; readonly rules: readonly Rule[] } | undefined;

type Decoded = { readonly kind: 'signature'; readonly rule: Rule; readonly hasRule: boolean; readonly principals: readonly Principal[] } | { readonly kind: 'implicit-meta'; readonly subPolicy: string; readonly rule: number };

/** Policies are decoded on first use and kept: every transaction and block is checked against the same few. */
const decodedPolicies = new WeakMap<ConfigPolicy, Decoded>();

/** SignaturePolicy: signed_by 1 or n_out_of 2 (NOutOf: n 1, rules 2), whichever came last on the wire. */
function decodeRule(rule: ProtoMessage): Rule {
  const which = rule.lastOf([1, 2]);
  if (which === 1) return { signedBy: rule.int32(1) };
  const gate = which === 2 ? rule.message(2) : undefined;
  return gate === undefined ? undefined : { n: gate.int32(1), rules: gate.messages(2).map(decodeRule) };
}

function decodePolicy(policy: ConfigPolicy): Decoded | undefined {
  const known = decodedPolicies.get(policy);
  if (known !== undefined) return known;
  let decoded: Decoded | undefined;
  if (policy.type === PolicyType.SIGNATURE) {
    // SignaturePolicyEnvelope: rule 2, identities 3 (MSPPrincipal: principal_classification 1, principal 2).
    const envelope = new ProtoMessage(policy.value, SIGNATURE_POLICY_ENVELOPE);
    const rule = envelope.message(2);
    decoded = {
      kind: 'signature',
      rule: rule === undefined ? undefined : decodeRule(rule),
      hasRule: rule !== undefined,
      principals: envelope.messages(3).map((p) => ({ classification: p.int32(1), bytes: p.bytes(2) })),
    };
  } else if (policy.type === PolicyType.IMPLICIT_META) {
    // ImplicitMetaPolicy: sub_policy 1, rule 2.
    const meta = new ProtoMessage(policy.value);
    decoded = { kind: 'implicit-meta', subPolicy: meta.string(1), rule: meta.int32(2) };
  }
  if (decoded !== undefined) decodedPolicies.set(policy, decoded);
  return decoded;
}

/** Evaluates the policy at `path` (e.g. /Channel/Application/Endorsement) of the channel group `root`. */
export function evaluatePolicyPath(root: ConfigGroup, path: string, signers: readonly Identity[], msps: MspLookup): PolicyVerdict {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'Channel') return { satisfied: false, detail: `policy path ${path} does not start at /Channel` };
  let group = root;
  for (const name of parts.slice(1, -1)) {
    const next = group.groups.get(name);
    if (next === undefined) return { satisfied: false, detail: `the channel config has no group ${name} (policy ${path})` };
    group = next;
  }
  const policy = group.policies.get(parts[parts.length - 1] ?? '');
  if (policy === undefined) return { satisfied: false, detail: `the channel config has no policy ${path}` };
  return evaluatePolicy(group, policy, signers, msps);
}

function evaluatePolicy(group: ConfigGroup, policy: ConfigPolicy, signers: readonly Identity[], msps: MspLookup): PolicyVerdict {
  let decoded: Decoded | undefined;
  try {
    decoded = decodePolicy(policy);
  } catch (err) {
    // Malformed policy bytes in a bundle's config block are a finding to report, not a crash of the verifier.
    if (!(err instanceof ProtoError)) throw err;
    return { satisfied: false, detail: `the policy's bytes are not a policy of type ${policy.type} (${err.message})` };
  }
  if (decoded?.kind === 'signature') {
    if (!decoded.hasRule) return { satisfied: false, detail: 'empty signature policy' };
    const satisfied = evaluateRule(decoded.rule, decoded.principals, signers, new Array<boolean>(signers.length).fill(false), msps);
    return { satisfied, detail: `${describeRule(decoded.rule, decoded.principals)} ${satisfied ? 'satisfied' : 'not satisfied'}` };
  }
  if (decoded?.kind === 'implicit-meta') {
    const name = decoded.subPolicy;
    const subgroups = [...group.groups].map(([groupName, sub]) => ({ groupName, sub }));
    const results = subgroups.map(({ groupName, sub }) => {
      const subPolicy = sub.policies.get(name);
      return { groupName, satisfied: subPolicy !== undefined && evaluatePolicy(sub, subPolicy, signers, msps).satisfied };
    });
    const rule = decoded.rule;
    const needed = subgroups.length === 0 ? 0 : rule === ImplicitMetaRule.ANY ? 1 : rule === ImplicitMetaRule.ALL ? subgroups.length : Math.floor(subgroups.length / 2) + 1;
    const met = results.filter((r) => r.satisfied);
    const ruleName = rule === ImplicitMetaRule.ANY ? 'ANY' : rule === ImplicitMetaRule.ALL ? 'ALL' : 'MAJORITY';
    const satisfied = met.length >= needed;
    const detail = `${ruleName} ${name}: ${met.length} of ${subgroups.length} satisfied, ${needed} needed (${results.map((r) => `${r.groupName} ${r.satisfied ? 'yes' : 'no'}`).join(', ')})`;
    return { satisfied, detail };
  }
  return { satisfied: false, detail: `unsupported policy type ${policy.type}` };
}

/** cauthdsl's compile/evaluate: N-out-of gates; each signer satisfies at most one SignedBy. */
function evaluateRule(rule: Rule, principals: readonly Principal[], signers: readonly Identity[], used: boolean[], msps: MspLookup): boolean {
  if (rule === undefined) return false;
  if ('signedBy' in rule) {
    const principal = principals[rule.signedBy];
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
  let verified = 0;
  for (const sub of rule.rules) {
    const trial = [...used];
    if (evaluateRule(sub, principals, signers, trial, msps)) {
      verified++;
      trial.forEach((value, i) => {
        used[i] = value;
      });
    }
  }
  return verified >= rule.n;
}

/** Fabric's X.509 MSP SatisfiesPrincipal (v1.4.2+ rules) for an already validated identity. */
export function satisfiesPrincipal(signer: Identity, principal: Principal, msps: MspLookup): boolean {
  const bytes = principal.bytes;
  switch (principal.classification) {
    case PrincipalClassification.ROLE: {
      // MSPRole: msp_identifier 1, role 2.
      const role = new ProtoMessage(bytes);
      const msp = msps(signer.mspId);
      if (role.string(1) !== signer.mspId || msp === undefined) return false;
      const name = ROLE_NAMES[role.int32(2)];
      if (name === 'member') return true;
      if (name === 'admin' && msp.admins.some((raw) => raw.equals(signer.cert.raw))) return true;
      const nodeOu = name === undefined ? undefined : msp.nodeOus?.[name];
      return nodeOu !== undefined && signer.ous.includes(nodeOu.ou);
    }
    case PrincipalClassification.IDENTITY: {
      const wanted = serializedIdentityOf(bytes);
      return wanted.mspId === signer.mspId && Buffer.from(wanted.idBytes).toString().trim() === signer.cert.toString().trim();
    }
    case PrincipalClassification.ORGANIZATION_UNIT: {
      // OrganizationUnit: msp_identifier 1, organizational_unit_identifier 2, certifiers_identifier 3.
      const unit = new ProtoMessage(bytes);
      return unit.string(1) === signer.mspId && signer.ous.includes(unit.string(2)) && Buffer.from(unit.bytes(3)).equals(signer.certifiersId);
    }
    case PrincipalClassification.ANONYMITY:
      // MSPIdentityAnonymity: anonymity_type 1.
      return new ProtoMessage(bytes).int32(1) === AnonymityType.NOMINAL;
    default:
      return false;
  }
}

/** `OR('OrdererMSP.member')`-like text of a signature policy. */
function describeRule(rule: Rule, principals: readonly Principal[]): string {
  if (rule !== undefined && 'signedBy' in rule) {
    const principal = principals[rule.signedBy];
    if (principal?.classification === PrincipalClassification.ROLE) {
      const role = new ProtoMessage(principal.bytes);
      return `'${role.string(1)}.${ROLE_NAMES[role.int32(2)] ?? role.int32(2)}'`;
    }
    return `principal ${rule.signedBy}`;
  }
  const subs = rule?.rules.map((r) => describeRule(r, principals)) ?? [];
  const n = rule?.n ?? 0;
  const name = n === 1 ? 'OR' : n === subs.length ? 'AND' : `OutOf(${n}`;
  return name.startsWith('OutOf') ? `${name}, ${subs.join(', ')})` : `${name}(${subs.join(', ')})`;
}
