// SQL of the agenda (read only). One query per need, each scoped by organisation and by
// `appointmentScopeCondition` for appointments: the appointments of agents (or of a place) in a
// range through the GiST index on (organisation_id, during) — cancelled ones included, which the
// partial index on appointment_agents leaves out —; opening periods with their overrides; absences;
// the organisation's agents, places and motifs. Instants travel as integer epoch minutes.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { dayNumberToIsoDate, type DayNumber, type EpochMinutes } from '../../shared/time/index.js';
import { appointmentScopeCondition, type AppointmentScope } from '../agents/index.js';
import { findTerritoryClosures, type LocalClosure } from '../availability/index.js';
import type { AppointmentStatus, StatusFilter } from './domain/appointment-status.js';

/** What the agenda needs of its organisation: name, zone, holidays. */
export interface AgendaOrganisation {
  readonly id: number;
  readonly name: string;
  readonly timeZone: string;
  readonly departementNumber: string;
  readonly holidayRegion: string | null;
  readonly openOnHolidays: readonly string[];
  /** The territory's local closures (ADR 0030). */
  readonly closures: readonly LocalClosure[];
}

export async function findAgendaOrganisation(db: Kysely<Database>, organisationId: number): Promise<AgendaOrganisation | undefined> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('territories as t', 't.id', 'o.territory_id')
    .select(['o.id', 'o.territory_id', 'o.name', 'o.time_zone', 't.departement_number', 't.holiday_region', 'o.open_on_holidays'])
    .where('o.id', '=', organisationId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const closures = (await findTerritoryClosures(db, [row.territory_id])).get(row.territory_id) ?? [];
  return { id: row.id, name: row.name, timeZone: row.time_zone, departementNumber: row.departement_number, holidayRegion: row.holiday_region, openOnHolidays: row.open_on_holidays, closures };
}

/** An agent with a role in the organisation (intervenants included), with their services. */
export interface OrganisationAgent {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly accessLevel: 'admin' | 'basic' | 'intervenant';
  readonly serviceIds: readonly number[];
}

export async function findOrganisationAgents(db: Kysely<Database>, organisationId: number): Promise<OrganisationAgent[]> {
  const result = await sql<{ id: number; first_name: string; last_name: string; access_level: OrganisationAgent['accessLevel']; service_ids: number[] }>`
    SELECT a.id, a.first_name, a.last_name, r.access_level,
           COALESCE((SELECT array_agg(s.service_id ORDER BY s.service_id) FROM agent_services s WHERE s.agent_id = a.id), '{}') AS service_ids
      FROM agent_roles r
      JOIN agents a ON a.id = r.agent_id
     WHERE r.organisation_id = ${organisationId} AND a.deleted_at IS NULL
     ORDER BY a.last_name, a.first_name, a.id`.execute(db);
  return result.rows.map((row) => ({ id: row.id, firstName: row.first_name, lastName: row.last_name, accessLevel: row.access_level, serviceIds: row.service_ids }));
}

export interface AgendaPlace {
  readonly id: number;
  readonly name: string;
  readonly address: string;
  readonly timeZone: string;
  readonly phoneNumber: string | null;
}

/** Places of the organisation (disabled ones too: they keep their past appointments), by name. */
export async function findOrganisationPlaces(db: Kysely<Database>, organisationId: number): Promise<AgendaPlace[]> {
  const rows = await db
    .selectFrom('places')
    .select(['id', 'name', 'address', 'time_zone', 'phone_number'])
    .where('organisation_id', '=', organisationId)
    .where('status', '<>', 'single_use')
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, address: row.address, timeZone: row.time_zone, phoneNumber: row.phone_number }));
}

export interface AgendaMotif {
  readonly id: number;
  readonly name: string;
  readonly color: string;
  readonly isArchived: boolean;
}

