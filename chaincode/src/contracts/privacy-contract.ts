// Contract 'privacy': raw inputs into the operator's private collection, their purge, and the purge log.
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { AuditContract } from './base.js';
import { purgePrivateInputs, readPrivateInputs, readPurgeLog, storePrivateInputs } from './operations/private-inputs.js';

export class PrivacyContract extends AuditContract {
  constructor() {
    super('privacy');
  }

  /** Transient `input`: the raw input JSON. Endorse on the operator's peer only. → {batchId, decisionId, inputSha256, storedAt, storedBy}. */
  @Transaction()
  @Returns('string')
  async StorePrivateInputs(ctx: Context, decisionId: string, batchId: string): Promise<string> {
    return this.submit(ctx, 'StorePrivateInputs', (tx) => storePrivateInputs(tx, decisionId, batchId));
  }

  /** Evaluate on the operator's peer: → PrivateInputRecord. */
  @Transaction(false)
  @Returns('string')
  async GetPrivateInputs(ctx: Context, batchId: string, decisionId: string): Promise<string> {
    return this.evaluate(ctx, 'GetPrivateInputs', (tx) => readPrivateInputs(tx, batchId, decisionId));
  }

  /** request: PurgeRequest JSON → PurgeLogEntry with outcome purged | refused (a refusal commits too). */
  @Transaction()
  @Returns('string')
  async PurgePrivateInputs(ctx: Context, request: string): Promise<string> {
    return this.submit(ctx, 'PurgePrivateInputs', (tx) => purgePrivateInputs(tx, request));
  }

  /** → PurgeLogEntry[] of one decision, oldest first. */
  @Transaction(false)
  @Returns('string')
  async ListPurgeLog(ctx: Context, batchId: string, decisionId: string): Promise<string> {
    return this.evaluate(ctx, 'ListPurgeLog', (tx) => readPurgeLog(tx, batchId, decisionId));
  }
}
