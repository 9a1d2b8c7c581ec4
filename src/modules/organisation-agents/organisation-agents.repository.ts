// SQL of agents administration (ADR 0029): an organisation's agent, their services and roles, the
// locks that serialise role changes, future appointments, and what a removal deletes. Every query
// is scoped by the organisation (or its territory) in its WHERE clause.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { AccessLevel } from '../agents/index.js';

type Db = Kysely<Database>;

/** An agent of the organisation, as their page shows them. */
export interface OrganisationAgentRecord {
  readonly agentId: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly accessLevel: AccessLevel;
  readonly hasPassword: boolean;
  /** Every service of the agent (services are the agent's, in every organisation). */
  readonly serviceIds: readonly number[];
  /** The other organisations (names) where the agent holds a role, of any territory the admin's organisation shares. */
  readonly otherOrganisations: readonly string[];
  /** Teams of the territory the agent belongs to. */
  readonly teamNames: readonly string[];
}

/** The organisation's territory, name and time zone (undefined for an unknown id). */
export async function findOrganisation(db: Db, organisationId: number): Promise<{ territoryId: number; name: string; timeZone: string } | undefined> {
  const row = await db.selectFrom('organisations').select(['territory_id', 'name', 'time_zone']).where('id', '=', organisationId).executeTakeFirst();
  return row === undefined ? undefined : { territoryId: row.territory_id, name: row.name, timeZone: row.time_zone };
}

/** An agent holding a role in the organisation (not deleted), or undefined: a foreign or unknown id is a 404. */
export async function findOrganisationAgent(db: Db, organisationId: number, agentId: number): Promise<OrganisationAgentRecord | undefined> {
  const row = await db
    .selectFrom('agent_roles as r')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['a.id', 'a.first_name', 'a.last_name', 'a.email', 'a.password_hash', 'r.access_level', 'o.territory_id'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.agent_id', '=', agentId)
    .where('a.deleted_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const [services, others, teams] = await Promise.all([
    db.selectFrom('agent_services').select('service_id').where('agent_id', '=', agentId).orderBy('service_id').execute(),
    db
      .selectFrom('agent_roles as r')
      .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
      .select('o.name')
      .where('r.agent_id', '=', agentId)
      .where('r.organisation_id', '!=', organisationId)
      .where('o.territory_id', '=', row.territory_id)
      .orderBy('o.name')
      .execute(),
    db
      .selectFrom('agent_teams as at')
      .innerJoin('teams as t', 't.id', 'at.team_id')
      .select('t.name')
      .where('at.agent_id', '=', agentId)
      .where('t.territory_id', '=', row.territory_id)
      .orderBy('t.name')
      .execute(),
  ]);
  return {
    agentId: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    accessLevel: row.access_level,
    hasPassword: row.password_hash !== null,
    serviceIds: services.map((service) => service.service_id),
    otherOrganisations: others.map((other) => other.name),
    teamNames: teams.map((team) => team.name),
  };
}

/**
 * Serialises the changes of roles of one organisation (level changes, removals): two admins who
 * demote each other at once cannot both pass the last-admin rule. Transaction-scoped.
 */