/** Motifs of the organisation (archived ones too, last), for the filters and their colours. */
export async function findOrganisationMotifs(db: Kysely<Database>, organisationId: number): Promise<AgendaMotif[]> {
  const rows = await db
    .selectFrom('appointment_types')
    .select(['id', 'name', 'color', 'archived_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy(sql`archived_at IS NOT NULL`)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, color: row.color, isArchived: row.archived_at !== null }));
}

/** A participant as the agenda shows them. */
export interface AgendaParticipant {
  readonly firstName: string;
  readonly lastName: string;
  readonly phoneNumber: string | null;
  /** Excused or cancelled for this person (a collective session goes on). */
  readonly isCancelled: boolean;
}

/** One appointment with what the agenda, the list and the day sheet show. */
export interface AgendaAppointment {
  readonly id: number;
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  readonly status: AppointmentStatus;
  readonly timeZone: string;
  readonly isCollective: boolean;
  readonly maxParticipants: number | null;
  /** A collective session's own name. */
  readonly name: string | null;
  readonly motifId: number;
  readonly motifName: string;
  readonly locationType: 'public_office' | 'phone' | 'home' | 'visio';
  readonly placeId: number | null;
  readonly placeName: string | null;
  readonly agentIds: readonly number[];
  readonly participants: readonly AgendaParticipant[];
}

interface AppointmentRow {
  id: number;
  starts_at: number;
  ends_at: number;
  status: AppointmentStatus;
  time_zone: string;
  is_collective: boolean;
  max_participants: number | null;
  name: string | null;
  motif_id: number;
  motif_name: string;
  location_type: AgendaAppointment['locationType'];
  place_id: number | null;
  place_name: string | null;
  agent_ids: number[] | null;
  participants: AgendaParticipant[] | null;
}

const APPOINTMENT_COLUMNS = sql`
  appointments.id,
  floor(extract(epoch FROM lower(appointments.during)) / 60)::int AS starts_at,
  ceil(extract(epoch FROM upper(appointments.during)) / 60)::int AS ends_at,
  appointments.status, appointments.time_zone, appointments.is_collective, appointments.max_participants, appointments.name,
  appointment_types.id AS motif_id, appointment_types.name AS motif_name, appointment_types.location_type,
  appointments.place_id, places.name AS place_name,
  (SELECT array_agg(aa.agent_id ORDER BY aa.agent_id) FROM appointment_agents aa WHERE aa.appointment_id = appointments.id) AS agent_ids,
  (SELECT json_agg(json_build_object('firstName', u.first_name, 'lastName', u.last_name, 'phoneNumber', u.phone_number,
                                     'isCancelled', pa.status IN ('excused', 'revoked')) ORDER BY u.last_name, u.first_name, pa.id)
     FROM participations pa JOIN users u ON u.id = pa.user_id WHERE pa.appointment_id = appointments.id) AS participants`;

const APPOINTMENT_FROM = sql`
  FROM appointments
  JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
  LEFT JOIN places ON places.id = appointments.place_id`;

function toAppointment(row: AppointmentRow): AgendaAppointment {
  return {
    id: row.id,
    startsAtEpochMinutes: row.starts_at,
    endsAtEpochMinutes: row.ends_at,
    status: row.status,
    timeZone: row.time_zone,
    isCollective: row.is_collective,
    maxParticipants: row.max_participants,
    name: row.name,
    motifId: row.motif_id,
    motifName: row.motif_name,
    locationType: row.location_type,
    placeId: row.place_id,
    placeName: row.place_name,
    agentIds: row.agent_ids ?? [],
    participants: row.participants ?? [],
  };
}

function instant(at: EpochMinutes): RawBuilder<unknown> {
  return sql`to_timestamp(${at * 60})`;
}

/** Whose appointments: some agents' (any of them takes part), or a place's. */
export type AgendaTarget = { readonly kind: 'agents'; readonly agentIds: readonly number[] } | { readonly kind: 'place'; readonly placeId: number };

function targetCondition(target: AgendaTarget): Expression<SqlBool> {
  if (target.kind === 'place') return sql<SqlBool>`appointments.place_id = ${target.placeId}`;
  if (target.agentIds.length === 0) return sql<SqlBool>`false`;
  // Per row through the primary key (appointment_id, agent_id), after the (organisation, during)
  // index has found the range's few hundred rows: an EXISTS here becomes a hash semi-join that
  // reads all of appointment_agents (no index on agent_id alone covers cancelled rows).
  return sql<SqlBool>`ARRAY(SELECT chosen.agent_id FROM appointment_agents chosen WHERE chosen.appointment_id = appointments.id)
    && ${[...target.agentIds]}::bigint[]`;
}

/** Upper bound of appointments one agenda page loads (ten agents' busiest month is far below). */
export const MAX_AGENDA_APPOINTMENTS = 5000;

/** Appointments of the target overlapping [from, to) in the organisation, that the scope allows, by start. */
export async function findAgendaAppointments(
  db: Kysely<Database>,
  query: { organisationId: number; scope: AppointmentScope; target: AgendaTarget; from: EpochMinutes; to: EpochMinutes },
): Promise<AgendaAppointment[]> {
  // The range's rows first, through the (organisation_id, during) index, then the per-row checks:
  // left to itself the planner may scan another index on `during` alone once those checks
  // weigh in its estimates (seen at the benchmark's scale: 7 000 rows read instead of 900).
  const result = await sql<AppointmentRow>`
    WITH in_range AS MATERIALIZED (
      SELECT id FROM appointments
       WHERE organisation_id = ${query.organisationId} AND during && tstzrange(${instant(query.from)}, ${instant(query.to)}))
    SELECT ${APPOINTMENT_COLUMNS}
      FROM in_range
      JOIN appointments ON appointments.id = in_range.id
      JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
      LEFT JOIN places ON places.id = appointments.place_id
     WHERE ${targetCondition(query.target)}
       AND ${appointmentScopeCondition(query.scope)}
     ORDER BY lower(appointments.during), appointments.id
     LIMIT ${MAX_AGENDA_APPOINTMENTS}`.execute(db);
  return result.rows.map(toAppointment);
}

/** Appointments per local day (in `timeZone`) of the target in [from, to): all, and cancelled ones. */
export async function countAgendaAppointmentsByDay(
  db: Kysely<Database>,
  query: { organisationId: number; scope: AppointmentScope; target: AgendaTarget; from: EpochMinutes; to: EpochMinutes; timeZone: string },
): Promise<Map<string, { total: number; cancelled: number }>> {
  const result = await sql<{ day: string; total: number; cancelled: number }>`
    WITH in_range AS MATERIALIZED (
      SELECT id FROM appointments
       WHERE organisation_id = ${query.organisationId} AND during && tstzrange(${instant(query.from)}, ${instant(query.to)}))
    SELECT (lower(appointments.during) AT TIME ZONE ${query.timeZone})::date::text AS day,
           count(*)::int AS total,
           (count(*) FILTER (WHERE appointments.status IN ('excused', 'revoked')))::int AS cancelled
      FROM in_range
      JOIN appointments ON appointments.id = in_range.id
      JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
     WHERE lower(appointments.during) >= ${instant(query.from)} AND lower(appointments.during) < ${instant(query.to)}
       AND ${targetCondition(query.target)}
       AND ${appointmentScopeCondition(query.scope)}
     GROUP BY 1`.execute(db);
  return new Map(result.rows.map((row) => [row.day, { total: row.total, cancelled: row.cancelled }]));
}

/** An opening period as stored, with what the agenda shows besides the engine's fields. */
export interface AgendaOpeningPeriodRow {
  readonly id: number;
  readonly organisationId: number;
  readonly agentId: number;
  readonly placeId: number | null;
  readonly title: string;
  readonly firstDay: string;
  readonly lastDay: string | null;
  readonly startTime: string;
  readonly endTime: string;
  readonly recurrence: string | null;
  readonly excludedDates: readonly string[];
  readonly overrides: readonly { occurrenceDate: string; startTime: string; endTime: string; placeId: number | null }[];
  readonly timeZone: string;
}

/** Opening periods of the organisation active on the days: of these agents, or at this place (moved occurrences included). */
export async function findAgendaOpeningPeriods(
  db: Kysely<Database>,
  query: { organisationId: number; agentIds: readonly number[]; placeId: number | null; fromDay: DayNumber; toDay: DayNumber },
): Promise<AgendaOpeningPeriodRow[]> {
  if (query.agentIds.length === 0) return [];
  const days = `[${dayNumberToIsoDate(query.fromDay)},${dayNumberToIsoDate(query.toDay)}]`;
  const placeFilter =
    query.placeId === null
      ? sql`true`
      : sql`(op.place_id = ${query.placeId} OR op.id IN (SELECT ov.opening_period_id FROM opening_period_overrides ov WHERE ov.place_id = ${query.placeId}))`;
  const result = await sql<{
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
    time_zone: string;
    overrides: AgendaOpeningPeriodRow['overrides'] | null;
  }>`
    SELECT op.id, op.organisation_id, op.agent_id, op.place_id, op.title,
           op.first_day::text AS first_day, op.last_day::text AS last_day,
           to_char(op.start_time, 'HH24:MI') AS start_time, to_char(op.end_time, 'HH24:MI') AS end_time,
           op.recurrence, op.excluded_dates::text[] AS excluded_dates,
           COALESCE(p.time_zone, o.time_zone) AS time_zone,
           (SELECT json_agg(json_build_object(
                     'occurrenceDate', ov.occurrence_date::text,
                     'startTime', to_char(ov.start_time, 'HH24:MI'),
                     'endTime', to_char(ov.end_time, 'HH24:MI'),
                     'placeId', ov.place_id))
              FROM opening_period_overrides ov WHERE ov.opening_period_id = op.id) AS overrides
      FROM opening_periods op
      JOIN organisations o ON o.id = op.organisation_id
      LEFT JOIN places p ON p.id = op.place_id
     WHERE op.organisation_id = ${query.organisationId}
       AND op.agent_id = ANY(${[...query.agentIds]}::bigint[])
       AND op.active_days && ${days}::daterange
       AND ${placeFilter}
     ORDER BY op.id`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    organisationId: row.organisation_id,
    agentId: row.agent_id,
    placeId: row.place_id,
    title: row.title,
    firstDay: row.first_day,
    lastDay: row.last_day,
    startTime: row.start_time,
    endTime: row.end_time,
    recurrence: row.recurrence,
    excludedDates: row.excluded_dates,
    overrides: row.overrides ?? [],
    timeZone: row.time_zone,
  }));
}

