// SQL that feeds the slot engine. Set-based: one query per kind of data for a whole search,
// whatever the number of places, agents or occurrences (no query per occurrence, no N+1).
// Candidate rows are found through GiST indexes on (organisation/agent, active_days) and
// (agent_id, during); instants travel as integer epoch minutes.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { addDays, dayNumberToIsoDate, type DayNumber, type EpochMinutes } from '../../shared/time/index.js';
import type {
  Absence,
  AppointmentType,
  BusyInterval,
  CollectiveAppointment,
  OpeningPeriod,
  LocalClosure,
  OrganisationCalendar,
} from './domain/index.js';

/** An appointment type with what the use cases need besides the engine's fields. */
export interface AppointmentTypeRow extends AppointmentType {
  readonly organisationId: number;
  readonly name: string;
  readonly territoryId: number;
}

function toAppointmentType(row: {
  id: number;
  organisation_id: number;
  territory_id: number;
  name: string;
  duration_minutes: number;
  slot_step_minutes: number | null;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  min_booking_notice_minutes: number;
  max_booking_notice_minutes: number;
  location_type: AppointmentType['locationType'];
  is_collective: boolean;
  is_follow_up_only: boolean;
  sectorisation_level: AppointmentType['sectorisationLevel'];
}): AppointmentTypeRow {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    territoryId: row.territory_id,
    name: row.name,
    durationMinutes: row.duration_minutes,
    slotStepMinutes: row.slot_step_minutes,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    minBookingNoticeMinutes: row.min_booking_notice_minutes,
    maxBookingNoticeMinutes: row.max_booking_notice_minutes,
    locationType: row.location_type,
    isCollective: row.is_collective,
    isFollowUpOnly: row.is_follow_up_only,
    sectorisationLevel: row.sectorisation_level,
  };
}

/** Non-archived appointment types by id. */
export async function findAppointmentTypes(db: Kysely<Database>, ids: readonly number[]): Promise<AppointmentTypeRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('appointment_types as t')
    .innerJoin('organisations as o', 'o.id', 't.organisation_id')
    .select([
      't.id',
      't.organisation_id',
      'o.territory_id',
      't.name',
      't.duration_minutes',
      't.slot_step_minutes',
      't.buffer_before_minutes',
      't.buffer_after_minutes',
      't.min_booking_notice_minutes',
      't.max_booking_notice_minutes',
      't.location_type',
      't.is_collective',
      't.is_follow_up_only',
      't.sectorisation_level',
    ])
    .where('t.id', 'in', [...ids])
    .where('t.archived_at', 'is', null)
    .execute();
  return rows.map(toAppointmentType);
}

/**
 * Ids of the territory's appointment types with the same name and location type (one motif across
 * organisations); with `publicOnly`, only those citizens may book themselves.
 */
export async function findSameMotifTypeIds(db: Kysely<Database>, type: AppointmentTypeRow, publicOnly: boolean): Promise<number[]> {
  const rows = await db
    .selectFrom('appointment_types as t')
    .innerJoin('organisations as o', 'o.id', 't.organisation_id')
    .select('t.id')
    .where('o.territory_id', '=', type.territoryId)
    .where('t.name', '=', type.name)
    .where('t.location_type', '=', type.locationType)
    .where('t.archived_at', 'is', null)
    .$if(publicOnly, (query) => query.where('t.bookable_by', '=', 'everyone'))
    .orderBy('t.id')
    .execute();
  return rows.map((row) => row.id);
}

export interface OpeningPeriodQuery {
  readonly appointmentTypeIds: readonly number[];
  /** Local days the window touches (inclusive), already widened by a day on each side for zones. */
  readonly fromDay: DayNumber;
  readonly toDay: DayNumber;
  readonly placeIds?: readonly number[] | null;
  readonly agentIds?: readonly number[] | null;
  readonly organisationIds?: readonly number[] | null;
}

interface OpeningPeriodRow {
  id: number;
  organisation_id: number;
  agent_id: number;
  place_id: number | null;
  first_day: string;
  last_day: string | null;
  start_time: string;
  end_time: string;
  recurrence: string | null;
  excluded_dates: string[];
  time_zone: string;
  appointment_type_ids: number[];
  overrides: { occurrenceDate: string; startTime: string; endTime: string; placeId: number | null }[] | null;
}

