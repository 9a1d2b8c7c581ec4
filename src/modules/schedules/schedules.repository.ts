// SQL of opening periods and absences as the agent workspace edits them. Every query is scoped
// by organisation; dates and times travel as text ('YYYY-MM-DD', 'HH:MM') like in the slot engine.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { OpeningPeriodOverride } from '../availability/index.js';

/** An agent holding a role in the organisation (intervenants included: they have agendas). */
export interface OrganisationAgent {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly serviceIds: readonly number[];
}

export async function findOrganisationAgents(db: Kysely<Database>, organisationId: number): Promise<OrganisationAgent[]> {
  const rows = await db
    .selectFrom('agents')
    .innerJoin('agent_roles', 'agent_roles.agent_id', 'agents.id')
    .select((eb) => [
      'agents.id',
      'agents.first_name',
      'agents.last_name',
      eb.fn.coalesce(sql<number[] | null>`(SELECT array_agg(s.service_id ORDER BY s.service_id) FROM agent_services s WHERE s.agent_id = agents.id)`, sql<number[]>`'{}'::bigint[]`).as('service_ids'),
    ])
    .where('agent_roles.organisation_id', '=', organisationId)
    .where('agents.deleted_at', 'is', null)
    .orderBy('agents.last_name')
    .orderBy('agents.first_name')
    .orderBy('agents.id')
    .execute();
  return rows.map((row) => ({ id: row.id, firstName: row.first_name, lastName: row.last_name, serviceIds: row.service_ids.map(Number) }));
}

export interface PlaceOption {
  readonly id: number;
  readonly name: string;
  readonly timeZone: string;
}

/** The organisation's places open to periods (status enabled). */
export async function findEnabledPlaces(db: Kysely<Database>, organisationId: number): Promise<PlaceOption[]> {
  const rows = await db
    .selectFrom('places')
    .select(['id', 'name', 'time_zone'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'enabled')
    .orderBy('name')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, timeZone: row.time_zone }));
}

/** Names of the organisation's places, any status (to show stored periods). */
export async function findPlaceNames(db: Kysely<Database>, organisationId: number): Promise<Map<number, string>> {
  const rows = await db.selectFrom('places').select(['id', 'name']).where('organisation_id', '=', organisationId).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

export interface MotifOption {
  readonly id: number;
  readonly name: string;
  readonly serviceId: number;
  readonly durationMinutes: number;
}

/**
 * Motifs an opening period may offer: the organisation's non-archived, individual motifs (the
 * slot engine offers collective motifs through their sessions, never through periods).
 */
export async function findPeriodMotifs(db: Kysely<Database>, organisationId: number): Promise<MotifOption[]> {
  const rows = await db
    .selectFrom('appointment_types')
    .select(['id', 'name', 'service_id', 'duration_minutes'])
    .where('organisation_id', '=', organisationId)
    .where('archived_at', 'is', null)
    .where('is_collective', '=', false)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, serviceId: row.service_id, durationMinutes: row.duration_minutes }));
}

/** Names of the organisation's motifs, archived included (to show stored periods). */
export async function findMotifNames(db: Kysely<Database>, organisationId: number): Promise<Map<number, { name: string; durationMinutes: number }>> {
  const rows = await db.selectFrom('appointment_types').select(['id', 'name', 'duration_minutes']).where('organisation_id', '=', organisationId).execute();
  return new Map(rows.map((row) => [row.id, { name: row.name, durationMinutes: row.duration_minutes }]));
}

export interface OpeningPeriodRow {
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
  readonly overrides: readonly OpeningPeriodOverride[];
  readonly appointmentTypeIds: readonly number[];
  /** Zone of its place, or of its organisation. */
  readonly timeZone: string;
}

interface RawPeriodRow {
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
  appointment_type_ids: number[] | null;
  overrides: OpeningPeriodOverride[] | null;
}

function toPeriod(row: RawPeriodRow): OpeningPeriodRow {
  return {
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
    appointmentTypeIds: (row.appointment_type_ids ?? []).map(Number),
    timeZone: row.time_zone,
  };
}

async function selectPeriods(db: Kysely<Database>, organisationId: number, where: { agentId?: number; periodId?: number }): Promise<OpeningPeriodRow[]> {
  const agentFilter = where.agentId === undefined ? sql`true` : sql`op.agent_id = ${where.agentId}`;
  const periodFilter = where.periodId === undefined ? sql`true` : sql`op.id = ${where.periodId}`;
  const result = await sql<RawPeriodRow>`
    SELECT op.id, op.organisation_id, op.agent_id, op.place_id, op.title,
           op.first_day::text AS first_day, op.last_day::text AS last_day,
           to_char(op.start_time, 'HH24:MI') AS start_time, to_char(op.end_time, 'HH24:MI') AS end_time,
           op.recurrence, op.excluded_dates::text[] AS excluded_dates,
           COALESCE(p.time_zone, o.time_zone) AS time_zone,
           (SELECT array_agg(l.appointment_type_id ORDER BY l.appointment_type_id)
              FROM opening_period_appointment_types l WHERE l.opening_period_id = op.id) AS appointment_type_ids,
           (SELECT json_agg(json_build_object(
                     'occurrenceDate', ov.occurrence_date::text,
                     'startTime', to_char(ov.start_time, 'HH24:MI'),
                     'endTime', to_char(ov.end_time, 'HH24:MI'),
                     'placeId', ov.place_id) ORDER BY ov.occurrence_date)
              FROM opening_period_overrides ov WHERE ov.opening_period_id = op.id) AS overrides
      FROM opening_periods op
      JOIN organisations o ON o.id = op.organisation_id
      LEFT JOIN places p ON p.id = op.place_id
     WHERE op.organisation_id = ${organisationId} AND ${agentFilter} AND ${periodFilter}
     ORDER BY op.first_day, op.start_time, op.id`.execute(db);
  return result.rows.map(toPeriod);
}

