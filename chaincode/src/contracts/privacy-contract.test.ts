import './quiet-logs.js';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../domain/canonical-json.js';
import { exampleDecision } from '../domain/examples.js';
import type { PurgeLogEntry } from '../domain/privacy.js';
import { keys } from '../ledger/keys.js';
import type { FakeWorld } from '../testing/index.js';
import { contracts, evaluate, people, refusal, seededWorld, submit } from './testkit.js';

const { privacy, decisions } = contracts;
type Ctx = Parameters<typeof privacy.StorePrivateInputs>[0];
const COLLECTION = 'operatorPrivateInputs';
const rawInput = { applicant: { name: 'Jane Doe', income: 52000 }, amount: 12000 };
const YEAR = 365 * 86_400_000;

async function worldWithDecision(retentionUntil = '2030-01-01T00:00:00Z'): Promise<FakeWorld> {
  const world = await seededWorld();
  const decision = exampleDecision({ decisionId: 'd-1', inputSha256: sha256Hex(canonicalJson(rawInput)), retentionUntil });
  await submit(world, people.recorder, (ctx) => decisions.RecordDecisions(ctx, JSON.stringify({ batchId: 'b-1', decisions: [decision] })));
  return world;
}

const store = (input: unknown = rawInput) => ({
  ...people.recorder,
  transient: { input: JSON.stringify(input) },
});
const purge = (request: object = {}) => (ctx: Ctx) => privacy.PurgePrivateInputs(ctx, JSON.stringify({ batchId: 'b-1', decisionId: 'd-1', ...request }));
const privateValue = (world: FakeWorld) => world.getCommittedPrivate(COLLECTION, keys.privateInput('b-1', 'd-1'));

describe('StorePrivateInputs', () => {
  it('writes the raw input to the operator collection only, after checking its hash', async () => {
    const world = await worldWithDecision();
    const publicBefore = world.publicEntries();
    const stored = await submit<{ inputSha256: string }>(world, store(), (ctx) => privacy.StorePrivateInputs(ctx, 'd-1', 'b-1'));
    expect(stored.inputSha256).toBe(sha256Hex(canonicalJson(rawInput)));
    expect(world.publicEntries()).toEqual(publicBefore);
    expect(JSON.parse(Buffer.from(privateValue(world) ?? []).toString()).input).toEqual(rawInput);
    expect(JSON.stringify(world.snapshot().public)).not.toContain('Jane Doe');
    const read = await evaluate<{ input: unknown }>(world, people.officer, (ctx) => privacy.GetPrivateInputs(ctx, 'b-1', 'd-1'));
    expect(read.input).toEqual(rawInput);
  });

  it.each([
    ['an input whose hash differs', store({ ...rawInput, amount: 1 }), 'PRECONDITION_FAILED', 'transient.input'],
    ['no transient input', people.recorder, 'INVALID_ARGUMENT', 'transient.input'],
    ['a regulator caller', { ...people.regulator, transient: { input: JSON.stringify(rawInput) } }, 'FORBIDDEN', 'role'],
  ])('refuses %s and writes nothing', async (_name, who, code, field) => {
    const world = await worldWithDecision();
    expect(await refusal(world, who, (ctx) => privacy.StorePrivateInputs(ctx, 'd-1', 'b-1'))).toMatchObject({ code, field, wrote: false });
  });

  it('answers NOT_FOUND on a peer outside the collection, where the input never went', async () => {
    const world = await worldWithDecision();
    await submit(world, store(), (ctx) => privacy.StorePrivateInputs(ctx, 'd-1', 'b-1'));
    const onRegulatorPeer = { ...people.officer, peerMspId: 'RegulatorOrgMSP' };
    expect(await refusal(world, onRegulatorPeer, (ctx) => privacy.GetPrivateInputs(ctx, 'b-1', 'd-1'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an unknown decision', async () => {
    const world = await worldWithDecision();
    expect(await refusal(world, store(), (ctx) => privacy.StorePrivateInputs(ctx, 'd-9', 'b-1'))).toMatchObject({ code: 'NOT_FOUND', field: 'decisionId', wrote: false });
  });
});

describe('PurgePrivateInputs', () => {
  async function storedWorld(retentionUntil?: string) {
    const world = await worldWithDecision(retentionUntil);
    await submit(world, store(), (ctx) => privacy.StorePrivateInputs(ctx, 'd-1', 'b-1'));
    return world;
  }

  it('refuses before retentionUntil without an override, as a committed, logged refusal', async () => {
    const world = await storedWorld();
    const entry = await submit<PurgeLogEntry>(world, people.officer, purge({ reason: 'subject asked for erasure' }));
    expect(entry).toMatchObject({ outcome: 'refused', reason: 'subject asked for erasure', retentionUntil: '2030-01-01T00:00:00Z', requestedBy: people.officer.id });
    expect(entry.rule).toMatch(/no legal override/);
    expect(privateValue(world)).toBeDefined();
    expect(world.lastCommit?.event?.name).toBe('PurgeRecorded');
  });

  it('purges before retentionUntil under a legal override, recording it', async () => {
    const world = await storedWorld();
    const override = { reason: 'court order', authorisedBy: 'Data Protection Officer', reference: 'case-17' };
    const entry = await submit<PurgeLogEntry>(world, people.officer, purge({ legalOverride: override }));
    expect(entry).toMatchObject({ outcome: 'purged', legalOverride: override });
    expect(privateValue(world)).toBeUndefined();
    expect(world.privateHistory(COLLECTION, keys.privateInput('b-1', 'd-1')).every((h) => h.value.length === 0)).toBe(true);
  });

  it('purges after retentionUntil, with the regulator\'s peer endorsing (it never reads the private value)', async () => {
    const world = await storedWorld('2026-06-01T00:00:00Z');
    world.advanceTime(YEAR);
    const entry = await submit<PurgeLogEntry>(world, { ...people.officer, peerMspId: 'RegulatorOrgMSP' }, (ctx) => {
      ctx.stub.getPrivateData = () => Promise.reject(new Error('a non-member peer cannot read the private value'));
      return purge()(ctx);
    });
    expect(entry.outcome).toBe('purged');
    expect(privateValue(world)).toBeUndefined();
  });

  it('keeps every request in the purge log, and the on-chain hash stays', async () => {
    const world = await storedWorld();
    await submit(world, people.officer, purge());
    await submit(world, people.officer, purge({ legalOverride: { reason: 'order', authorisedBy: 'DPO', reference: 'x-1' } }));
    const log = await evaluate<PurgeLogEntry[]>(world, people.regulator, (ctx) => privacy.ListPurgeLog(ctx, 'b-1', 'd-1'));
    expect(log.map((e) => e.outcome)).toEqual(['refused', 'purged']);
    const batch = await evaluate<{ decisions: { inputSha256: string }[] }>(world, people.regulator, (ctx) => decisions.GetDecisionBatch(ctx, 'b-1'));
    expect(batch.decisions[0]?.inputSha256).toBe(sha256Hex(canonicalJson(rawInput)));
  });

  it.each([
    ['a recorder', people.recorder, 'FORBIDDEN'],
    ['the regulator', people.regulator, 'FORBIDDEN'],
  ])('refuses %s and writes nothing', async (_name, who, code) => {
    const world = await storedWorld();
    expect(await refusal(world, who, purge())).toMatchObject({ code, wrote: false });
  });

  it('refuses an override without its reason', async () => {
    const world = await storedWorld();
    const result = await refusal(world, people.officer, purge({ legalOverride: { authorisedBy: 'DPO', reference: 'x' } }));
    expect(result).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'legalOverride.reason', wrote: false });
  });
});
