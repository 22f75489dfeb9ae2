import './quiet-logs.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleDecision } from '../domain/examples.js';
import { IDENTIFIER_PATTERN, SHA256_PATTERN, Timestamp } from '../domain/primitives.js';
import { splitKey } from '../ledger/keys.js';
import type { FakeWorld } from '../testing/index.js';
import { contracts, people, refusal, seededWorld } from './testkit.js';

type Decision = Record<string, unknown>;

/** One way to break a single decision, with the field its error must name. */
interface Corruption {
  field: string;
  apply: (decision: Decision) => Decision;
}

const REQUIRED = ['decisionId', 'modelId', 'modelVersion', 'useCase', 'decidedAt', 'inputSha256', 'output', 'mode', 'legalEffect', 'retentionUntil'];
const notIdentifier = fc.string({ maxLength: 140 }).filter((s) => !IDENTIFIER_PATTERN.test(s));
const notHash = fc.string({ maxLength: 70 }).filter((s) => !SHA256_PATTERN.test(s));
const notTime = fc.string({ maxLength: 40 }).filter((s) => !Timestamp.safeParse(s).success);
const notBoolean = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.boolean(), { maxLength: 2 }));
const set = (field: string, value: unknown): Corruption => ({ field, apply: (d) => ({ ...d, [field]: value }) });

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.constantFrom(...REQUIRED).map((field): Corruption => ({ field, apply: (d) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== field)) })),
  notIdentifier.map((v) => set('decisionId', v)),
  notIdentifier.map((v) => set('modelVersion', v)),
  notHash.map((v) => set('inputSha256', v)),
  notTime.map((v) => set('decidedAt', v)),
  fc.oneof(fc.emailAddress(), fc.string({ minLength: 1 }).filter((s) => !SHA256_PATTERN.test(s))).map((v) => set('subjectRef', v)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => x < 0 || x > 1).map((v) => set('confidence', v)),
  fc.string().filter((s) => s !== 'automated' && s !== 'assisted').map((v) => set('mode', v)),
  notBoolean.map((v) => set('legalEffect', v)),
  fc.constant(set('output', {})),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !(k in exampleDecision())), fc.jsonValue())
    .map(([key, value]): Corruption => ({ field: key, apply: (d) => ({ ...d, [key]: value }) })),
);

let world: FakeWorld;
beforeAll(async () => {
  world = await seededWorld();
});

const submitText = (text: string) => refusal(world, people.recorder, (ctx) => contracts.decisions.RecordDecisions(ctx, text));

describe('RecordDecisions with malformed batches (property)', () => {
  it('refuses a batch with one corrupted decision anywhere, names it, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.nat(), corruption, fc.string({ minLength: 1, maxLength: 8 }), async (size, at, broken, tag) => {
        const index = at % size;
        const decisions: Decision[] = Array.from({ length: size }, (_, i) => exampleDecision({ decisionId: `p-${tag.length}-${i}` }));
        decisions[index] = broken.apply(decisions[index] ?? {});
        const result = await submitText(JSON.stringify({ batchId: 'prop-batch', decisions }));
        expect(result.code).toBe('INVALID_ARGUMENT');
        expect(result.field?.startsWith(`decisions[${index}]`)).toBe(true);
        expect(result.wrote).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses malformed batch envelopes and arbitrary text, writing nothing', async () => {
    const envelope = fc.oneof(
      fc.string().filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
      fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)),
      notIdentifier.map((batchId) => JSON.stringify({ batchId, decisions: [exampleDecision()] })),
      fc.constant(JSON.stringify({ batchId: 'b', decisions: [] })),
      fc.integer({ min: 2, max: 10 }).map((n) => JSON.stringify({ batchId: 'b', decisions: Array.from({ length: n }, () => exampleDecision()) })),
      fc.jsonValue().map((v) => JSON.stringify({ batchId: 'b', decisions: v })).filter((t) => !Array.isArray(JSON.parse(t).decisions)),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (text) => {
        const result = await submitText(text);
        expect(result.code).toBe('INVALID_ARGUMENT');
        expect(result.wrote).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('has written nothing but the seed after all those attempts', () => {
    expect(world.publicEntries().filter(({ key }) => splitKey(key)?.type.startsWith('batch'))).toEqual([]);
  });
});
