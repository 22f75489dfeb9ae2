// Contract 'decisions': batch recording, batch reads and queries, and human oversight entries.
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { MAX_DECISIONS_PER_BATCH } from '../domain/decision.js';
import { AuditContract } from './base.js';
import { getDecisionBatch, queryDecisionsByDay, queryDecisionsByModel } from './operations/decision-reads.js';
import { addOversight, readOversight } from './operations/oversight.js';
import { recordDecisions } from './operations/record-decisions.js';

export class DecisionContract extends AuditContract {
  readonly #maxDecisions: number;

  /** `maxDecisions` is the batch limit; the deployed chaincode uses the constant default (500). */
  constructor(maxDecisions: number = MAX_DECISIONS_PER_BATCH) {
    super('decisions');
    this.#maxDecisions = maxDecisions;
  }

  /** batch: DecisionBatchInput JSON → {batchId, txId, recordedAt, ownerMsp, decisionIds, modelVersions}. All or nothing. */
  @Transaction()
  @Returns('string')
  async RecordDecisions(ctx: Context, batch: string): Promise<string> {
    return this.submit(ctx, 'RecordDecisions', (tx) => recordDecisions(tx, batch, this.#maxDecisions));
  }

  /** → DecisionBatch (every record in position order). */
  @Transaction(false)
  @Returns('string')
  async GetDecisionBatch(ctx: Context, batchId: string): Promise<string> {
    return this.evaluate(ctx, 'GetDecisionBatch', (tx) => getDecisionBatch(tx, batchId));
  }

  /** query: DecisionsByModelQuery JSON → DecisionPage (pageSize counts batches). */
  @Transaction(false)
  @Returns('string')
  async QueryDecisionsByModel(ctx: Context, query: string): Promise<string> {
    return this.evaluate(ctx, 'QueryDecisionsByModel', (tx) => queryDecisionsByModel(tx, query));
  }

  /** query: DecisionsByDayQuery JSON → DecisionPage. */
  @Transaction(false)
  @Returns('string')
  async QueryDecisionsByDay(ctx: Context, query: string): Promise<string> {
    return this.evaluate(ctx, 'QueryDecisionsByDay', (tx) => queryDecisionsByDay(tx, query));
  }

  /** oversight: OversightInput JSON → OversightEntry. */
  @Transaction()
  @Returns('string')
  async AddOversight(ctx: Context, oversight: string): Promise<string> {
    return this.submit(ctx, 'AddOversight', (tx) => addOversight(tx, oversight));
  }

  /** → OversightEntry[] of one decision. */
  @Transaction(false)
  @Returns('string')
  async ListOversight(ctx: Context, batchId: string, decisionId: string): Promise<string> {
    return this.evaluate(ctx, 'ListOversight', (tx) => readOversight(tx, batchId, decisionId));
  }
}