/** Columns of an opening period row (`op`, its organisation `o`, its place `p`), appointment types apart. */
const OPENING_PERIOD_COLUMNS = sql`op.id, op.organisation_id, op.agent_id, op.place_id,
           op.first_day::text AS first_day, op.last_day::text AS last_day,
           to_char(op.start_time, 'HH24:MI') AS start_time, to_char(op.end_time, 'HH24:MI') AS end_time,
           op.recurrence, op.excluded_dates::text[] AS excluded_dates,
           COALESCE(p.time_zone, o.time_zone) AS time_zone,
           (SELECT json_agg(json_build_object(
                     'occurrenceDate', ov.occurrence_date::text,
                     'startTime', to_char(ov.start_time, 'HH24:MI'),
                     'endTime', to_char(ov.end_time, 'HH24:MI'),
                     'placeId', ov.place_id))
              FROM opening_period_overrides ov WHERE ov.opening_period_id = op.id) AS overrides`;

/** Opening periods linked to the types and active on the days, with their zone, types and overrides. */
export async function findOpeningPeriods(db: Kysely<Database>, query: OpeningPeriodQuery): Promise<OpeningPeriod[]> {
  if (query.appointmentTypeIds.length === 0) return [];
  const days = `[${dayNumberToIsoDate(query.fromDay)},${dayNumberToIsoDate(query.toDay)}]`;
  const typeIds = [...query.appointmentTypeIds];
  // A period whose place moved for one occurrence is still a candidate for that place.
  const placeFilter =
    query.placeIds === null || query.placeIds === undefined
      ? sql`true`
      : sql`(op.place_id = ANY(${[...query.placeIds]}::bigint[]) OR op.id IN (
          SELECT ov.opening_period_id FROM opening_period_overrides ov WHERE ov.place_id = ANY(${[...query.placeIds]}::bigint[])))`;
  const agentFilter =
    query.agentIds === null || query.agentIds === undefined ? sql`true` : sql`op.agent_id = ANY(${[...query.agentIds]}::bigint[])`;
  const organisationFilter =
    query.organisationIds === null || query.organisationIds === undefined
      ? sql`true`
      : sql`op.organisation_id = ANY(${[...query.organisationIds]}::bigint[])`;
  const result = await sql<OpeningPeriodRow>`
    SELECT ${OPENING_PERIOD_COLUMNS}, l.appointment_type_ids
      FROM (SELECT opening_period_id, array_agg(appointment_type_id ORDER BY appointment_type_id) AS appointment_type_ids
              FROM opening_period_appointment_types
             WHERE appointment_type_id = ANY(${typeIds}::bigint[])
             GROUP BY opening_period_id) l
      JOIN opening_periods op ON op.id = l.opening_period_id
      JOIN organisations o ON o.id = op.organisation_id
      LEFT JOIN places p ON p.id = op.place_id
     WHERE op.active_days && ${days}::daterange
       AND (p.id IS NULL OR p.status <> 'disabled')
       AND ${placeFilter} AND ${agentFilter} AND ${organisationFilter}
     ORDER BY op.id`.execute(db);
  return result.rows.map(toOpeningPeriod);
}

function toOpeningPeriod(row: OpeningPeriodRow): OpeningPeriod {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    agentId: row.agent_id,
    placeId: row.place_id,
    firstDay: row.first_day,
    lastDay: row.last_day,
    startTime: row.start_time,
    endTime: row.end_time,
    recurrence: row.recurrence,
    excludedDates: row.excluded_dates,
    overrides: row.overrides ?? [],
    appointmentTypeIds: row.appointment_type_ids,
    timeZone: row.time_zone,
  };
}

/**
 * Every opening period of the agents active on the days, whatever its appointment types (even
 * none): when and where they work, for the partner of an agent-side joint search (ADR 0023).
 */
