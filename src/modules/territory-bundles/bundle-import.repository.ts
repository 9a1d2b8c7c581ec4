/**
 * SQL of the bundle import: reads of what already exists (by natural keys) and batched writes.
 * Every function runs in the caller's transaction.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export type Db = Kysely<Database>;

/** Rows per INSERT (and per IN list): bounded statements and bounded memory per round trip. */
export const BATCH_SIZE = 1000;

export async function inBatches<T>(items: readonly T[], run: (batch: T[]) => Promise<void>, size = BATCH_SIZE): Promise<void> {
  for (let start = 0; start < items.length; start += size) await run(items.slice(start, start + size));
}

export async function findTerritory(db: Db, departementNumber: string) {
  return db.selectFrom('territories').select(['id', 'name', 'holiday_region']).where('departement_number', '=', departementNumber).executeTakeFirst();
}

export async function listServices(db: Db) {
  return db.selectFrom('services').select(['id', 'name', 'short_name', 'is_secretariat']).execute();
}

export async function listTerritoryServiceIds(db: Db, territoryId: number): Promise<number[]> {
  const rows = await db.selectFrom('territory_services').select('service_id').where('territory_id', '=', territoryId).execute();
  return rows.map((row) => row.service_id);
}

/** Motif categories enabled in the territory (`territory_motif_categories`, ADR 0030). */
export async function listTerritoryCategoryIds(db: Db, territoryId: number): Promise<number[]> {
  const rows = await db.selectFrom('territory_motif_categories').select('motif_category_id').where('territory_id', '=', territoryId).execute();
  return rows.map((row) => row.motif_category_id);
}

export async function listMotifCategories(db: Db) {
  return db.selectFrom('motif_categories').select(['id', 'name', 'short_name']).execute();
}

const organisationColumns = ['id', 'territory_id', 'slug', 'name', 'external_id', 'time_zone', 'phone_number', 'email', 'website', 'open_on_holidays'] as const;

/** Organisations with one of these slugs (any territory) or of the territory. */
export async function findOrganisations(db: Db, slugs: readonly string[], territoryId: number | null) {
  if (slugs.length === 0 && territoryId === null) return [];
  return db
    .selectFrom('organisations')
    .select(organisationColumns)
    .where((eb) => eb.or([...(slugs.length > 0 ? [eb('slug', 'in', slugs)] : []), ...(territoryId === null ? [] : [eb('territory_id', '=', territoryId)])]))
    .execute();
}

export async function listPlaces(db: Db, organisationIds: readonly number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('places')
    .select(['id', 'organisation_id', 'name', 'address', 'latitude', 'longitude', 'time_zone', 'phone_number', 'status'])
    .where('organisation_id', 'in', organisationIds)
    .where('status', '<>', 'single_use')
    .execute();
}

export async function listActiveMotifs(db: Db, organisationIds: readonly number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('appointment_types')
    .selectAll()
    .where('organisation_id', 'in', organisationIds)
    .where('archived_at', 'is', null)
    .execute();
}

export async function listTeams(db: Db, territoryId: number) {
  return db.selectFrom('teams').select(['id', 'name']).where('territory_id', '=', territoryId).execute();
}

const agentColumns = ['id', 'email', 'first_name', 'last_name', 'deleted_at'] as const;

/** Agents whose lower-cased e-mail is in the list. */
export async function findAgentsByEmail(db: Db, emails: readonly string[]) {
  const rows: { id: number; email: string | null; first_name: string; last_name: string; deleted_at: Date | null }[] = [];
  await inBatches(emails, async (batch) => {
    rows.push(...(await db.selectFrom('agents').select(agentColumns).where(sql<string>`lower(email)`, 'in', batch).execute()));
  });
  return rows;
}

/** Intervenants (no e-mail) holding a role in one of these organisations. */
export async function listIntervenants(db: Db, organisationIds: readonly number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('agents as a')
    .select(['a.id', 'a.email', 'a.first_name', 'a.last_name', 'a.deleted_at'])
    .where('a.email', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('agent_roles as r').select('r.agent_id').whereRef('r.agent_id', '=', 'a.id').where('r.organisation_id', 'in', organisationIds)))
    .execute();
}

export async function listAgentRoles(db: Db, agentIds: readonly number[], organisationIds: readonly number[]) {
  if (agentIds.length === 0 || organisationIds.length === 0) return [];
  return db
    .selectFrom('agent_roles')
    .select(['agent_id', 'organisation_id', 'access_level'])
    .where('agent_id', 'in', agentIds)
    .where('organisation_id', 'in', organisationIds)
    .execute();
}

export async function listAgentServices(db: Db, agentIds: readonly number[]) {
  if (agentIds.length === 0) return [];
  return db.selectFrom('agent_services').select(['agent_id', 'service_id']).where('agent_id', 'in', agentIds).execute();
}

export async function listAgentTeams(db: Db, agentIds: readonly number[], teamIds: readonly number[]) {
  if (agentIds.length === 0 || teamIds.length === 0) return [];
  return db.selectFrom('agent_teams').select(['agent_id', 'team_id']).where('agent_id', 'in', agentIds).where('team_id', 'in', teamIds).execute();
}

export async function listTerritorialAdmins(db: Db, territoryId: number): Promise<number[]> {
  const rows = await db.selectFrom('agent_territorial_roles').select('agent_id').where('territory_id', '=', territoryId).execute();
  return rows.map((row) => row.agent_id);
}

export interface StoredOpeningPeriod {
  id: number;
  organisation_id: number;
  agent_id: number;
  place_id: number | null;
  title: string;
  first_day: string;
  last_day: string | null;
  start_time: string;
  end_time: string;
  recurrence: string | null;
  excluded_dates: string[];
  motif_ids: number[];
}

/** Opening periods of these organisations, with their motifs; days and times as text. */
export async function listOpeningPeriods(db: Db, organisationIds: readonly number[]): Promise<StoredOpeningPeriod[]> {
  if (organisationIds.length === 0) return [];
  const result = await sql<StoredOpeningPeriod>`
    SELECT op.id, op.organisation_id, op.agent_id, op.place_id, op.title,
           op.first_day::text AS first_day, op.last_day::text AS last_day,
           to_char(op.start_time, 'HH24:MI') AS start_time, to_char(op.end_time, 'HH24:MI') AS end_time,
           op.recurrence, op.excluded_dates::text[] AS excluded_dates,
           coalesce(array(SELECT opat.appointment_type_id FROM opening_period_appointment_types opat
                          WHERE opat.opening_period_id = op.id ORDER BY 1), '{}') AS motif_ids
    FROM opening_periods op
    WHERE op.organisation_id IN (${sql.join(organisationIds)})
    ORDER BY op.id`.execute(db);
  return result.rows;
}

export async function listSectors(db: Db, territoryId: number) {
  return db.selectFrom('sectors').select(['id', 'human_id', 'name']).where('territory_id', '=', territoryId).execute();
}

export async function listZones(db: Db, sectorIds: readonly number[]) {
  if (sectorIds.length === 0) return [];
  return db
    .selectFrom('zones')
    .select(['id', 'sector_id', 'level', 'city_code', 'city_name', 'street_ban_id', 'street_name'])
    .where('sector_id', 'in', sectorIds)
    .execute();
}

export async function listAttributions(db: Db, sectorIds: readonly number[]) {
  if (sectorIds.length === 0) return [];
  return db.selectFrom('sector_attributions').select(['id', 'sector_id', 'organisation_id', 'agent_id']).where('sector_id', 'in', sectorIds).execute();
}
