// Contract 'history': every committed version of any record, with txId and ledger time.
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { AuditContract } from './base.js';
import { getHistory } from './operations/history.js';

export class HistoryContract extends AuditContract {
  constructor() {
    super('history');
  }

  /** kind: dataset|model|policy|batch|alert|oversight|grant|purge; id: see domain/history.ts → HistoryEntry[] oldest first. */
  @Transaction(false)
  @Returns('string')
  async GetHistory(ctx: Context, kind: string, id: string): Promise<string> {
    return this.evaluate(ctx, 'GetHistory', (tx) => getHistory(tx, kind, id));
  }
}