export interface AgendaAbsenceRow {
  readonly id: number;
  readonly agentId: number;
  /** The organisation that recorded it (null: every organisation of the agent). */
  readonly organisationId: number | null;
  readonly title: string;
  readonly firstDay: string;
  readonly startTime: string;
  readonly endDay: string;
  readonly endTime: string;
  readonly lastDay: string | null;
  readonly recurrence: string | null;
  readonly excludedDates: readonly string[];
  readonly timeZone: string;
}

/** Absences of the agents active on the days, in any organisation (an absence empties the agent's day everywhere). */
export async function findAgendaAbsences(db: Kysely<Database>, agentIds: readonly number[], fromDay: DayNumber, toDay: DayNumber): Promise<AgendaAbsenceRow[]> {
  if (agentIds.length === 0) return [];
  const days = `[${dayNumberToIsoDate(fromDay)},${dayNumberToIsoDate(toDay)}]`;
  const result = await sql<{
    id: number;
    agent_id: number;
    organisation_id: number | null;
    title: string;
    first_day: string;
    start_time: string;
    end_day: string;
    end_time: string;
    last_day: string | null;
    recurrence: string | null;
    excluded_dates: string[];
    time_zone: string;
  }>`
    SELECT id, agent_id, organisation_id, title, first_day::text AS first_day, to_char(start_time, 'HH24:MI') AS start_time,
           end_day::text AS end_day, to_char(end_time, 'HH24:MI') AS end_time, last_day::text AS last_day,
           recurrence, excluded_dates::text[] AS excluded_dates, time_zone
      FROM absences
     WHERE agent_id = ANY(${[...agentIds]}::bigint[])
       AND active_days && ${days}::daterange
     ORDER BY id`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    agentId: row.agent_id,
    organisationId: row.organisation_id,
    title: row.title,
    firstDay: row.first_day,
    startTime: row.start_time,
    endDay: row.end_day,
    endTime: row.end_time,
    lastDay: row.last_day,
    recurrence: row.recurrence,
    excludedDates: row.excluded_dates,
    timeZone: row.time_zone,
  }));
}