/** The agent's opening periods in the organisation, first day first. */
export async function findPeriodsOfAgent(db: Kysely<Database>, organisationId: number, agentId: number): Promise<OpeningPeriodRow[]> {
  return selectPeriods(db, organisationId, { agentId });
}

/** One opening period of the organisation (undefined for another organisation's). */
export async function findPeriod(db: Kysely<Database>, organisationId: number, periodId: number): Promise<OpeningPeriodRow | undefined> {
  const [period] = await selectPeriods(db, organisationId, { periodId });
  return period;
}

/** Locks a period row for an edit of its occurrences (two agents cancelling two dates at once). */
export async function lockPeriod(db: Kysely<Database>, organisationId: number, periodId: number): Promise<boolean> {
  const row = await db.selectFrom('opening_periods').select('id').where('id', '=', periodId).where('organisation_id', '=', organisationId).forUpdate().executeTakeFirst();
  return row !== undefined;
}

export interface PeriodWrite {
  readonly title: string;
  readonly agentId: number;
  readonly placeId: number | null;
  readonly appointmentTypeIds: readonly number[];
  readonly firstDay: string;
  readonly lastDay: string | null;
  readonly startTime: string;
  readonly endTime: string;
  readonly recurrence: string | null;
}

async function replacePeriodMotifs(db: Kysely<Database>, periodId: number, appointmentTypeIds: readonly number[]): Promise<void> {
  await db.deleteFrom('opening_period_appointment_types').where('opening_period_id', '=', periodId).execute();
  if (appointmentTypeIds.length === 0) return;
  await db
    .insertInto('opening_period_appointment_types')
    .values(appointmentTypeIds.map((appointmentTypeId) => ({ opening_period_id: periodId, appointment_type_id: appointmentTypeId })))
    .execute();
}