export async function findPresenceOpeningPeriods(
  db: Kysely<Database>,
  agentIds: readonly number[],
  fromDay: DayNumber,
  toDay: DayNumber,
): Promise<OpeningPeriod[]> {
  if (agentIds.length === 0) return [];
  const days = `[${dayNumberToIsoDate(fromDay)},${dayNumberToIsoDate(toDay)}]`;
  const result = await sql<OpeningPeriodRow>`
    SELECT ${OPENING_PERIOD_COLUMNS},
           COALESCE((SELECT array_agg(lt.appointment_type_id ORDER BY lt.appointment_type_id)
                       FROM opening_period_appointment_types lt WHERE lt.opening_period_id = op.id), '{}') AS appointment_type_ids
      FROM opening_periods op
      JOIN organisations o ON o.id = op.organisation_id
      LEFT JOIN places p ON p.id = op.place_id
     WHERE op.agent_id = ANY(${[...agentIds]}::bigint[])
       AND op.active_days && ${days}::daterange
       AND (p.id IS NULL OR p.status <> 'disabled')
     ORDER BY op.id`.execute(db);
  return result.rows.map(toOpeningPeriod);
}

/** Appointments occupying the agents (any organisation, collective included) that overlap the range, by agent then start. */
export async function findBusyIntervals(
  db: Kysely<Database>,
  agentIds: readonly number[],
  from: EpochMinutes,
  to: EpochMinutes,
): Promise<BusyInterval[]> {
  if (agentIds.length === 0) return [];
  // One row per agent with two integer arrays: thousands of intervals travel as a few hundred
  // rows, which halves the client-side decoding time of the busiest query of a search.
  const result = await sql<{ agent_id: number; starts: string; ends: string }>`
    SELECT agent_id,
           array_agg(floor(extract(epoch FROM lower(during)) / 60)::int ORDER BY lower(during))::text AS starts,
           array_agg(ceil(extract(epoch FROM upper(during)) / 60)::int ORDER BY lower(during))::text AS ends
      FROM appointment_agents
     WHERE is_active
       AND agent_id = ANY(${[...agentIds]}::bigint[])
       AND during && tstzrange(to_timestamp(${from * 60}), to_timestamp(${to * 60}))
     GROUP BY agent_id
     ORDER BY agent_id`.execute(db);
  const intervals: BusyInterval[] = [];
  for (const row of result.rows) {
    const starts = row.starts.slice(1, -1).split(',');
    const ends = row.ends.slice(1, -1).split(',');
    for (let index = 0; index < starts.length; index += 1) {
      intervals.push({ agentId: row.agent_id, startsAtEpochMinutes: Number(starts[index]), endsAtEpochMinutes: Number(ends[index]) });
    }
  }
  return intervals;
}

