// Test support for the contract tests: a FakeWorld configured like the channel, personas, and call/refusal helpers.
import './quiet-logs.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecisionInput } from '../domain/decision.js';
import { parseChaincodeError, type DecodedChaincodeError } from '../domain/errors.js';
import { exampleDataset, exampleDecision, exampleModel } from '../domain/examples.js';
import { FakeWorld, identity, type FakeContext, type IdentitySpec, type TxOptions, type WorldSnapshot } from '../testing/index.js';
import { AccessContract } from './access-contract.js';
import { DecisionContract } from './decision-contract.js';
import { DriftContract } from './drift-contract.js';
import { HistoryContract } from './history-contract.js';
import { LineageContract } from './lineage-contract.js';
import { PrivacyContract } from './privacy-contract.js';

export const OPERATOR = 'OperatorOrgMSP';
export const REGULATOR = 'RegulatorOrgMSP';
export const OTHER = 'OtherOrgMSP';

export type Person = IdentitySpec & { id: string };

const person = (...args: Parameters<typeof identity>): Person => {
  const spec = identity(...args);
  return { ...spec, id: spec.id ?? '' };
};

/** Who calls: cryptogen-style identities; admins carry OU=admin, the others get roles granted on the ledger. */
export const people = {
  operatorAdmin: person(OPERATOR, 'Admin', 'admin'),
  recorder: person(OPERATOR, 'Recorder1'),
  officer: person(OPERATOR, 'Officer1'),
  stranger: person(OPERATOR, 'Nobody'),
  regulatorAdmin: person(REGULATOR, 'Admin', 'admin'),
  regulator: person(REGULATOR, 'Auditor1'),
  otherAdmin: person(OTHER, 'Admin', 'admin'),
  otherRecorder: person(OTHER, 'Recorder1'),
  attributeRecorder: person(OPERATOR, 'Batcher', 'client', { attributes: { 'aiaudit.role': 'recorder' } }),
} satisfies Record<string, Person>;

export const contracts = {
  lineage: new LineageContract(),
  decisions: new DecisionContract(),
  privacy: new PrivacyContract(),
  drift: new DriftContract(),
  access: new AccessContract(),
  history: new HistoryContract(),
};

interface CollectionEntry {
  name: string;
  policy: string;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
}

/** The private data collections exactly as collections.json (shipped with the chaincode) defines them. */
export function shippedCollections(): Record<string, { members: string[]; memberOnlyRead: boolean; memberOnlyWrite: boolean }> {
  const entries: CollectionEntry[] = JSON.parse(readFileSync(join(__dirname, '..', '..', 'collections.json'), 'utf8'));
  return Object.fromEntries(
    entries.map((entry) => [
      entry.name,
      {
        members: [...entry.policy.matchAll(/'([A-Za-z0-9.-]+)\.member'/g)].map((match) => match[1] ?? ''),
        memberOnlyRead: entry.memberOnlyRead,
        memberOnlyWrite: entry.memberOnlyWrite,
      },
    ]),
  );
}

export const newWorld = (): FakeWorld => new FakeWorld({ collections: shippedCollections(), startTime: '2026-03-01T09:00:00Z' });

type Call = (ctx: FakeContext) => Promise<string>;

/** Submits a transaction and returns its decoded JSON result. */
export async function submit<T = unknown>(world: FakeWorld, who: TxOptions, call: Call): Promise<T> {
  return JSON.parse(await world.invoke(who, call));
}

/** Evaluates a transaction (never committed) and returns its decoded JSON result. */
export async function evaluate<T = unknown>(world: FakeWorld, who: TxOptions, call: Call): Promise<T> {
  return JSON.parse(await world.query(who, call));
}

export interface Refusal extends DecodedChaincodeError {
  /** True when the ledger changed although the transaction failed (must never happen). */
  wrote: boolean;
}

/** Submits a transaction that must fail; decodes its error and reports whether anything was written. */
export async function refusal(world: FakeWorld, who: TxOptions, call: Call): Promise<Refusal> {
  const before: WorldSnapshot = world.snapshot();
  let text: string | undefined;
  try {
    await world.invoke(who, call);
  } catch (error) {
    text = error instanceof Error ? error.message : String(error);
  }
  if (text === undefined) throw new Error('expected the transaction to be refused, but it committed');
  const decoded = parseChaincodeError(text);
  if (decoded === undefined) throw new Error(`error without a code: ${text}`);
  return { ...decoded, wrote: !sameSnapshot(before, world.snapshot()) };
}

function sameSnapshot(a: WorldSnapshot, b: WorldSnapshot): boolean {
  const flatten = (s: WorldSnapshot) =>
    JSON.stringify(s, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value));
  return flatten(a) === flatten(b);
}

/** Grants the standard roles: recorder and officer in the operator org, regulator in the regulator org, recorder in the other org. */
export async function grantStandardRoles(world: FakeWorld): Promise<void> {
  const grant = (admin: IdentitySpec, who: IdentitySpec, role: string) =>
    submit(world, admin, (ctx) => contracts.access.GrantRole(ctx, JSON.stringify({ mspId: who.mspId, identityId: who.id, role })));
  await grant(people.operatorAdmin, people.recorder, 'recorder');
  await grant(people.operatorAdmin, people.officer, 'officer');
  await grant(people.regulatorAdmin, people.regulator, 'regulator');
  await grant(people.otherAdmin, people.otherRecorder, 'recorder');
}

/** A standard world: roles granted, the example dataset and model registered (model status: registered). */
export async function seededWorld(): Promise<FakeWorld> {
  const world = newWorld();
  await grantStandardRoles(world);
  await submit(world, people.recorder, (ctx) => contracts.lineage.RegisterDatasetVersion(ctx, JSON.stringify(exampleDataset())));
  await submit(world, people.recorder, (ctx) => contracts.lineage.RegisterModelVersion(ctx, JSON.stringify(exampleModel())));
  return world;
}

/** A batch of `count` example decisions with ids `${prefix}-0…`. */
export function exampleBatch(batchId: string, count: number, overrides: Partial<DecisionInput> = {}): { batchId: string; decisions: DecisionInput[] } {
  return {
    batchId,
    decisions: Array.from({ length: count }, (_, i) => exampleDecision({ decisionId: `${batchId}-d${i}`, ...overrides })),
  };
}
