// Use cases of teams (ADR 0029): one transaction each, with its audit entry. A deletion or a
// rename locks the team row FOR UPDATE before counting the members outside the organisation; an
// added membership holds the team row FOR KEY SHARE (and the member's role row), so a deletion
// and an addition from two organisations never cross: one waits for the other and sees it.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { roleIn, type AgentPrincipal } from '../agents/index.js';
import { teamIsOrganisationsAlone } from './domain/team-rules.js';
import { insertAdminAuditEntry } from './organisation-agents.repository.js';
import { deleteMembership, deleteTeam, findTeam, insertMembership, insertTeam, lockOrganisationMember, renameTeam, teamNameTaken } from './teams.repository.js';

type Db = Kysely<Database>;

function territoryOf(principal: AgentPrincipal, organisationId: number): number {
  const role = roleIn(principal, organisationId);
  if (role === undefined) throw new Error('teams: the principal has no role in the organisation');
  return role.territoryId;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

type Scope = { principal: AgentPrincipal; organisationId: number };

export type CreateTeamResult = { readonly ok: true; readonly teamId: number } | { readonly ok: false; readonly reason: 'NAME_TAKEN' };

export async function createTeam(db: Db, request: Scope & { name: string }): Promise<CreateTeamResult> {
  const territoryId = territoryOf(request.principal, request.organisationId);
  try {
    return await db.transaction().execute(async (trx): Promise<CreateTeamResult> => {
      if (await teamNameTaken(trx, territoryId, request.name, null)) return { ok: false, reason: 'NAME_TAKEN' };
      const teamId = await insertTeam(trx, territoryId, request.name);
      await insertAdminAuditEntry(trx, { actorAgentId: request.principal.agentId, action: 'create', subjectType: 'team', subjectId: teamId, territoryId, details: { organisationId: request.organisationId, event: 'team_created' } });
      return { ok: true, teamId };
    });
  } catch (error) {
    // The same name created meanwhile: the unique constraint of the territory.
    if (isUniqueViolation(error)) return { ok: false, reason: 'NAME_TAKEN' };
    throw error;
  }
}

export type TeamChangeResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'NAME_TAKEN' } | { readonly ok: false; readonly reason: 'SHARED'; readonly membersElsewhere: number };

export async function renameTeamOf(db: Db, request: Scope & { teamId: number; name: string }): Promise<TeamChangeResult> {
  const territoryId = territoryOf(request.principal, request.organisationId);
  try {
    return await db.transaction().execute(async (trx): Promise<TeamChangeResult> => {
      const team = await findTeam(trx, territoryId, request.organisationId, request.teamId, 'update');
      if (team === undefined) return { ok: false, reason: 'NOT_FOUND' };
      if (!teamIsOrganisationsAlone(team)) return { ok: false, reason: 'SHARED', membersElsewhere: team.membersElsewhere };
      if (team.name === request.name) return { ok: true };
      if (await teamNameTaken(trx, territoryId, request.name, team.id)) return { ok: false, reason: 'NAME_TAKEN' };
      await renameTeam(trx, team.id, request.name);
      await insertAdminAuditEntry(trx, { actorAgentId: request.principal.agentId, action: 'update', subjectType: 'team', subjectId: team.id, territoryId, details: { organisationId: request.organisationId, event: 'team_renamed' } });
      return { ok: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'NAME_TAKEN' };
    throw error;
  }
}

export async function deleteTeamOf(db: Db, request: Scope & { teamId: number }): Promise<TeamChangeResult> {
  const territoryId = territoryOf(request.principal, request.organisationId);
  return db.transaction().execute(async (trx): Promise<TeamChangeResult> => {
    const team = await findTeam(trx, territoryId, request.organisationId, request.teamId, 'update');
    if (team === undefined) return { ok: false, reason: 'NOT_FOUND' };
    if (!teamIsOrganisationsAlone(team)) return { ok: false, reason: 'SHARED', membersElsewhere: team.membersElsewhere };
    await deleteTeam(trx, team.id);
    await insertAdminAuditEntry(trx, {
      actorAgentId: request.principal.agentId,
      action: 'delete',
      subjectType: 'team',
      subjectId: team.id,
      territoryId,
      details: { organisationId: request.organisationId, event: 'team_deleted', membersRemoved: team.members.length },
    });
    return { ok: true };
  });
}

export type MembershipResult = { readonly ok: true; readonly changed: boolean } | { readonly ok: false; readonly reason: 'NOT_FOUND' };

/** Adds an agent of the organisation to a team of its territory (nothing when already a member). */
export async function addTeamMember(db: Db, request: Scope & { teamId: number; agentId: number }): Promise<MembershipResult> {
  const territoryId = territoryOf(request.principal, request.organisationId);
  return db.transaction().execute(async (trx): Promise<MembershipResult> => {
    const team = await findTeam(trx, territoryId, request.organisationId, request.teamId, 'key_share');
    if (team === undefined) return { ok: false, reason: 'NOT_FOUND' };
    const member = await lockOrganisationMember(trx, request.organisationId, request.agentId);
    if (member === undefined) return { ok: false, reason: 'NOT_FOUND' };
    const changed = await insertMembership(trx, team.id, member.agentId);
    if (changed) {
      await insertAdminAuditEntry(trx, {
        actorAgentId: request.principal.agentId,
        action: 'update',
        subjectType: 'team',
        subjectId: team.id,
        territoryId,
        details: { organisationId: request.organisationId, event: 'member_added', agentId: member.agentId },
      });
    }
    return { ok: true, changed };
  });
}

/** Removes an agent of the organisation from a team; another organisation's member is a 404. */
export async function removeTeamMember(db: Db, request: Scope & { teamId: number; agentId: number }): Promise<MembershipResult> {
  const territoryId = territoryOf(request.principal, request.organisationId);
  return db.transaction().execute(async (trx): Promise<MembershipResult> => {
    const team = await findTeam(trx, territoryId, request.organisationId, request.teamId, 'key_share');
    if (team === undefined) return { ok: false, reason: 'NOT_FOUND' };
    const member = await lockOrganisationMember(trx, request.organisationId, request.agentId);
    if (member === undefined) return { ok: false, reason: 'NOT_FOUND' };
    const changed = await deleteMembership(trx, team.id, member.agentId);
    if (!changed) return { ok: false, reason: 'NOT_FOUND' };
    await insertAdminAuditEntry(trx, {
      actorAgentId: request.principal.agentId,
      action: 'update',
      subjectType: 'team',
      subjectId: team.id,
      territoryId,
      details: { organisationId: request.organisationId, event: 'member_removed', agentId: member.agentId },
    });
    return { ok: true, changed };
  });
}
