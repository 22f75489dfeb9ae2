// The outbox's SQLite store on its own: admissions held at once and written per turn, batches, failures, reopening, older files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { outboxSigner, queuedSubmission } from '../../../test/support/outbox-submissions.js';
import { OutboxStore } from './outbox-store.js';
import type { QueuedSubmission } from './types.js';

const signer = outboxSigner;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const newPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'aiaudit-outbox-'));
  dirs.push(dir);
  return join(dir, 'outbox.sqlite');
};

const submissionOf = (submissionId: string, decisionIds: string[]): QueuedSubmission => queuedSubmission(submissionId, decisionIds, 1_700_000_000_000);

describe('OutboxStore: admission', () => {
  it('holds a submission at once, and refuses a second hold of any of its decisions', async () => {
    const store = new OutboxStore(newPath());
    const first = store.admit(submissionOf('s1', ['a1', 'a2']));
    expect(store.pendingDecision('a2')).toMatchObject({ index: 1, pending: { submission: { submissionId: 's1' }, batch: undefined } });
    await expect(store.admit(submissionOf('s2', ['a3', 'a2']))).rejects.toThrow('outbox already holds decision a2');
    await expect(store.admit(submissionOf('s3', ['a4', 'a4']))).rejects.toThrow('outbox already holds decision a4');
    await first;
    expect(store.pendingDecision('a3')).toBeUndefined();
    expect(store.pendingCount()).toBe(2);
    store.close();
  });

  it('writes the admissions of one turn in one transaction; each is durable when its promise resolves', async () => {
    const path = newPath();
    const store = new OutboxStore(path);
    await Promise.all([store.admit(submissionOf('s1', ['b1'])), store.admit(submissionOf('s2', ['b2', 'b3'])), store.admit(undefined)]);
    store.close();
    const reopened = new OutboxStore(path);
    expect(reopened.pending().map((p) => [p.submission.submissionId, p.submission.decisionIds, p.submission.listForm])).toEqual([
      ['s1', ['b1'], false],
      ['s2', ['b2', 'b3'], true],
    ]);
    // The records come back byte for byte, with their hashes.
    expect(reopened.pending()[1]?.submission).toEqual(submissionOf('s2', ['b2', 'b3']));
    reopened.close();
  });

  it('when the store is closed before the turn is written, every admission of it is refused and nothing is held', async () => {
    const store = new OutboxStore(newPath());
    const pending = store.admit(submissionOf('s1', ['c1']));
    const joined = store.admit(undefined);
    store.close();
    await expect(pending).rejects.toThrow(/not open/);
    await expect(joined).rejects.toThrow(/not open/);
    expect(store.pendingDecision('c1')).toBeUndefined();
    expect(store.pendingCount()).toBe(0);
  });
});

describe('OutboxStore: batches and failures', () => {
  it('keeps a batch place across a reopen, forgets a committed batch, and returns an abandoned one to the queue', async () => {
    const path = newPath();
    const store = new OutboxStore(path);
    await Promise.all([store.admit(submissionOf('s1', ['d1', 'd2'])), store.admit(submissionOf('s2', ['d3'])), store.admit(submissionOf('s3', ['d4']))]);
    store.assignBatch('b-1', ['s1', 's2']);
    store.assignBatch('b-2', ['s3']);
    expect(() => store.assignBatch('b-3', ['s1', 'nope'])).toThrow('submission nope is not pending');
    expect(store.pendingDecision('d3')?.pending.batch).toEqual({ batchId: 'b-1', firstPosition: 2 });
    store.close();

    const again = new OutboxStore(path);
    expect(again.pending().map((p) => [p.submission.submissionId, p.batch])).toEqual([
      ['s1', { batchId: 'b-1', firstPosition: 0 }],
      ['s2', { batchId: 'b-1', firstPosition: 2 }],
      ['s3', { batchId: 'b-2', firstPosition: 0 }],
    ]);
    // Only the batch named is forgotten.
    expect(again.forgetBatch('b-other', ['s3'])).toBe(0);
    expect(again.forgetBatch('b-1', ['s1', 's2'])).toBe(2);
    again.unassign(['s3']);
    expect(['d1', 'd3'].map((id) => again.pendingDecision(id))).toEqual([undefined, undefined]);
    again.close();

    const third = new OutboxStore(path);
    expect(third.pending().map((p) => [p.submission.submissionId, p.batch])).toEqual([['s3', undefined]]);
    third.close();
  });

  it('records each decision of a failed submission, takes it back when the decision is accepted again, and prunes old ones', async () => {
    const path = newPath();
    const store = new OutboxStore(path);
    const submission = submissionOf('s1', ['f1', 'f2']);
    await store.admit(submission);
    store.markFailed('s1', '{"status":422}');
    expect(store.pendingCount()).toBe(0);
    expect(store.failedDecision('f2')).toEqual({ decisionId: 'f2', mspId: signer.mspId, contentSha256: submission.contentSha256s[1], problemJson: '{"status":422}', acceptedAt: submission.acceptedAt });
    await store.admit(submissionOf('s2', ['f1']));
    expect(store.failedDecision('f1')).toBeUndefined();
    expect(store.pruneFailed(Date.now() - 60_000, 10)).toBe(0);
    expect(store.pruneFailed(Date.now() + 1, 10)).toBe(1);
    expect(store.failedDecision('f2')).toBeUndefined();
    store.close();
    const reopened = new OutboxStore(path);
    expect(reopened.pending().map((p) => p.submission.submissionId)).toEqual(['s2']);
    reopened.close();
  });
});

