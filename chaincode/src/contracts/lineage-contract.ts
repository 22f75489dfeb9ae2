// Contract 'lineage': dataset and model versions, their status lifecycle, and lineage graphs.
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { AuditContract } from './base.js';
import { getLineage } from './operations/lineage-query.js';
import { changeModelStatus, readDataset, readModel } from './operations/model-status.js';
import { registerDataset, registerModel } from './operations/register-version.js';

export class LineageContract extends AuditContract {
  constructor() {
    super('lineage');
  }

  /** dataset: DatasetVersionInput JSON → DatasetVersion. Identical replay returns the stored record. */
  @Transaction()
  @Returns('string')
  async RegisterDatasetVersion(ctx: Context, dataset: string): Promise<string> {
    return this.submit(ctx, 'RegisterDatasetVersion', (tx) => registerDataset(tx, dataset));
  }

  @Transaction(false)
  @Returns('string')
  async GetDatasetVersion(ctx: Context, datasetId: string, version: string): Promise<string> {
    return this.evaluate(ctx, 'GetDatasetVersion', (tx) => readDataset(tx, datasetId, version));
  }

  /** model: ModelVersionInput JSON → ModelVersion. Identical replay returns the stored record. */
  @Transaction()
  @Returns('string')
  async RegisterModelVersion(ctx: Context, model: string): Promise<string> {
    return this.submit(ctx, 'RegisterModelVersion', (tx) => registerModel(tx, model));
  }

  @Transaction(false)
  @Returns('string')
  async GetModelVersion(ctx: Context, modelId: string, version: string): Promise<string> {
    return this.evaluate(ctx, 'GetModelVersion', (tx) => readModel(tx, modelId, version));
  }

  /** change: ModelStatusChangeInput JSON → ModelVersion. */
  @Transaction()
  @Returns('string')
  async ChangeModelStatus(ctx: Context, change: string): Promise<string> {
    return this.submit(ctx, 'ChangeModelStatus', (tx) => changeModelStatus(tx, change));
  }

  /** query: LineageQuery JSON → {root, direction, depth, nodes, edges, truncated}. */
  @Transaction(false)
  @Returns('string')
  async GetLineage(ctx: Context, query: string): Promise<string> {
    return this.evaluate(ctx, 'GetLineage', (tx) => getLineage(tx, query));
  }
}
