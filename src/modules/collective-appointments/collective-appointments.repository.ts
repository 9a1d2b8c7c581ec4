// Reads of the collective appointment pages (ADR 0022). Writes go through the appointments core
// only. Every query is scoped by the organisation; appointments also by `appointmentScopeCondition`
// (what the agent may see), usagers by `knownUsersCondition` (the users directory's scope).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { PlaceOption } from '../agent-appointments/index.js';
import { appointmentScopeCondition, type AppointmentScope } from '../agents/index.js';
import type { AppointmentStatus } from '../appointments/index.js';
import { knownUsersCondition, type UsersScope } from '../users/index.js';

type Db = Kysely<Database>;

export interface CollectiveSummary {
  readonly id: number;
  readonly title: string | null;
  readonly motifName: string;
  readonly serviceId: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly status: AppointmentStatus;
  readonly placeName: string | null;
  readonly agentNames: readonly string[];
  readonly agentIds: readonly number[];
  /** Participations holding a seat (not excused, not revoked). */
  readonly participantCount: number;
  readonly maxParticipants: number | null;
}

interface SummarySqlRow {
  id: number;
  name: string | null;
  motif_name: string;
  service_id: number;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  status: AppointmentStatus;
  place_name: string | null;
  agent_names: string[] | null;
  agent_ids: number[] | null;
  participant_count: number;
  max_participants: number | null;
}

function summaryColumns() {
  return sql`appointments.id, appointments.name, appointment_types.name AS motif_name, appointment_types.service_id,
    lower(appointments.during) AS starts_at, upper(appointments.during) AS ends_at, appointments.time_zone, appointments.status,
    places.name AS place_name,
    (SELECT array_agg(ag.first_name || ' ' || ag.last_name ORDER BY ag.last_name, ag.first_name) FROM appointment_agents aa JOIN agents ag ON ag.id = aa.agent_id WHERE aa.appointment_id = appointments.id) AS agent_names,
    (SELECT array_agg(aa.agent_id ORDER BY aa.agent_id) FROM appointment_agents aa WHERE aa.appointment_id = appointments.id) AS agent_ids,
    (SELECT count(*) FROM participations pa WHERE pa.appointment_id = appointments.id AND pa.status NOT IN ('excused', 'revoked'))::int AS participant_count,
    appointments.max_participants`;
}

function toSummary(row: SummarySqlRow): CollectiveSummary {
  return {
    id: row.id,
    title: row.name,
    motifName: row.motif_name,
    serviceId: row.service_id,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    timeZone: row.time_zone,
    status: row.status,
    placeName: row.place_name,
    agentNames: row.agent_names ?? [],
    agentIds: row.agent_ids ?? [],
    participantCount: row.participant_count,
    maxParticipants: row.max_participants,
  };
}

/** Collective appointments the scope sees: upcoming (not ended yet, soonest first) or past (latest first), `limit` at most. */
export async function findCollectiveAppointments(db: Db, scope: AppointmentScope, options: { readonly period: 'upcoming' | 'past'; readonly now: Date; readonly limit: number }): Promise<CollectiveSummary[]> {
  const when = options.period === 'upcoming' ? sql`upper(appointments.during) > ${options.now}` : sql`upper(appointments.during) <= ${options.now}`;
  const order = options.period === 'upcoming' ? sql`lower(appointments.during) ASC` : sql`lower(appointments.during) DESC`;
  const result = await sql<SummarySqlRow>`
    SELECT ${summaryColumns()}
      FROM appointments
      JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
      LEFT JOIN places ON places.id = appointments.place_id
     WHERE appointments.is_collective AND ${when} AND ${appointmentScopeCondition(scope)}
     ORDER BY ${order}, appointments.id
     LIMIT ${options.limit}`.execute(db);
  return result.rows.map(toSummary);
}

export interface CollectiveParticipant {
  readonly userId: number;
  readonly participationId: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly phoneNumber: string | null;
  readonly email: string | null;
  readonly status: AppointmentStatus;
}

export interface CollectiveDetail extends CollectiveSummary {
  readonly organisationId: number;
  readonly motifId: number;
  readonly placeId: number | null;
  readonly placeAddress: string | null;
  readonly participants: readonly CollectiveParticipant[];
}

/** One collective appointment of the organisation within the scope, with its participants; undefined otherwise. */
export async function findCollectiveAppointment(db: Db, scope: AppointmentScope, organisationId: number, appointmentId: number): Promise<CollectiveDetail | undefined> {
  const result = await sql<SummarySqlRow & { organisation_id: number; appointment_type_id: number; place_id: number | null; place_address: string | null }>`
    SELECT ${summaryColumns()}, appointments.organisation_id, appointments.appointment_type_id, appointments.place_id, places.address AS place_address
      FROM appointments
      JOIN appointment_types ON appointment_types.id = appointments.appointment_type_id
      LEFT JOIN places ON places.id = appointments.place_id
     WHERE appointments.id = ${appointmentId} AND appointments.organisation_id = ${organisationId}
       AND appointments.is_collective AND ${appointmentScopeCondition(scope)}`.execute(db);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  const participants = await db
    .selectFrom('participations as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.id', 'p.user_id', 'p.status', 'u.first_name', 'u.last_name', 'u.birth_date', 'u.phone_number', 'u.email'])
    .where('p.appointment_id', '=', appointmentId)
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .orderBy('p.id')
    .execute();
  return {
    ...toSummary(row),
    organisationId: row.organisation_id,
    motifId: row.appointment_type_id,
    placeId: row.place_id,
    placeAddress: row.place_address,
    participants: participants.map((participant) => ({
      userId: participant.user_id,
      participationId: participant.id,
      firstName: participant.first_name,
      lastName: participant.last_name,
      birthDate: participant.birth_date,
      phoneNumber: participant.phone_number,
      email: participant.email,
      status: participant.status,
    })),
  };
}

export interface CollectiveMotif {
  readonly id: number;
  readonly name: string;
  readonly serviceId: number;
  readonly serviceName: string;
  readonly durationMinutes: number;
}

/** Collective, non-archived motifs of the organisation (the caller filters with `canUseMotif`). */
export async function findCollectiveMotifs(db: Db, organisationId: number): Promise<CollectiveMotif[]> {
  const rows = await db
    .selectFrom('appointment_types as t')
    .innerJoin('services as s', 's.id', 't.service_id')
    .select(['t.id', 't.name', 't.service_id', 's.short_name', 't.duration_minutes'])
    .where('t.organisation_id', '=', organisationId)
    .where('t.archived_at', 'is', null)
    .where('t.is_collective', '=', true)
    .orderBy('s.short_name')
    .orderBy('t.name')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, serviceId: row.service_id, serviceName: row.short_name, durationMinutes: row.duration_minutes }));
}

/** An enabled place of the organisation (the scheduling forms' list, from agent-appointments). */
export type PlaceChoice = PlaceOption;

export interface AgentChoice {
  readonly id: number;
  readonly name: string;
}

export interface UserMatch {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly phoneNumber: string | null;
  readonly email: string | null;
}

/** One usager of the agent's scope, as the search shows them (the usager just created from the page). */
export async function findScopedUser(db: Db, scope: UsersScope, userId: number): Promise<UserMatch | undefined> {
  const row = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.birth_date', 'u.phone_number', 'u.email'])
    .where('u.id', '=', userId)
    .where(knownUsersCondition(scope))
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, firstName: row.first_name, lastName: row.last_name, birthDate: row.birth_date, phoneNumber: row.phone_number, email: row.email };
}
