// Contract 'drift': drift policies, alerts with computed severity and auto-suspension, alert transitions.
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { AuditContract } from './base.js';
import { getDriftPolicy, setDriftPolicy } from './operations/drift-policy.js';
import { listDriftAlerts, raiseDriftAlert, readDriftAlert, transitionDriftAlert } from './operations/drift-alerts.js';

export class DriftContract extends AuditContract {
  constructor() {
    super('drift');
  }

  /** policy: DriftPolicyInput JSON → DriftPolicy. */
  @Transaction()
  @Returns('string')
  async SetDriftPolicy(ctx: Context, policy: string): Promise<string> {
    return this.submit(ctx, 'SetDriftPolicy', (tx) => setDriftPolicy(tx, policy));
  }

  /** → the DriftPolicy in force (source 'default' when none was set). */
  @Transaction(false)
  @Returns('string')
  async GetDriftPolicy(ctx: Context, modelId: string, version: string): Promise<string> {
    return this.evaluate(ctx, 'GetDriftPolicy', (tx) => getDriftPolicy(tx, modelId, version));
  }

  /** alert: DriftAlertInput JSON → {alert, modelStatus, modelStatusChange?}. */
  @Transaction()
  @Returns('string')
  async RaiseDriftAlert(ctx: Context, alert: string): Promise<string> {
    return this.submit(ctx, 'RaiseDriftAlert', (tx) => raiseDriftAlert(tx, alert));
  }

  /** transition: AlertTransitionInput JSON → DriftAlert. */
  @Transaction()
  @Returns('string')
  async TransitionDriftAlert(ctx: Context, transition: string): Promise<string> {
    return this.submit(ctx, 'TransitionDriftAlert', (tx) => transitionDriftAlert(tx, transition));
  }

  @Transaction(false)
  @Returns('string')
  async GetDriftAlert(ctx: Context, alertId: string): Promise<string> {
    return this.evaluate(ctx, 'GetDriftAlert', (tx) => readDriftAlert(tx, alertId));
  }

  /** query: DriftAlertQuery JSON → {alerts, bookmark}. */
  @Transaction(false)
  @Returns('string')
  async ListDriftAlerts(ctx: Context, query: string): Promise<string> {
    return this.evaluate(ctx, 'ListDriftAlerts', (tx) => listDriftAlerts(tx, query));
  }
}