describe('OutboxStore: the per-decision file of an older gateway', () => {
  it('moves pending rows into submissions (batch places kept), keeps failed rows failed, drops committed rows and the old table', () => {
    const path = newPath();
    const legacy = new Database(path);
    legacy.exec(`CREATE TABLE outbox (
      decision_id TEXT PRIMARY KEY, submission_id TEXT NOT NULL, index_in_submission INTEGER NOT NULL,
      msp_id TEXT NOT NULL, fabric_user TEXT NOT NULL, content_sha256 TEXT NOT NULL, record_json TEXT NOT NULL,
      state TEXT NOT NULL, batch_id TEXT, position INTEGER, tx_id TEXT, block_number TEXT, problem_json TEXT,
      accepted_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE INDEX outbox_committed ON outbox (CAST(block_number AS INTEGER)) WHERE state = 'committed';
      CREATE INDEX outbox_failed ON outbox (updated_at) WHERE state = 'failed';`);
    const insert = legacy.prepare('INSERT INTO outbox VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)');
    const s1 = submissionOf('s1', ['l1', 'l2']);
    const s2 = submissionOf('s2', ['l3']);
    const row = (s: QueuedSubmission, i: number, state: string, batch: [string, number] | [null, null], problem: string | null = null, at = 10) =>
      insert.run(s.decisionIds[i], s.submissionId, i, signer.mspId, signer.fabricUser, s.contentSha256s[i], s.recordJsons[i], state, batch[0], batch[1], problem, at, at + 1);
    row(s1, 1, 'pending', ['b-old', 6]);
    row(s1, 0, 'pending', ['b-old', 5]);
    row(s2, 0, 'pending', [null, null], null, 20);
    row(submissionOf('s3', ['l4']), 0, 'failed', [null, null], '{"status":403}');
    row(submissionOf('s4', ['l5']), 0, 'committed', ['b-done', 0]);
    legacy.close();

    const store = new OutboxStore(path);
    expect(store.migratedLegacyRows).toBe(4);
    expect(store.pending()).toEqual([
      { submission: { ...s1, acceptedAt: 10 }, batch: { batchId: 'b-old', firstPosition: 5 } },
      { submission: { ...s2, acceptedAt: 20 }, batch: undefined },
    ]);
    expect(store.failedDecision('l4')).toMatchObject({ problemJson: '{"status":403}', acceptedAt: 10 });
    expect(store.pendingDecision('l5') ?? store.failedDecision('l5')).toBeUndefined();
    store.close();
    const raw = new Database(path);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()).toEqual([{ name: 'failed_decisions' }, { name: 'pending_submissions' }]);
    raw.close();
    const reopened = new OutboxStore(path);
    expect(reopened.migratedLegacyRows).toBe(0);
    expect(reopened.pending()).toHaveLength(2);
    reopened.close();
  });
});
