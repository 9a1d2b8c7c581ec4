// SQL of the slot search form (read only): the organisation, its motifs, agents (with their
// services, for `canSeeAgenda`), places, and the territory's teams with their members in this
// organisation. Slots themselves come from the availability module.
import { sql, type Kysely } from 'kysely';
import type { Database, LocationType } from '../../platform/db/schema.js';

export interface SearchOrganisation {
  readonly id: number;
  readonly territoryId: number;
  readonly timeZone: string;
}

export async function findSearchOrganisation(db: Kysely<Database>, organisationId: number): Promise<SearchOrganisation | undefined> {
  const row = await db.selectFrom('organisations').select(['id', 'territory_id', 'time_zone']).where('id', '=', organisationId).executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, territoryId: row.territory_id, timeZone: row.time_zone };
}

/** An individual, non-archived motif of the organisation. */
export interface SearchMotif {
  readonly id: number;
  readonly name: string;
  readonly serviceId: number;
  readonly durationMinutes: number;
  readonly locationType: LocationType;
}

export async function findSearchMotifs(db: Kysely<Database>, organisationId: number): Promise<SearchMotif[]> {
  const rows = await db
    .selectFrom('appointment_types')
    .select(['id', 'name', 'service_id', 'duration_minutes', 'location_type'])
    .where('organisation_id', '=', organisationId)
    .where('archived_at', 'is', null)
    .where('is_collective', '=', false)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, serviceId: row.service_id, durationMinutes: row.duration_minutes, locationType: row.location_type }));
}

/** An agent holding a role in the organisation (intervenants included), with their services. */
export interface SearchAgent {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly serviceIds: readonly number[];
}

export async function findSearchAgents(db: Kysely<Database>, organisationId: number): Promise<SearchAgent[]> {
  const rows = await db
    .selectFrom('agent_roles as r')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .select(['a.id', 'a.first_name', 'a.last_name'])
    .select(sql<number[]>`COALESCE((SELECT array_agg(s.service_id ORDER BY s.service_id) FROM agent_services s WHERE s.agent_id = a.id), '{}')`.as('service_ids'))
    .where('r.organisation_id', '=', organisationId)
    .where('a.deleted_at', 'is', null)
    .orderBy('a.last_name')
    .orderBy('a.first_name')
    .orderBy('a.id')
    .execute();
  return rows.map((row) => ({ id: row.id, firstName: row.first_name, lastName: row.last_name, serviceIds: row.service_ids }));
}

export interface SearchPlace {
  readonly id: number;
  readonly name: string;
  readonly timeZone: string;
}

/** Places open to appointments (not disabled, not single-use), by name. */
export async function findSearchPlaces(db: Kysely<Database>, organisationId: number): Promise<SearchPlace[]> {
  const rows = await db
    .selectFrom('places')
    .select(['id', 'name', 'time_zone'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'enabled')
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, timeZone: row.time_zone }));
}

export interface SearchTeam {
  readonly id: number;
  readonly name: string;
  /** Members holding a role in the organisation. */
  readonly agentIds: readonly number[];
}

/** Teams of the territory with their members in the organisation. */
export async function findSearchTeams(db: Kysely<Database>, territoryId: number, organisationId: number): Promise<SearchTeam[]> {
  const rows = await db
    .selectFrom('teams as t')
    .select(['t.id', 't.name'])
    .select(
      sql<number[]>`COALESCE((SELECT array_agg(at.agent_id ORDER BY at.agent_id) FROM agent_teams at
                                JOIN agent_roles r ON r.agent_id = at.agent_id AND r.organisation_id = ${organisationId}
                               WHERE at.team_id = t.id), '{}')`.as('agent_ids'),
    )
    .where('t.territory_id', '=', territoryId)
    .orderBy('t.name')
    .orderBy('t.id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, agentIds: row.agent_ids }));
}