/** Filters of the appointment list (all optional; dates as instants [from, to)). */
export interface AppointmentListFilters {
  readonly agentId?: number;
  readonly motifId?: number;
  readonly placeId?: number;
  readonly status?: StatusFilter;
  readonly from?: EpochMinutes;
  readonly to?: EpochMinutes;
}

function statusCondition(status: StatusFilter, now: EpochMinutes): Expression<SqlBool> {
  switch (status) {
    case 'a-venir':
      return sql<SqlBool>`appointments.status = 'unknown' AND lower(appointments.during) > ${instant(now)}`;
    case 'a-renseigner':
      return sql<SqlBool>`appointments.status = 'unknown' AND lower(appointments.during) <= ${instant(now)}`;
    case 'vu':
      return sql<SqlBool>`appointments.status = 'seen'`;
    case 'absent':
      return sql<SqlBool>`appointments.status = 'noshow'`;
    case 'excuse':
      return sql<SqlBool>`appointments.status = 'excused'`;
    case 'annule':
      return sql<SqlBool>`appointments.status = 'revoked'`;
  }
}

/**
 * The list's WHERE clause over `appointments` joined to `appointment_types`: the organisation,
 * the principal's scope and the filters (`now` decides « à venir » / « à renseigner »). The
 * exports read their rows through this same condition.
 */
