// One transaction as the operations see it: ledger time, caller, lazily resolved roles, and its one event.
import type { Context } from 'fabric-contract-api';
import {
  ROLE_ATTRIBUTE,
  OPERATION_ROLE,
  authorizeRead,
  authorizeOperation,
  canRead,
  parseAttributeRoles,
  type Caller,
  type Role,
  type RoleOperation,
} from '../domain/access.js';
import { internalError } from '../domain/errors.js';
import type { EventName } from '../domain/events.js';
import { hasAdminOu } from '../domain/identity.js';
import { getGrant } from '../ledger/access-store.js';
import { dayOf, txTimeOf, type Stub } from '../ledger/stub.js';

export interface PendingEvent {
  name: EventName;
  payload: unknown;
}

/**
 * Roles come from three sources, unioned: OU=admin in the x509 subject (→ admin), the CA
 * attribute `aiaudit.role`, and the on-ledger grant for (mspId, identity id). The ledger is
 * read only when the certificate alone does not already allow the operation.
 */
export class Tx {
  readonly stub: Stub;
  readonly txId: string;
  /** Ledger time of the transaction, RFC 3339 UTC with milliseconds. */
  readonly time: string;
  readonly day: string;
  readonly caller: Caller;
  private readonly certificateRoles: Role[];
  private ledgerRoles: Role[] | undefined;
  private event: PendingEvent | undefined;

  constructor(ctx: Context) {
    this.stub = ctx.stub;
    this.txId = ctx.stub.getTxID();
    this.time = txTimeOf(ctx.stub);
    this.day = dayOf(this.time);
    this.caller = { mspId: ctx.clientIdentity.getMSPID(), id: ctx.clientIdentity.getID() };
    const roles = new Set(parseAttributeRoles(ctx.clientIdentity.getAttributeValue(ROLE_ATTRIBUTE)));
    if (hasAdminOu(this.caller.id)) roles.add('admin');
    this.certificateRoles = [...roles].sort();
  }

  /** Roles carried by the certificate (OU=admin, CA attribute); no ledger read. */
  get rolesFromCertificate(): readonly Role[] {
    return this.certificateRoles;
  }

  /** Roles granted on the ledger to this caller (one getState, cached). */
  async rolesFromLedger(): Promise<Role[]> {
    this.ledgerRoles ??= (await getGrant(this.stub, this.caller.mspId, this.caller.id))?.roles ?? [];
    return this.ledgerRoles;
  }

  async roles(): Promise<Role[]> {
    return [...new Set([...this.certificateRoles, ...(await this.rolesFromLedger())])].sort();
  }

  /** Throws FORBIDDEN unless the caller holds the operation's role in `ownerMsp`. */
  async requireRole(operation: RoleOperation, ownerMsp: string): Promise<void> {
    if (this.caller.mspId === ownerMsp && this.certificateRoles.includes(OPERATION_ROLE[operation])) return;
    const roles = this.caller.mspId === ownerMsp ? await this.roles() : this.certificateRoles;
    authorizeOperation(operation, this.caller, roles, ownerMsp);
  }

  /** Throws FORBIDDEN unless the caller may read records of `ownerMsp`. */
  async requireRead(ownerMsp: string): Promise<void> {
    if (canRead(this.caller, this.certificateRoles, ownerMsp)) return;
    authorizeRead(this.caller, await this.roles(), ownerMsp);
  }

  /** Sets the transaction's event; a second event is a chaincode bug (Fabric keeps one). */
  emit(name: EventName, payload: unknown): void {
    if (this.event !== undefined) throw internalError(`second event ${name} after ${this.event.name}`);
    this.event = { name, payload };
  }

  get pendingEvent(): PendingEvent | undefined {
    return this.event;
  }
}