export async function insertPeriod(db: Kysely<Database>, organisationId: number, values: PeriodWrite): Promise<number> {
  const row = await db
    .insertInto('opening_periods')
    .values({
      organisation_id: organisationId,
      agent_id: values.agentId,
      place_id: values.placeId,
      title: values.title,
      first_day: values.firstDay,
      last_day: values.lastDay,
      start_time: values.startTime,
      end_time: values.endTime,
      recurrence: values.recurrence,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await replacePeriodMotifs(db, row.id, values.appointmentTypeIds);
  return row.id;
}

export async function updatePeriod(db: Kysely<Database>, organisationId: number, periodId: number, values: PeriodWrite, now: Date): Promise<void> {
  await db
    .updateTable('opening_periods')
    .set({
      agent_id: values.agentId,
      place_id: values.placeId,
      title: values.title,
      first_day: values.firstDay,
      last_day: values.lastDay,
      start_time: values.startTime,
      end_time: values.endTime,
      recurrence: values.recurrence,
      updated_at: now,
    })
    .where('id', '=', periodId)
    .where('organisation_id', '=', organisationId)
    .execute();
  await replacePeriodMotifs(db, periodId, values.appointmentTypeIds);
}

export async function deletePeriod(db: Kysely<Database>, organisationId: number, periodId: number): Promise<void> {
  await db.deleteFrom('opening_periods').where('id', '=', periodId).where('organisation_id', '=', organisationId).execute();
}

/** Stores the cancelled dates and moved occurrences of a period. */
export async function saveOccurrenceState(
  db: Kysely<Database>,
  periodId: number,
  state: { readonly excludedDates: readonly string[]; readonly overrides: readonly OpeningPeriodOverride[] },
  now: Date,
): Promise<void> {
  await db
    .updateTable('opening_periods')
    .set({ excluded_dates: sql<string[]>`${[...state.excludedDates]}::date[]`, updated_at: now })
    .where('id', '=', periodId)
    .execute();
  await db.deleteFrom('opening_period_overrides').where('opening_period_id', '=', periodId).execute();
  if (state.overrides.length === 0) return;
  await db
    .insertInto('opening_period_overrides')
    .values(
      state.overrides.map((override) => ({
        opening_period_id: periodId,
        occurrence_date: override.occurrenceDate,
        start_time: override.startTime,
        end_time: override.endTime,
        place_id: override.placeId,
      })),
    )
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Absences
// ---------------------------------------------------------------------------------------------

export interface AbsenceRow {
  readonly id: number;
  readonly agentId: number;
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

async function selectAbsences(db: Kysely<Database>, organisationId: number, where: { agentId?: number; absenceId?: number }): Promise<AbsenceRow[]> {
  const agentFilter = where.agentId === undefined ? sql`true` : sql`agent_id = ${where.agentId}`;
  const absenceFilter = where.absenceId === undefined ? sql`true` : sql`id = ${where.absenceId}`;
  const result = await sql<{
    id: number;
    agent_id: number;
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
    SELECT id, agent_id, title, first_day::text AS first_day, to_char(start_time, 'HH24:MI') AS start_time,
           end_day::text AS end_day, to_char(end_time, 'HH24:MI') AS end_time, last_day::text AS last_day,
           recurrence, excluded_dates::text[] AS excluded_dates, time_zone
      FROM absences
     WHERE organisation_id = ${organisationId} AND ${agentFilter} AND ${absenceFilter}
     ORDER BY first_day, start_time, id`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    agentId: row.agent_id,
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

/** The agent's absences recorded in the organisation. */
export async function findAbsencesOfAgent(db: Kysely<Database>, organisationId: number, agentId: number): Promise<AbsenceRow[]> {
  return selectAbsences(db, organisationId, { agentId });
}

/** One absence of the organisation (undefined for another organisation's). */
export async function findAbsence(db: Kysely<Database>, organisationId: number, absenceId: number): Promise<AbsenceRow | undefined> {
  const [absence] = await selectAbsences(db, organisationId, { absenceId });
  return absence;
}

export interface AbsenceWrite {
  readonly title: string;
  readonly firstDay: string;
  readonly startTime: string;
  readonly endDay: string;
  readonly endTime: string;
  readonly lastDay: string | null;
  readonly recurrence: string | null;
  readonly timeZone: string;
}

/** One row per agent; returns their ids in the agents' order. */
export async function insertAbsences(db: Kysely<Database>, organisationId: number, agentIds: readonly number[], values: AbsenceWrite): Promise<number[]> {
  const rows = await db
    .insertInto('absences')
    .values(
      agentIds.map((agentId) => ({
        agent_id: agentId,
        organisation_id: organisationId,
        title: values.title,
        first_day: values.firstDay,
        start_time: values.startTime,
        end_day: values.endDay,
        end_time: values.endTime,
        last_day: values.lastDay,
        recurrence: values.recurrence,
        time_zone: values.timeZone,
      })),
    )
    .returning(['id', 'agent_id'])
    .execute();
  return agentIds.map((agentId) => rows.find((row) => row.agent_id === agentId)?.id ?? 0);
}

export async function updateAbsence(db: Kysely<Database>, organisationId: number, absenceId: number, values: AbsenceWrite): Promise<void> {
  await db
    .updateTable('absences')
    .set({
      title: values.title,
      first_day: values.firstDay,
      start_time: values.startTime,
      end_day: values.endDay,
      end_time: values.endTime,
      last_day: values.lastDay,
      recurrence: values.recurrence,
      time_zone: values.timeZone,
    })
    .where('id', '=', absenceId)
    .where('organisation_id', '=', organisationId)
    .execute();
}

export async function deleteAbsence(db: Kysely<Database>, organisationId: number, absenceId: number): Promise<void> {
  await db.deleteFrom('absences').where('id', '=', absenceId).where('organisation_id', '=', organisationId).execute();
}

export interface AgentAppointment {
  readonly id: number;
  readonly agentId: number;
  readonly motifName: string;
  readonly startsAtEpochMinutes: number;
  readonly endsAtEpochMinutes: number;
  readonly timeZone: string;
}

/** Active appointments of the agents in the organisation overlapping [from, to) (epoch minutes). */
export async function findAgentAppointments(db: Kysely<Database>, organisationId: number, agentIds: readonly number[], from: number, to: number): Promise<AgentAppointment[]> {
  if (agentIds.length === 0 || to <= from) return [];
  const result = await sql<{ id: number; agent_id: number; name: string; starts_at: number; ends_at: number; time_zone: string }>`
    SELECT a.id, aa.agent_id, t.name,
           floor(extract(epoch FROM lower(a.during)) / 60)::int AS starts_at,
           ceil(extract(epoch FROM upper(a.during)) / 60)::int AS ends_at,
           a.time_zone
      FROM appointment_agents aa
      JOIN appointments a ON a.id = aa.appointment_id
      JOIN appointment_types t ON t.id = a.appointment_type_id
     WHERE aa.is_active
       AND aa.agent_id = ANY(${[...agentIds]}::bigint[])
       AND a.organisation_id = ${organisationId}
       AND aa.during && tstzrange(to_timestamp(${from * 60}), to_timestamp(${to * 60}))
     ORDER BY lower(a.during), a.id
     LIMIT 500`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    agentId: row.agent_id,
    motifName: row.name,
    startsAtEpochMinutes: row.starts_at,
    endsAtEpochMinutes: row.ends_at,
    timeZone: row.time_zone,
  }));
}
