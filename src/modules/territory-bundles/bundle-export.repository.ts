/** SQL of the bundle export: the territory's configuration, and on request its usagers and appointments. */
import { sql } from 'kysely';
import type { Db } from './bundle-import.repository.js';

export async function findTerritoryByCode(db: Db, departementNumber: string) {
  return db.selectFrom('territories').select(['id', 'departement_number', 'name', 'holiday_region']).where('departement_number', '=', departementNumber).executeTakeFirst();
}

export async function listOrganisationsOf(db: Db, territoryId: number) {
  return db.selectFrom('organisations').select(['id', 'slug', 'name', 'external_id', 'time_zone', 'phone_number', 'email', 'website', 'open_on_holidays']).where('territory_id', '=', territoryId).execute();
}

/** Services enabled in the territory, plus those its motifs and agents use. */
export async function listServicesUsedBy(db: Db, territoryId: number, organisationIds: readonly number[], agentIds: readonly number[]) {
  return db
    .selectFrom('services')
    .select(['id', 'name', 'short_name', 'is_secretariat'])
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('territory_services as ts').select('ts.service_id').whereRef('ts.service_id', '=', 'services.id').where('ts.territory_id', '=', territoryId)),
        ...(organisationIds.length === 0
          ? []
          : [eb.exists(eb.selectFrom('appointment_types as t').select('t.id').whereRef('t.service_id', '=', 'services.id').where('t.organisation_id', 'in', organisationIds).where('t.archived_at', 'is', null))]),
        ...(agentIds.length === 0 ? [] : [eb.exists(eb.selectFrom('agent_services as s').select('s.agent_id').whereRef('s.service_id', '=', 'services.id').where('s.agent_id', 'in', agentIds))]),
      ]),
    )
    .execute();
}

export async function listCategoriesByIds(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('motif_categories').select(['id', 'name', 'short_name']).where('id', 'in', ids).execute();
}

export async function listEnabledPlaces(db: Db, organisationIds: readonly number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('places')
    .select(['id', 'organisation_id', 'name', 'address', 'latitude', 'longitude', 'time_zone', 'phone_number'])
    .where('organisation_id', 'in', organisationIds)
    .where('status', '=', 'enabled')
    .execute();
}

/** Agents (not removed) holding a role in one of these organisations. */
export async function listAgentsOf(db: Db, organisationIds: readonly number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('agents as a')
    .select(['a.id', 'a.email', 'a.first_name', 'a.last_name'])
    .where('a.deleted_at', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('agent_roles as r').select('r.agent_id').whereRef('r.agent_id', '=', 'a.id').where('r.organisation_id', 'in', organisationIds)))
    .execute();
}

export interface ExportedUserRow {
  id: number;
  responsible_id: number | null;
  first_name: string;
  last_name: string;
  birth_name: string | null;
  birth_date: string | null;
  email: string | null;
  phone_number: string | null;
  address: string | null;
  notify_by_sms: boolean;
  notify_by_email: boolean;
  organisations: string[];
}

/** Usagers known to the territory: a profile in one of its organisations or a participation there. */
export async function listUsersOf(db: Db, organisationIds: readonly number[]): Promise<ExportedUserRow[]> {
  if (organisationIds.length === 0) return [];
  const ids = sql.join(organisationIds);
  const result = await sql<ExportedUserRow>`
    SELECT u.id, u.responsible_id, u.first_name, u.last_name, u.birth_name, u.birth_date::text AS birth_date, u.email,
           u.phone_number, u.address, u.notify_by_sms, u.notify_by_email,
           coalesce(array(SELECT o.slug FROM user_profiles up JOIN organisations o ON o.id = up.organisation_id
                          WHERE up.user_id = u.id AND up.organisation_id IN (${ids}) ORDER BY o.slug), '{}') AS organisations
    FROM users u
    WHERE u.deleted_at IS NULL
      AND (EXISTS (SELECT 1 FROM user_profiles up WHERE up.user_id = u.id AND up.organisation_id IN (${ids}))
        OR EXISTS (SELECT 1 FROM participations p JOIN appointments a ON a.id = p.appointment_id
                   WHERE p.user_id = u.id AND a.organisation_id IN (${ids})))
    ORDER BY u.id`.execute(db);
  return result.rows;
}

export interface ExportedAppointmentRow {
  public_id: string;
  organisation_slug: string;
  motif_name: string;
  place_name: string | null;
  starts_at: string;
  ends_at: string;
  time_zone: string;
  status: string;
  is_collective: boolean;
  max_participants: number | null;
  name: string | null;
  created_by_type: string;
  agent_ids: number[];
  participants: string[];
}

/** Appointments of these organisations, with their agents and participants (user id:status). */
export async function listAppointmentsOf(db: Db, organisationIds: readonly number[]): Promise<ExportedAppointmentRow[]> {
  if (organisationIds.length === 0) return [];
  const result = await sql<ExportedAppointmentRow>`
    SELECT a.public_id, o.slug AS organisation_slug, t.name AS motif_name, pl.name AS place_name,
           to_char(lower(a.during) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS starts_at,
           to_char(upper(a.during) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ends_at,
           a.time_zone, a.status, a.is_collective, a.max_participants, a.name, a.created_by_type,
           coalesce(array(SELECT aa.agent_id FROM appointment_agents aa WHERE aa.appointment_id = a.id ORDER BY 1), '{}') AS agent_ids,
           coalesce(array(SELECT p.user_id::text || ':' || p.status FROM participations p WHERE p.appointment_id = a.id ORDER BY p.user_id), '{}') AS participants
    FROM appointments a
    JOIN organisations o ON o.id = a.organisation_id
    JOIN appointment_types t ON t.id = a.appointment_type_id
    LEFT JOIN places pl ON pl.id = a.place_id
    WHERE a.organisation_id IN (${sql.join(organisationIds)})
    ORDER BY lower(a.during), a.public_id`.execute(db);
  return result.rows;
}
