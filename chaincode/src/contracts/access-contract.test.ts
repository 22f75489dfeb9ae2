import './quiet-logs.js';
import { describe, expect, it } from 'vitest';
import type { RoleGrant } from '../domain/access.js';
import type { WhoAmI } from './operations/roles.js';
import { contracts, evaluate, exampleBatch, newWorld, people, refusal, seededWorld, submit } from './testkit.js';

const { access, decisions } = contracts;
type Ctx = Parameters<typeof access.GrantRole>[0];
const grant = (identityId: string, role: string, mspId = 'OperatorOrgMSP') => (ctx: Ctx) => access.GrantRole(ctx, JSON.stringify({ mspId, identityId, role, reason: 'onboarding' }));
const revoke = (identityId: string, role: string) => (ctx: Ctx) => access.RevokeRole(ctx, JSON.stringify({ mspId: 'OperatorOrgMSP', identityId, role }));
const record = (batchId: string) => (ctx: Ctx) => decisions.RecordDecisions(ctx, JSON.stringify(exampleBatch(batchId, 1)));

describe('role grants', () => {
  it('an OU=admin identity grants a role in its own org, with history and an event', async () => {
    const world = newWorld();
    const result = await submit<RoleGrant>(world, people.operatorAdmin, grant(people.officer.id, 'officer'));
    expect(result).toMatchObject({ mspId: 'OperatorOrgMSP', identityId: people.officer.id, roles: ['officer'] });
    expect(result.history).toEqual([{ action: 'granted', role: 'officer', by: people.operatorAdmin.id, at: world.lastCommit?.timestamp, reason: 'onboarding' }]);
    expect(world.lastCommit?.event?.name).toBe('RoleGrantChanged');
    const who = await evaluate<WhoAmI>(world, people.officer, (ctx) => access.WhoAmI(ctx));
    expect(who).toMatchObject({ roles: ['officer'], sources: { certificate: [], ledger: ['officer'] } });
  });

  it('refuses an admin of another org, and a non-admin, writing nothing', async () => {
    const world = newWorld();
    expect(await refusal(world, people.regulatorAdmin, grant(people.officer.id, 'officer'))).toMatchObject({ code: 'FORBIDDEN', wrote: false });
    expect(await refusal(world, people.stranger, grant(people.stranger.id, 'admin'))).toMatchObject({ code: 'FORBIDDEN', wrote: false });
  });

  it('a revoked recorder can no longer record', async () => {
    const world = await seededWorld();
    await submit(world, people.recorder, record('before'));
    const revoked = await submit<RoleGrant>(world, people.operatorAdmin, revoke(people.recorder.id, 'recorder'));
    expect(revoked.roles).toEqual([]);
    expect(revoked.history.map((h) => h.action)).toEqual(['granted', 'revoked']);
    expect(await refusal(world, people.recorder, record('after'))).toMatchObject({ code: 'FORBIDDEN', field: 'role', wrote: false });
  });

  it('is idempotent: granting a held role again writes nothing', async () => {
    const world = await seededWorld();
    const before = world.snapshot();
    await submit(world, people.operatorAdmin, grant(people.recorder.id, 'recorder'));
    expect(world.snapshot()).toEqual(before);
  });

  it('refuses revoking from an identity that has no grant', async () => {
    const world = newWorld();
    expect(await refusal(world, people.operatorAdmin, revoke(people.stranger.id, 'officer'))).toMatchObject({ code: 'NOT_FOUND', field: 'identityId', wrote: false });
  });

  it('accepts the CA attribute aiaudit.role as a role source, without any grant', async () => {
    const world = await seededWorld();
    const who = await evaluate<WhoAmI>(world, people.attributeRecorder, (ctx) => access.WhoAmI(ctx));
    expect(who).toMatchObject({ roles: ['recorder'], sources: { certificate: ['recorder'], ledger: [] } });
    await submit(world, people.attributeRecorder, record('via-attribute'));
  });

  it('an org admin holds admin only: it cannot record decisions', async () => {
    const world = await seededWorld();
    expect(await refusal(world, people.operatorAdmin, record('by-admin'))).toMatchObject({ code: 'FORBIDDEN', wrote: false });
  });
});