/** Absences of the agents active on the days (any organisation). */
export async function findAbsences(
  db: Kysely<Database>,
  agentIds: readonly number[],
  fromDay: DayNumber,
  toDay: DayNumber,
): Promise<Absence[]> {
  if (agentIds.length === 0) return [];
  const days = `[${dayNumberToIsoDate(fromDay)},${dayNumberToIsoDate(toDay)}]`;
  const result = await sql<{
    agent_id: number;
    first_day: string;
    start_time: string;
    end_day: string;
    end_time: string;
    last_day: string | null;
    recurrence: string | null;
    excluded_dates: string[];
    time_zone: string;
  }>`
    SELECT agent_id, first_day::text AS first_day, to_char(start_time, 'HH24:MI') AS start_time,
           end_day::text AS end_day, to_char(end_time, 'HH24:MI') AS end_time, last_day::text AS last_day,
           recurrence, excluded_dates::text[] AS excluded_dates, time_zone
      FROM absences
     WHERE agent_id = ANY(${[...agentIds]}::bigint[])
       AND active_days && ${days}::daterange`.execute(db);
  return result.rows.map((row) => ({
    agentId: row.agent_id,
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

/** Local closures of the territories (territory_closures, ADR 0030), by territory. */
export async function findTerritoryClosures(db: Kysely<Database>, territoryIds: readonly number[]): Promise<Map<number, LocalClosure[]>> {
  const byTerritory = new Map<number, LocalClosure[]>();
  if (territoryIds.length === 0) return byTerritory;
  const rows = await db
    .selectFrom('territory_closures')
    .select(['territory_id', 'first_day', 'last_day', 'label'])
    .where('territory_id', 'in', [...new Set(territoryIds)])
    .orderBy('first_day')
    .execute();
  for (const row of rows) {
    const list = byTerritory.get(row.territory_id) ?? [];
    list.push({ firstDay: row.first_day, lastDay: row.last_day, label: row.label });
    byTerritory.set(row.territory_id, list);
  }
  return byTerritory;
}

/** Holiday settings of the organisations, with their territory's local closures. */
export async function findOrganisationCalendars(db: Kysely<Database>, organisationIds: readonly number[]): Promise<OrganisationCalendar[]> {
  if (organisationIds.length === 0) return [];
  const rows = await db
    .selectFrom('organisations as o')
    .innerJoin('territories as t', 't.id', 'o.territory_id')
    .select(['o.id', 'o.territory_id', 't.departement_number', 't.holiday_region', 'o.open_on_holidays'])
    .where('o.id', 'in', [...organisationIds])
    .execute();
  const closures = await findTerritoryClosures(
    db,
    rows.map((row) => row.territory_id),
  );
  return rows.map((row) => ({
    id: row.id,
    departementNumber: row.departement_number,
    holidayRegion: row.holiday_region,
    openOnHolidays: row.open_on_holidays,
    closures: closures.get(row.territory_id) ?? [],
  }));
}

/** Collective appointments of the types starting in the range, with their agents and active participants. */
export async function findCollectiveAppointments(
  db: Kysely<Database>,
  appointmentTypeIds: readonly number[],
  from: EpochMinutes,
  to: EpochMinutes,
): Promise<CollectiveAppointment[]> {
  if (appointmentTypeIds.length === 0) return [];
  const result = await sql<{
    id: number;
    appointment_type_id: number;
    organisation_id: number;
    place_id: number | null;
    agent_ids: number[] | null;
    starts_at: number;
    ends_at: number;
    max_participants: number | null;
    participant_count: number;
    time_zone: string;
  }>`
    SELECT a.id, a.appointment_type_id, a.organisation_id, a.place_id,
           (SELECT array_agg(aa.agent_id ORDER BY aa.agent_id) FROM appointment_agents aa WHERE aa.appointment_id = a.id) AS agent_ids,
           floor(extract(epoch FROM lower(a.during)) / 60)::int AS starts_at,
           ceil(extract(epoch FROM upper(a.during)) / 60)::int AS ends_at,
           a.max_participants,
           (SELECT count(*) FROM participations pa WHERE pa.appointment_id = a.id AND pa.status NOT IN ('excused', 'revoked'))::int AS participant_count,
           a.time_zone
      FROM appointments a
     WHERE a.is_collective
       AND a.status NOT IN ('excused', 'revoked')
       AND a.appointment_type_id = ANY(${[...appointmentTypeIds]}::bigint[])
       AND lower(a.during) >= to_timestamp(${from * 60}) AND lower(a.during) < to_timestamp(${to * 60})
     ORDER BY lower(a.during), a.id`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    appointmentTypeId: row.appointment_type_id,
    organisationId: row.organisation_id,
    placeId: row.place_id,
    agentIds: row.agent_ids ?? [],
    startsAtEpochMinutes: row.starts_at,
    endsAtEpochMinutes: row.ends_at,
    maxParticipants: row.max_participants,
    participantCount: row.participant_count,
    timeZone: row.time_zone,
  }));
}

/** Agents of the teams (agent-side filter). */
export async function findTeamAgentIds(db: Kysely<Database>, teamIds: readonly number[]): Promise<number[]> {
  if (teamIds.length === 0) return [];
  const rows = await db.selectFrom('agent_teams').select('agent_id').distinct().where('team_id', 'in', [...teamIds]).execute();
  return rows.map((row) => row.agent_id);
}

/** Day range covering [from, to) in every zone (UTC−12…UTC+14), widened by one day on each side. */
export function daysAround(from: EpochMinutes, to: EpochMinutes): { fromDay: DayNumber; toDay: DayNumber } {
  return { fromDay: addDays(Math.floor(from / 1440), -2), toDay: addDays(Math.floor(to / 1440), 2) };
}
