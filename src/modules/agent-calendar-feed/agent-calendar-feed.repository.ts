// SQL of the agents' calendar feeds (table agent_calendar_feeds) and the reads the feed needs.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { AppointmentStatus, LocationType } from '../appointments/index.js';
import type { CalendarFeedDetailLevel } from './domain/calendar-feed.js';

/** The agent's active feed as the account page shows it (never the token, which is not stored). */
export interface ActiveFeed {
  readonly id: number;
  readonly detailLevel: CalendarFeedDetailLevel;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export async function findActiveFeed(db: Kysely<Database>, agentId: number): Promise<ActiveFeed | undefined> {
  const row = await db
    .selectFrom('agent_calendar_feeds')
    .select(['id', 'detail_level', 'created_at', 'last_used_at'])
    .where('agent_id', '=', agentId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, detailLevel: row.detail_level, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

/**
 * Revokes the agent's active feed and records a new one, in the caller's transaction. The agent's
 * row is locked first, so two concurrent requests cannot both pass the one-active-feed index.
 */
export async function replaceActiveFeed(db: Kysely<Database>, feed: { agentId: number; tokenHash: string; detailLevel: CalendarFeedDetailLevel; now: Date }): Promise<void> {
  await db.selectFrom('agents').select('id').where('id', '=', feed.agentId).forUpdate().execute();
  await revokeActiveFeed(db, feed.agentId, feed.now);
  await db
    .insertInto('agent_calendar_feeds')
    .values({ agent_id: feed.agentId, token_hash: feed.tokenHash, detail_level: feed.detailLevel, created_at: feed.now })
    .execute();
}

/** Revokes the agent's active feed, if any; whether one was revoked. */
export async function revokeActiveFeed(db: Kysely<Database>, agentId: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('agent_calendar_feeds')
    .set({ revoked_at: now })
    .where('agent_id', '=', agentId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The feed of a token hash, if it is active and its agent may still sign in (not deleted, not only intervenant). */
export interface FeedOwner {
  readonly feedId: number;
  readonly agentId: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly detailLevel: CalendarFeedDetailLevel;
  readonly lastUsedAt: Date | null;
}

export async function findFeedOwner(db: Kysely<Database>, tokenHash: string): Promise<FeedOwner | undefined> {
  const row = await db
    .selectFrom('agent_calendar_feeds')
    .innerJoin('agents', 'agents.id', 'agent_calendar_feeds.agent_id')
    .select(['agent_calendar_feeds.id', 'agent_calendar_feeds.agent_id', 'agent_calendar_feeds.detail_level', 'agent_calendar_feeds.last_used_at', 'agents.first_name', 'agents.last_name'])
    .where('agent_calendar_feeds.token_hash', '=', tokenHash)
    .where('agent_calendar_feeds.revoked_at', 'is', null)
    .where('agents.deleted_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('agent_roles')
          .select('agent_roles.agent_id')
          .whereRef('agent_roles.agent_id', '=', 'agents.id')
          .where('agent_roles.access_level', 'in', ['basic', 'admin']),
      ),
    )
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { feedId: row.id, agentId: row.agent_id, firstName: row.first_name, lastName: row.last_name, detailLevel: row.detail_level, lastUsedAt: row.last_used_at };
}

/** Records a use of the feed, at most once an hour (one conditional UPDATE). */
export async function touchFeed(db: Kysely<Database>, feedId: number, now: Date): Promise<void> {
  const anHourAgo = new Date(now.getTime() - 3_600_000);
  await db
    .updateTable('agent_calendar_feeds')
    .set({ last_used_at: now })
    .where('id', '=', feedId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', anHourAgo)]))
    .execute();
}

/** An appointment of the agent in the feed's window; participants are loaded separately, and only when shown. */
export interface FeedAppointmentRow {
  readonly id: number;
  readonly publicId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly status: AppointmentStatus;
  readonly revision: number;
  readonly isCollective: boolean;
  readonly motifName: string;
  readonly locationType: LocationType;
  readonly place: { readonly name: string; readonly address: string } | null;
}

interface RawAppointmentRow {
  id: number;
  public_id: string;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  status: AppointmentStatus;
  revision: number;
  is_collective: boolean;
  motif_name: string;
  location_type: LocationType;
  place_name: string | null;
  place_address: string | null;
}

/**
 * The appointments the agent takes part in that overlap [from, to), in the organisations where
 * they may sign in (an intervenant role, or a role taken away, shows nothing of that organisation).
 */
export async function findFeedAppointments(db: Kysely<Database>, request: { agentId: number; from: Date; to: Date }): Promise<FeedAppointmentRow[]> {
  const result = await sql<RawAppointmentRow>`
    SELECT appointments.id, appointments.public_id, lower(appointments.during) AS starts_at, upper(appointments.during) AS ends_at,
           appointments.time_zone, appointments.status, appointments.revision, appointments.is_collective,
           appointment_types.name AS motif_name, appointment_types.location_type,
           places.name AS place_name, places.address AS place_address
    FROM appointment_agents
    JOIN appointments ON appointments.id = appointment_agents.appointment_id
    JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
    JOIN agent_roles ON agent_roles.agent_id = appointment_agents.agent_id AND agent_roles.organisation_id = appointments.organisation_id
    LEFT JOIN places ON places.id = appointments.place_id
    WHERE appointment_agents.agent_id = ${request.agentId}
      AND agent_roles.access_level IN ('basic', 'admin')
      AND appointment_agents.during && tstzrange(${request.from.toISOString()}::timestamptz, ${request.to.toISOString()}::timestamptz, '[)')
    ORDER BY lower(appointments.during), appointments.id`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    publicId: row.public_id,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    timeZone: row.time_zone,
    status: row.status,
    revision: row.revision,
    isCollective: row.is_collective,
    motifName: row.motif_name,
    locationType: row.location_type,
    place: row.place_name === null ? null : { name: row.place_name, address: row.place_address ?? '' },
  }));
}

/**
 * First and last names (nothing else) of the participants of appointments, for initials: those
 * still taking part, or everyone of a cancelled appointment (who it was for).
 */
export async function findParticipantNames(db: Kysely<Database>, appointmentIds: readonly number[]): Promise<Map<number, { firstName: string; lastName: string }[]>> {
  const byAppointment = new Map<number, { firstName: string; lastName: string }[]>();
  if (appointmentIds.length === 0) return byAppointment;
  const rows = await db
    .selectFrom('participations')
    .innerJoin('users', 'users.id', 'participations.user_id')
    .innerJoin('appointments', 'appointments.id', 'participations.appointment_id')
    .select(['participations.appointment_id', 'users.first_name', 'users.last_name'])
    .where('participations.appointment_id', 'in', appointmentIds)
    .where((eb) => eb.or([eb('participations.status', 'not in', ['excused', 'revoked']), eb('appointments.status', 'in', ['excused', 'revoked'])]))
    .orderBy('participations.appointment_id')
    .orderBy('participations.id')
    .execute();
  for (const row of rows) {
    const list = byAppointment.get(row.appointment_id) ?? [];
    list.push({ firstName: row.first_name, lastName: row.last_name });
    byAppointment.set(row.appointment_id, list);
  }
  return byAppointment;
}

/** The agent's absences that may touch [fromDay, toDay] (ISO dates), in organisations where they may sign in or none. */
export interface FeedAbsenceRow {
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

interface RawAbsenceRow {
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
}

export async function findFeedAbsences(db: Kysely<Database>, request: { agentId: number; fromDay: string; toDay: string }): Promise<FeedAbsenceRow[]> {
  // Dates as text: no driver turns them into instants in the machine's zone.
  const result = await sql<RawAbsenceRow>`
    SELECT absences.id, absences.agent_id, absences.title, to_char(absences.first_day, 'YYYY-MM-DD') AS first_day,
           to_char(absences.start_time, 'HH24:MI') AS start_time, to_char(absences.end_day, 'YYYY-MM-DD') AS end_day,
           to_char(absences.end_time, 'HH24:MI') AS end_time, to_char(absences.last_day, 'YYYY-MM-DD') AS last_day,
           absences.recurrence, ARRAY(SELECT to_char(excluded, 'YYYY-MM-DD') FROM unnest(absences.excluded_dates) AS excluded) AS excluded_dates,
           absences.time_zone
    FROM absences
    WHERE absences.agent_id = ${request.agentId}
      AND absences.active_days && daterange(${request.fromDay}::date, ${request.toDay}::date, '[]')
      AND (absences.organisation_id IS NULL OR EXISTS (
        SELECT 1 FROM agent_roles WHERE agent_roles.agent_id = absences.agent_id AND agent_roles.organisation_id = absences.organisation_id
          AND agent_roles.access_level IN ('basic', 'admin')))
    ORDER BY absences.id`.execute(db);
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