export async function lockOrganisationRoles(trx: Db, organisationId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('creneau.organisation-agents.roles'), ${organisationId}::int)`.execute(trx);
}

/**
 * Locks the agent's role row in the organisation (FOR UPDATE) and returns its level, or undefined
 * (no role, or a deleted agent). A booking that links the agent holds a KEY SHARE lock on this row
 * (migrations/0016): this waits for it, and makes later ones wait until the end of the transaction.
 */
export async function lockAgentRole(trx: Db, organisationId: number, agentId: number): Promise<{ accessLevel: AccessLevel; hasEmail: boolean; territoryId: number } | undefined> {
  const row = await trx
    .selectFrom('agent_roles as r')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.access_level', 'a.email', 'o.territory_id'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.agent_id', '=', agentId)
    .where('a.deleted_at', 'is', null)
    .forUpdate('r')
    .executeTakeFirst();
  return row === undefined ? undefined : { accessLevel: row.access_level, hasEmail: row.email !== null, territoryId: row.territory_id };
}

/** How many admins (not deleted) the organisation has besides this agent. */
export async function countOtherAdmins(trx: Db, organisationId: number, agentId: number): Promise<number> {
  const row = await trx
    .selectFrom('agent_roles as r')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('r.organisation_id', '=', organisationId)
    .where('r.access_level', '=', 'admin')
    .where('r.agent_id', '!=', agentId)
    .where('a.deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Sets the level of an existing role. */
export async function setAccessLevel(trx: Db, organisationId: number, agentId: number, accessLevel: AccessLevel): Promise<void> {
  await trx.updateTable('agent_roles').set({ access_level: accessLevel }).where('organisation_id', '=', organisationId).where('agent_id', '=', agentId).execute();
}

/** The agent's services, read under the transaction. */
export async function agentServiceIds(trx: Db, agentId: number): Promise<number[]> {
  const rows = await trx.selectFrom('agent_services').select('service_id').where('agent_id', '=', agentId).orderBy('service_id').execute();
  return rows.map((row) => row.service_id);
}

/** Replaces the agent's services by `serviceIds`. */
export async function replaceAgentServices(trx: Db, agentId: number, serviceIds: readonly number[]): Promise<void> {
  await trx.deleteFrom('agent_services').where('agent_id', '=', agentId).$if(serviceIds.length > 0, (query) => query.where('service_id', 'not in', [...serviceIds])).execute();
  if (serviceIds.length > 0) {
    await trx
      .insertInto('agent_services')
      .values(serviceIds.map((service_id) => ({ agent_id: agentId, service_id })))
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
}

/** Creates an intervenant: no address, no password, no e-mail notifications (they cannot read them). */
export async function insertIntervenant(trx: Db, intervenant: { firstName: string; lastName: string; organisationId: number; serviceIds: readonly number[] }): Promise<number> {
  const agent = await trx
    .insertInto('agents')
    .values({ first_name: intervenant.firstName, last_name: intervenant.lastName, email: null, password_hash: null, notification_level: 'none' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('agent_roles').values({ agent_id: agent.id, organisation_id: intervenant.organisationId, access_level: 'intervenant' }).execute();
  await trx
    .insertInto('agent_services')
    .values(intervenant.serviceIds.map((service_id) => ({ agent_id: agent.id, service_id })))
    .execute();
  return agent.id;
}

/** A future appointment that keeps an agent in the organisation. */
export interface BlockingAppointment {
  readonly appointmentId: number;
  readonly startsAt: Date;
  /** The zone of the appointment (its place's). */
  readonly timeZone: string;
  readonly motifName: string;
  readonly isCollective: boolean;
}

/** The agent's appointments in the organisation that are not over and not cancelled, soonest first. */
export async function futureAppointmentsOf(db: Db, organisationId: number, agentId: number, now: Date): Promise<BlockingAppointment[]> {
  const rows = await db
    .selectFrom('appointment_agents as aa')
    .innerJoin('appointments as a', 'a.id', 'aa.appointment_id')
    .innerJoin('appointment_types as t', 't.id', 'a.appointment_type_id')
    .select(['a.id', 'a.time_zone', 'a.is_collective', 't.name', sql<Date>`lower(a.during)`.as('starts_at')])
    .where('aa.agent_id', '=', agentId)
    .where('a.organisation_id', '=', organisationId)
    .where('a.cancelled_at', 'is', null)
    .where('a.status', 'not in', ['excused', 'revoked'])
    .where(sql<SqlBool>`upper(a.during) > ${now}`)
    .orderBy(sql`lower(a.during)`)
    .orderBy('a.id')
    .execute();
  return rows.map((row) => ({ appointmentId: row.id, startsAt: new Date(row.starts_at), timeZone: row.time_zone, motifName: row.name, isCollective: row.is_collective }));
}

/** What a removal deleted, for the audit entry. */
export interface RemovalCounts {
  readonly openingPeriods: number;
  readonly absences: number;
  readonly sectorAttributions: number;
}

/**
 * Deletes the agent's role in the organisation and what only made sense with it: their opening
 * periods there (their overrides and motif links cascade), their absences recorded there, their
 * agent-level sector attributions there.
 */
export async function deleteRoleAndSchedules(trx: Db, organisationId: number, agentId: number): Promise<RemovalCounts> {
  const periods = await trx.deleteFrom('opening_periods').where('organisation_id', '=', organisationId).where('agent_id', '=', agentId).executeTakeFirst();
  const absences = await trx.deleteFrom('absences').where('organisation_id', '=', organisationId).where('agent_id', '=', agentId).executeTakeFirst();
  const attributions = await trx.deleteFrom('sector_attributions').where('organisation_id', '=', organisationId).where('agent_id', '=', agentId).executeTakeFirst();
  await trx.deleteFrom('agent_roles').where('organisation_id', '=', organisationId).where('agent_id', '=', agentId).execute();
  return { openingPeriods: Number(periods.numDeletedRows), absences: Number(absences.numDeletedRows), sectorAttributions: Number(attributions.numDeletedRows) };
}

/** How many roles the agent still holds (any organisation), and whether one is in this territory. */
export async function remainingRoles(trx: Db, agentId: number, territoryId: number): Promise<{ anywhere: number; inTerritory: number }> {
  const row = await trx
    .selectFrom('agent_roles as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select((eb) => [eb.fn.countAll<string>().as('anywhere'), sql<string>`count(*) FILTER (WHERE o.territory_id = ${territoryId})`.as('in_territory')])
    .where('r.agent_id', '=', agentId)
    .executeTakeFirstOrThrow();
  return { anywhere: Number(row.anywhere), inTerritory: Number(row.in_territory) };
}

/** Removes the agent from the teams of a territory. Returns how many memberships. */
export async function deleteTeamMembershipsIn(trx: Db, agentId: number, territoryId: number | 'all'): Promise<number> {
  const result = await trx
    .deleteFrom('agent_teams')
    .where('agent_id', '=', agentId)
    .$if(territoryId !== 'all', (query) => query.where('team_id', 'in', (eb) => eb.selectFrom('teams').select('id').where('territory_id', '=', territoryId === 'all' ? 0 : territoryId)))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deactivates an agent who holds no role left: `deleted_at`, a raised session generation (every
 * open session ends at its next request), pending links revoked, referent links dropped.
 */
export async function deactivateAgent(trx: Db, agentId: number, now: Date): Promise<void> {
  await trx
    .updateTable('agents')
    .set((eb) => ({ deleted_at: now, session_generation: eb('session_generation', '+', 1) }))
    .where('id', '=', agentId)
    .where('deleted_at', 'is', null)
    .execute();
  await trx.updateTable('agent_tokens').set({ revoked_at: now }).where('agent_id', '=', agentId).where('used_at', 'is', null).where('revoked_at', 'is', null).execute();
  await trx.deleteFrom('referent_assignations').where('agent_id', '=', agentId).execute();
}

/** Journals a change of an agent or a team (ids and levels only: no names). */
export async function insertAdminAuditEntry(
  trx: Db,
  entry: { actorAgentId: number; action: 'create' | 'update' | 'delete'; subjectType: 'agent' | 'team'; subjectId: number; territoryId: number; details: Record<string, string | number | boolean | null> },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor_type: 'agent',
      actor_id: entry.actorAgentId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      territory_id: entry.territoryId,
      details: JSON.stringify(entry.details),
    })
    .execute();
}