export function appointmentListCondition(organisationId: number, scope: AppointmentScope, filters: AppointmentListFilters, now: EpochMinutes): RawBuilder<unknown> {
  const conditions: Expression<SqlBool>[] = [sql<SqlBool>`appointments.organisation_id = ${organisationId}`, appointmentScopeCondition(scope)];
  if (filters.agentId !== undefined) conditions.push(targetCondition({ kind: 'agents', agentIds: [filters.agentId] }));
  if (filters.motifId !== undefined) conditions.push(sql<SqlBool>`appointments.appointment_type_id = ${filters.motifId}`);
  if (filters.placeId !== undefined) conditions.push(sql<SqlBool>`appointments.place_id = ${filters.placeId}`);
  if (filters.status !== undefined) conditions.push(statusCondition(filters.status, now));
  if (filters.from !== undefined) conditions.push(sql<SqlBool>`lower(appointments.during) >= ${instant(filters.from)}`);
  if (filters.to !== undefined) conditions.push(sql<SqlBool>`lower(appointments.during) < ${instant(filters.to)}`);
  return sql.join(conditions.map((condition) => sql`(${condition})`), sql` AND `);
}

/** One page of the filtered list, sorted by start (then id), and the number of matches. */
export async function findAppointmentPage(
  db: Kysely<Database>,
  query: { organisationId: number; scope: AppointmentScope; filters: AppointmentListFilters; now: EpochMinutes; offset: number; limit: number },
): Promise<{ appointments: AgendaAppointment[]; total: number }> {
  const where = appointmentListCondition(query.organisationId, query.scope, query.filters, query.now);
  const [page, count] = await Promise.all([
    sql<AppointmentRow>`
      SELECT ${APPOINTMENT_COLUMNS}
      ${APPOINTMENT_FROM}
       WHERE ${where}
       ORDER BY lower(appointments.during), appointments.id
       LIMIT ${query.limit} OFFSET ${query.offset}`.execute(db),
    sql<{ total: number }>`
      SELECT count(*)::int AS total
        FROM appointments JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
       WHERE ${where}`.execute(db),
  ]);
  return { appointments: page.rows.map(toAppointment), total: count.rows[0]?.total ?? 0 };
}

/** Past appointments still "à renseigner" (not marked, begun, not cancelled) in the scope, optionally of one agent. */
export async function countAppointmentsToFill(
  db: Kysely<Database>,
  query: { organisationId: number; scope: AppointmentScope; agentId?: number; now: EpochMinutes },
): Promise<number> {
  const where = appointmentListCondition(query.organisationId, query.scope, { agentId: query.agentId, status: 'a-renseigner' }, query.now);
  const result = await sql<{ total: number }>`
    SELECT count(*)::int AS total
      FROM appointments JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
     WHERE ${where}`.execute(db);
  return result.rows[0]?.total ?? 0;
}
