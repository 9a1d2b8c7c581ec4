// SQL of teams (ADR 0029): a territory's teams, their members of one organisation, the members
// outside it (counted, never named), and the locks that keep a deletion and a membership change
// from crossing. Every query is scoped by the territory, and members by the organisation's roles.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

type Db = Kysely<Database>;

export interface TeamMember {
  readonly agentId: number;
  readonly firstName: string;
  readonly lastName: string;
}

export interface TeamSummary {
  readonly id: number;
  readonly name: string;
  /** Members holding a role in the organisation (not deleted), by name. */
  readonly members: readonly TeamMember[];
  /** Members (not deleted) without a role in the organisation: counted, never named. */
  readonly membersElsewhere: number;
}

/** The condition "the agent holds a role in the organisation". */
function holdsRoleIn(organisationId: number) {
  return sql<boolean>`EXISTS (SELECT 1 FROM agent_roles r WHERE r.agent_id = a.id AND r.organisation_id = ${organisationId})`;
}

async function membersOf(db: Db, teamIds: readonly number[], organisationId: number) {
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('agent_teams as at')
    .innerJoin('agents as a', 'a.id', 'at.agent_id')
    .select(['at.team_id', 'a.id', 'a.first_name', 'a.last_name', holdsRoleIn(organisationId).as('here')])
    .where('at.team_id', 'in', [...teamIds])
    .where('a.deleted_at', 'is', null)
    .orderBy('a.last_name')
    .orderBy('a.first_name')
    .orderBy('a.id')
    .execute();
}

function summaries(teams: readonly { id: number; name: string }[], members: Awaited<ReturnType<typeof membersOf>>): TeamSummary[] {
  return teams.map((team) => {
    const ofTeam = members.filter((member) => member.team_id === team.id);
    return {
      id: team.id,
      name: team.name,
      members: ofTeam.filter((member) => member.here).map((member) => ({ agentId: member.id, firstName: member.first_name, lastName: member.last_name })),
      membersElsewhere: ofTeam.filter((member) => !member.here).length,
    };
  });
}

/** The territory's teams (as slot search lists them), by name, with their members of the organisation. */
export async function listTeams(db: Db, territoryId: number, organisationId: number): Promise<TeamSummary[]> {
  const teams = await db.selectFrom('teams').select(['id', 'name']).where('territory_id', '=', territoryId).orderBy('name').orderBy('id').execute();
  return summaries(teams, await membersOf(db, teams.map((team) => team.id), organisationId));
}

/** One team of the territory, or undefined (another territory's id is a 404). `lock`: FOR UPDATE (rename, delete) or FOR KEY SHARE (membership). */
export async function findTeam(db: Db, territoryId: number, organisationId: number, teamId: number, lock: 'none' | 'update' | 'key_share' = 'none'): Promise<TeamSummary | undefined> {
  let query = db.selectFrom('teams').select(['id', 'name']).where('id', '=', teamId).where('territory_id', '=', territoryId);
  if (lock === 'update') query = query.forUpdate();
  if (lock === 'key_share') query = query.forKeyShare();
  const team = await query.executeTakeFirst();
  if (team === undefined) return undefined;
  return summaries([team], await membersOf(db, [team.id], organisationId))[0];
}

/** Whether another team of the territory has this name (case and accents as typed). */
export async function teamNameTaken(db: Db, territoryId: number, name: string, exceptTeamId: number | null): Promise<boolean> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('territory_id', '=', territoryId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .$if(exceptTeamId !== null, (query) => query.where('id', '!=', exceptTeamId ?? 0))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertTeam(db: Db, territoryId: number, name: string): Promise<number> {
  const row = await db.insertInto('teams').values({ territory_id: territoryId, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function renameTeam(db: Db, teamId: number, name: string): Promise<void> {
  await db.updateTable('teams').set({ name }).where('id', '=', teamId).execute();
}

/** Deletes the team; its memberships cascade. */
export async function deleteTeam(db: Db, teamId: number): Promise<void> {
  await db.deleteFrom('teams').where('id', '=', teamId).execute();
}

/**
 * An agent of the organisation (not deleted) whose role row is locked FOR KEY SHARE: a removal
 * from the organisation (which locks it FOR UPDATE) cannot cross the membership change.
 */
export async function lockOrganisationMember(db: Db, organisationId: number, agentId: number): Promise<TeamMember | undefined> {
  const row = await db
    .selectFrom('agent_roles as r')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .select(['a.id', 'a.first_name', 'a.last_name'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.agent_id', '=', agentId)
    .where('a.deleted_at', 'is', null)
    .forKeyShare('r')
    .executeTakeFirst();
  return row === undefined ? undefined : { agentId: row.id, firstName: row.first_name, lastName: row.last_name };
}

/** Adds the membership; false when it existed. */
export async function insertMembership(db: Db, teamId: number, agentId: number): Promise<boolean> {
  const result = await db.insertInto('agent_teams').values({ team_id: teamId, agent_id: agentId }).onConflict((conflict) => conflict.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes the membership; false when there was none. */
export async function deleteMembership(db: Db, teamId: number, agentId: number): Promise<boolean> {
  const result = await db.deleteFrom('agent_teams').where('team_id', '=', teamId).where('agent_id', '=', agentId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The organisation's agents (not deleted), by name: the choices of « Ajouter un membre ». */
export async function listOrganisationMembers(db: Db, organisationId: number): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('agent_roles as r')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .select(['a.id', 'a.first_name', 'a.last_name'])
    .where('r.organisation_id', '=', organisationId)
    .where('a.deleted_at', 'is', null)
    .orderBy('a.last_name')
    .orderBy('a.first_name')
    .orderBy('a.id')
    .execute();
  return rows.map((row) => ({ agentId: row.id, firstName: row.first_name, lastName: row.last_name }));
}
