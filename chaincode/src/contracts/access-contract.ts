// Contract 'access': on-ledger role grants by each org's admin, and what the chaincode sees of the caller.
import { Context, Returns, Transaction } from 'fabric-contract-api';
import { AuditContract } from './base.js';
import { grantRole, readRoleGrant, revokeRole, whoAmI } from './operations/roles.js';

export class AccessContract extends AuditContract {
  constructor() {
    super('access');
  }

  /** grant: RoleGrantInput JSON → RoleGrant. */
  @Transaction()
  @Returns('string')
  async GrantRole(ctx: Context, grant: string): Promise<string> {
    return this.submit(ctx, 'GrantRole', (tx) => grantRole(tx, grant));
  }

  /** grant: RoleGrantInput JSON → RoleGrant. */
  @Transaction()
  @Returns('string')
  async RevokeRole(ctx: Context, grant: string): Promise<string> {
    return this.submit(ctx, 'RevokeRole', (tx) => revokeRole(tx, grant));
  }

  @Transaction(false)
  @Returns('string')
  async GetRoleGrant(ctx: Context, mspId: string, identityId: string): Promise<string> {
    return this.evaluate(ctx, 'GetRoleGrant', (tx) => readRoleGrant(tx, mspId, identityId));
  }

  /** → {mspId, id, roles, sources: {certificate, ledger}}. */
  @Transaction(false)
  @Returns('string')
  async WhoAmI(ctx: Context): Promise<string> {
    return this.evaluate(ctx, 'WhoAmI', (tx) => whoAmI(tx));
  }
}
