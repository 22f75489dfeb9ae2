// The shared contract base: every transaction runs through submit/evaluate (caller, logging, errors, the one event).
import { Contract, type Context } from 'fabric-contract-api';
import { canonicalBytes, canonicalJson } from '../domain/canonical-json.js';
import { AuditError, internalError, notFound } from '../domain/errors.js';
import { Tx } from './tx.js';

/** Any error leaving a transaction is an AuditError, so its text is always `CODE: field: message`. */
export function toAuditError(error: unknown): AuditError {
  if (error instanceof AuditError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return internalError(message);
}

export abstract class AuditContract extends Contract {
  constructor(name: string) {
    super(name);
  }

  /** Runs a state-changing transaction; returns its result as canonical JSON and sets its event. */
  protected async submit(ctx: Context, transaction: string, work: (tx: Tx) => Promise<unknown>): Promise<string> {
    return this.run(ctx, transaction, async (tx) => {
      const result = await work(tx);
      const event = tx.pendingEvent;
      if (event !== undefined) ctx.stub.setEvent(event.name, canonicalBytes(event.payload));
      return result;
    });
  }

  /** Runs a read-only transaction; returns its result as canonical JSON. */
  protected async evaluate(ctx: Context, transaction: string, work: (tx: Tx) => Promise<unknown>): Promise<string> {
    return this.run(ctx, transaction, work);
  }

  override async unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw notFound('transaction', `${fcn === '' ? 'the requested function' : fcn} is not a transaction of this chaincode`);
  }

  private async run(ctx: Context, transaction: string, work: (tx: Tx) => Promise<unknown>): Promise<string> {
    const logger = ctx.logging.getLogger(this.getName());
    const prefix = `[${ctx.stub.getChannelID()}-${ctx.stub.getTxID().slice(0, 8)}] ${this.getName()}:${transaction}`;
    try {
      const tx = new Tx(ctx);
      const result = canonicalJson(await work(tx));
      logger.info(`${prefix} ok by ${tx.caller.mspId}`);
      return result;
    } catch (error) {
      const refusal = toAuditError(error);
      logger.info(`${prefix} refused: ${refusal.message}`);
      throw refusal;
    }
  }
}
