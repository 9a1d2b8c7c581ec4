// SQL of the appointments module. Every function takes the handle or the transaction it runs in; the
// use cases own the transactions and the order of effects.
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../platform/audit/audit-log.js';
import type { Database, IdempotentOperation } from '../../platform/db/schema.js';
import type {
  AppointmentStatus,
  BookableBy,
  CreatedByType,
  LocationType,
  Visibility,
} from './domain/index.js';

export type AppointmentsDb = Kysely<Database>;

/** The constraint that keeps an agent's individual appointments apart (migrations/0001). */
export const OVERLAP_CONSTRAINT = 'agent_has_no_overlapping_individual_appointments';

/** Whether a database error is the overlap exclusion constraint (SQLSTATE 23P01), on pg and PGlite alike. */
export function isOverlapViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23P01' && constraint === OVERLAP_CONSTRAINT;
}

/** The trigger that keeps an appointment's agents among the agents of its organisation (migrations/0016, ADR 0029). */
export const AGENT_ROLE_CONSTRAINT = 'appointment_agent_has_a_role_in_organisation';

/**
 * Whether a database error says the agent left the appointment's organisation meanwhile (removed
 * by an admin while this command ran): for the caller, the agent's time is no longer to be had.
 */
export function isAgentRoleViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23503' && constraint === AGENT_ROLE_CONSTRAINT;
}

/**
 * Whether the transaction was chosen as a deadlock victim (40P01) or failed serialisation (40001).
 * Concurrent inserts checked by the same exclusion constraint can wait on each other: PostgreSQL
 * then aborts one of them, which is safe to run again.
 */
export function isRetryableConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return code === '40P01' || code === '40001';
}

/** '[2026-11-24T09:00:00.000Z,2026-11-24T09:30:00.000Z)' */
export function toRange(startsAt: Date, endsAt: Date): string {
  return `[${startsAt.toISOString()},${endsAt.toISOString()})`;
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys
// ---------------------------------------------------------------------------------------------

export interface IdempotencyRecord {
  readonly operation: IdempotentOperation;
  /** The beneficiary of a usager's request; null for an agent's request. */
  readonly userId: number | null;
  readonly fingerprint: string;
  readonly appointmentId: number | null;
}

export async function findIdempotencyKey(db: AppointmentsDb, key: string): Promise<IdempotencyRecord | undefined> {
  const row = await db
    .selectFrom('booking_idempotency_keys')
    .select(['operation', 'user_id', 'request_fingerprint', 'appointment_id'])
    .where('key', '=', key)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { operation: row.operation, userId: row.user_id, fingerprint: row.request_fingerprint, appointmentId: row.appointment_id };
}

/**
 * Inserts the key, or — when it exists — returns the stored record. Under concurrency the insert
 * waits for the transaction holding the same key; once it commits, the key is read back.
 */
export async function claimIdempotencyKey(
  db: AppointmentsDb,
  claim: { key: string; operation: IdempotentOperation; userId: number | null; agentId?: number; fingerprint: string },
): Promise<{ claimedId: number } | { existing: IdempotencyRecord | undefined }> {
  const inserted = await db
    .insertInto('booking_idempotency_keys')
    .values({ key: claim.key, operation: claim.operation, user_id: claim.userId, agent_id: claim.agentId ?? null, request_fingerprint: claim.fingerprint })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return { claimedId: inserted.id };
  return { existing: await findIdempotencyKey(db, claim.key) };
}

/** Records the outcome of a claimed key: the appointment, and the beneficiary (a relative created by the request). */
export async function completeIdempotencyKey(db: AppointmentsDb, id: number, outcome: { appointmentId: number; userId: number }): Promise<void> {
  await db.updateTable('booking_idempotency_keys').set({ appointment_id: outcome.appointmentId, user_id: outcome.userId }).where('id', '=', id).execute();
}

/** Deletes keys older than `before` (a retry is only expected within minutes). */
export async function deleteIdempotencyKeysBefore(db: AppointmentsDb, before: Date): Promise<number> {
  const result = await db.deleteFrom('booking_idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---------------------------------------------------------------------------------------------
// Motifs, users
// ---------------------------------------------------------------------------------------------

export interface BookingTypeRow {
  readonly id: number;
  readonly organisationId: number;
  readonly territoryId: number;
  readonly durationMinutes: number;
  readonly locationType: LocationType;
  readonly bookableBy: BookableBy;
  readonly isCollective: boolean;
  readonly isFollowUpOnly: boolean;
  readonly visibility: Visibility;
  readonly minBookingNoticeMinutes: number;
  readonly maxBookingNoticeMinutes: number;
  readonly cancelDeadlineMinutes: number;
  readonly rescheduleDeadlineMinutes: number;
  readonly isArchived: boolean;
}

export async function findAppointmentTypeForBooking(db: AppointmentsDb, appointmentTypeId: number): Promise<BookingTypeRow | undefined> {
  const row = await db
    .selectFrom('appointment_types as t')
    .innerJoin('organisations as o', 'o.id', 't.organisation_id')
    .select([
      't.id',
      't.organisation_id',
      'o.territory_id',
      't.duration_minutes',
      't.location_type',
      't.bookable_by',
      't.is_collective',
      't.is_follow_up_only',
      't.visibility',
      't.min_booking_notice_minutes',
      't.max_booking_notice_minutes',
      't.cancel_deadline_minutes',
      't.reschedule_deadline_minutes',
      't.archived_at',
    ])
    .where('t.id', '=', appointmentTypeId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    territoryId: row.territory_id,
    durationMinutes: row.duration_minutes,
    locationType: row.location_type,
    bookableBy: row.bookable_by,
    isCollective: row.is_collective,
    isFollowUpOnly: row.is_follow_up_only,
    visibility: row.visibility,
    minBookingNoticeMinutes: row.min_booking_notice_minutes,
    maxBookingNoticeMinutes: row.max_booking_notice_minutes,
    cancelDeadlineMinutes: row.cancel_deadline_minutes,
    rescheduleDeadlineMinutes: row.reschedule_deadline_minutes,
    isArchived: row.archived_at !== null,
  };
}

export interface UserRow {
  readonly id: number;
  readonly responsibleId: number | null;
  readonly firstName: string;
  readonly lastName: string;
}

/** A user who is not deleted. */
export async function findActiveUser(db: AppointmentsDb, userId: number): Promise<UserRow | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'responsible_id', 'first_name', 'last_name'])
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, responsibleId: row.responsible_id, firstName: row.first_name, lastName: row.last_name };
}

/** A usager about to take part, with whether they were erased (merged into another, ADR 0021). */
export interface ParticipantUserRow extends UserRow {
  readonly erased: boolean;
}

/**
 * The usager about to take part, locked `FOR KEY SHARE` until the command commits. A merge locks
 * both usagers `FOR UPDATE` (user-merge): a command waits for a merge in progress and then reads
 * the row as the merge left it (erased), and a merge waits for the command, then moves the new
 * participation. Without the lock a booking could attach a participation to a usager erased
 * meanwhile (ADR 0021).
 */
export async function lockParticipantUser(db: AppointmentsDb, userId: number): Promise<ParticipantUserRow | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'responsible_id', 'first_name', 'last_name', 'deleted_at'])
    .where('id', '=', userId)
    .forKeyShare()
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { id: row.id, responsibleId: row.responsible_id, firstName: row.first_name, lastName: row.last_name, erased: row.deleted_at !== null };
}

/** Why this usager may not take part: unknown, or erased (merged); null when they may. */
export function participantUserRefusal(user: ParticipantUserRow | undefined): 'UNKNOWN_USER' | 'ERASED_USER' | null {
  if (user === undefined) return 'UNKNOWN_USER';
  return user.erased ? 'ERASED_USER' : null;
}

export async function findReferentAgentIds(db: AppointmentsDb, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('referent_assignations').select('agent_id').where('user_id', '=', userId).execute();
  return rows.map((row) => row.agent_id);
}

/** The relatives the usager is responsible for (to reuse one instead of creating a duplicate). */
export async function findRelatives(db: AppointmentsDb, responsibleId: number): Promise<{ id: number; firstName: string; lastName: string; birthDate: string | null }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'first_name', 'last_name', 'birth_date'])
    .where('responsible_id', '=', responsibleId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, firstName: row.first_name, lastName: row.last_name, birthDate: row.birth_date }));
}

/** Creates a relative (child, parent) under the usager's responsibility. */
export async function insertRelative(db: AppointmentsDb, responsibleId: number, relative: { firstName: string; lastName: string; birthDate: string | null }): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ responsible_id: responsibleId, first_name: relative.firstName, last_name: relative.lastName, birth_date: relative.birthDate, created_through: 'user_sign_up' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Makes the user known to the organisation's agents (users directory), once. */
export async function ensureUserProfile(db: AppointmentsDb, userId: number, organisationId: number): Promise<void> {
  await db
    .insertInto('user_profiles')
    .values({ user_id: userId, organisation_id: organisationId })
    .onConflict((oc) => oc.columns(['user_id', 'organisation_id']).doNothing())
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Slots: who could have held a slot that the engine no longer offers
// ---------------------------------------------------------------------------------------------

/** Agents with an opening period for the motif (at the place, when given). */
export async function findAgentsOpenForType(db: AppointmentsDb, appointmentTypeId: number, placeId: number | null): Promise<number[]> {
  let query = db
    .selectFrom('opening_periods as op')
    .innerJoin('opening_period_appointment_types as opt', 'opt.opening_period_id', 'op.id')
    .select('op.agent_id')
    .distinct()
    .where('opt.appointment_type_id', '=', appointmentTypeId);
  if (placeId !== null) query = query.where('op.place_id', '=', placeId);
  const rows = await query.execute();
  return rows.map((row) => row.agent_id);
}

/** Whether one of the agents holds an active individual appointment overlapping [startsAt, endsAt). */
export async function hasOverlappingAppointment(db: AppointmentsDb, agentIds: readonly number[], startsAt: Date, endsAt: Date): Promise<boolean> {
  if (agentIds.length === 0) return false;
  const result = await sql<{ taken: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM appointment_agents
       WHERE is_active AND NOT is_collective
         AND agent_id = ANY(${[...agentIds]}::bigint[])
         AND during && tstzrange(${startsAt.toISOString()}::timestamptz, ${endsAt.toISOString()}::timestamptz)
    ) AS taken`.execute(db);
  return result.rows[0]?.taken === true;
}

/**
 * Minutes of active individual appointments of each candidate agent within [from, to) (the
 * appointment's local day): the load that agent choice spreads. Agents without any get 0.
 */
export async function findBookedMinutesByAgent(db: AppointmentsDb, agentIds: readonly number[], from: Date, to: Date): Promise<Map<number, number>> {
  const booked = new Map<number, number>(agentIds.map((agentId) => [agentId, 0]));
  if (agentIds.length === 0) return booked;
  const result = await sql<{ agent_id: number; booked_minutes: number }>`
    SELECT agent_id, (sum(extract(epoch FROM upper(during) - lower(during))) / 60)::int AS booked_minutes
      FROM appointment_agents
     WHERE is_active AND NOT is_collective
       AND agent_id = ANY(${[...agentIds]}::bigint[])
       AND during && tstzrange(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)
     GROUP BY agent_id`.execute(db);
  for (const row of result.rows) booked.set(row.agent_id, row.booked_minutes);
  return booked;
}

// ---------------------------------------------------------------------------------------------
// Appointments and participations
// ---------------------------------------------------------------------------------------------

export interface NewAppointment {
  readonly organisationId: number;
  readonly appointmentTypeId: number;
  readonly placeId: number | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly createdByType: CreatedByType;
  readonly createdByUserId: number | null;
}

export async function insertAppointment(db: AppointmentsDb, appointment: NewAppointment): Promise<{ id: number; publicId: string }> {
  const row = await db
    .insertInto('appointments')
    .values({
      organisation_id: appointment.organisationId,
      appointment_type_id: appointment.appointmentTypeId,
      place_id: appointment.placeId,
      during: toRange(appointment.startsAt, appointment.endsAt),
      time_zone: appointment.timeZone,
      created_by_type: appointment.createdByType,
      created_by_user_id: appointment.createdByUserId,
    })
    .returning(['id', 'public_id'])
    .executeTakeFirstOrThrow();
  return { id: row.id, publicId: row.public_id };
}

/** Links the agent; the exclusion constraint may refuse it (see isOverlapViolation). */
/**
 * Serialises, until the transaction ends, the writers of these agents' time (one transaction-level
 * advisory lock per agent, taken in id order). Without it, concurrent bookings of one agent insert
 * their rows together and the exclusion constraint makes each wait for the others' uncommitted rows:
 * waits in a cycle, each broken only after `deadlock_timeout` (1 s) and retried, which took 20 s
 * and more for 50 simultaneous bookings. With it, the second writer inserts after the first has
 * committed and is refused at once (23P01 → SLOT_TAKEN). Locks are per agent, not per slot: other
 * bookings of the same agent wait a few milliseconds, other agents are not affected.
 */
export async function lockAgentTimelines(db: AppointmentsDb, agentIds: readonly number[]): Promise<void> {
  for (const agentId of [...new Set(agentIds)].sort((a, b) => a - b)) {
    await sql`SELECT pg_advisory_xact_lock(hashtext('creneau.appointments.agent-timeline'), (${agentId}::bigint % 2147483647)::int)`.execute(db);
  }
}

export async function insertAppointmentAgent(db: AppointmentsDb, appointmentId: number, agentId: number): Promise<void> {
  await lockAgentTimelines(db, [agentId]);
  await db.insertInto('appointment_agents').values({ appointment_id: appointmentId, agent_id: agentId }).execute();
}

export async function deleteAppointmentAgents(db: AppointmentsDb, appointmentId: number): Promise<void> {
  await db.deleteFrom('appointment_agents').where('appointment_id', '=', appointmentId).execute();
}

export interface NewParticipation {
  readonly appointmentId: number;
  readonly userId: number;
  readonly createdByType: CreatedByType;
  readonly createdByUserId: number | null;
  /** The agent who added the participant (agent workspace). */
  readonly createdByAgentId?: number | null;
  readonly prescripteur: Readonly<Record<string, string>> | null;
  readonly sendLifecycleNotifications: boolean;
  readonly sendReminderNotification: boolean;
}

export async function insertParticipation(db: AppointmentsDb, participation: NewParticipation): Promise<number> {
  const row = await db
    .insertInto('participations')
    .values({
      appointment_id: participation.appointmentId,
      user_id: participation.userId,
      created_by_type: participation.createdByType,
      created_by_user_id: participation.createdByUserId,
      created_by_agent_id: participation.createdByAgentId ?? null,
      prescripteur: participation.prescripteur === null ? null : JSON.stringify(participation.prescripteur),
      send_lifecycle_notifications: participation.sendLifecycleNotifications,
      send_reminder_notification: participation.sendReminderNotification,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setParticipationStatus(db: AppointmentsDb, participationId: number, status: AppointmentStatus): Promise<void> {
  await db.updateTable('participations').set({ status }).where('id', '=', participationId).execute();
}

/**
 * Sets the appointment's status (decided by the status machine) with its `cancelled_at`; a
 * cancelled status frees the agent (trigger). The revision goes up: the ICS file changes.
 */
export async function setAppointmentStatus(db: AppointmentsDb, appointmentId: number, status: AppointmentStatus, cancelledAt: Date | null): Promise<void> {
  await db
    .updateTable('appointments')
    .set((eb) => ({ status, cancelled_at: cancelledAt, revision: eb('revision', '+', 1), updated_at: sql<Date>`now()` }))
    .where('id', '=', appointmentId)
    .execute();
}

/** Moves the appointment; the revision goes up. */
export async function moveAppointment(db: AppointmentsDb, appointmentId: number, startsAt: Date, endsAt: Date): Promise<void> {
  await db
    .updateTable('appointments')
    .set((eb) => ({ during: toRange(startsAt, endsAt), revision: eb('revision', '+', 1), updated_at: sql<Date>`now()` }))
    .where('id', '=', appointmentId)
    .execute();
}

export interface AppointmentRow {
  readonly id: number;
  readonly publicId: string;
  readonly organisationId: number;
  readonly territoryId: number;
  readonly appointmentTypeId: number;
  readonly placeId: number | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly status: AppointmentStatus;
  readonly isCollective: boolean;
  readonly maxParticipants: number | null;
  readonly createdByType: CreatedByType;
  readonly agentIds: readonly number[];
  readonly type: BookingTypeRow;
}

interface AppointmentSqlRow {
  id: number;
  public_id: string;
  organisation_id: number;
  territory_id: number;
  appointment_type_id: number;
  place_id: number | null;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  status: AppointmentStatus;
  is_collective: boolean;
  max_participants: number | null;
  created_by_type: CreatedByType;
  agent_ids: number[] | null;
  duration_minutes: number;
  location_type: LocationType;
  bookable_by: BookableBy;
  type_is_collective: boolean;
  is_follow_up_only: boolean;
  visibility: Visibility;
  min_booking_notice_minutes: number;
  max_booking_notice_minutes: number;
  cancel_deadline_minutes: number;
  reschedule_deadline_minutes: number;
  archived: boolean;
}

/**
 * The appointment with its motif and agents. `lock` takes the row lock (`FOR UPDATE`) that
 * serialises concurrent changes of the same appointment: seats of a collective one, cancel, move.
 */
export async function findAppointment(db: AppointmentsDb, appointmentId: number, options: { lock: boolean }): Promise<AppointmentRow | undefined> {
  const lock = options.lock ? sql`FOR UPDATE OF a` : sql``;
  const result = await sql<AppointmentSqlRow>`
    SELECT a.id, a.public_id, a.organisation_id, o.territory_id, a.appointment_type_id, a.place_id,
           lower(a.during) AS starts_at, upper(a.during) AS ends_at, a.time_zone, a.status,
           a.is_collective, a.max_participants, a.created_by_type,
           (SELECT array_agg(aa.agent_id ORDER BY aa.agent_id) FROM appointment_agents aa WHERE aa.appointment_id = a.id) AS agent_ids,
           t.duration_minutes, t.location_type, t.bookable_by, t.is_collective AS type_is_collective, t.is_follow_up_only,
           t.visibility, t.min_booking_notice_minutes, t.max_booking_notice_minutes,
           t.cancel_deadline_minutes, t.reschedule_deadline_minutes, t.archived_at IS NOT NULL AS archived
      FROM appointments a
      JOIN appointment_types t ON t.id = a.appointment_type_id
      JOIN organisations o ON o.id = a.organisation_id
     WHERE a.id = ${appointmentId}
     ${lock}`.execute(db);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    id: row.id,
    publicId: row.public_id,
    organisationId: row.organisation_id,
    territoryId: row.territory_id,
    appointmentTypeId: row.appointment_type_id,
    placeId: row.place_id,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    timeZone: row.time_zone,
    status: row.status,
    isCollective: row.is_collective,
    maxParticipants: row.max_participants,
    createdByType: row.created_by_type,
    agentIds: row.agent_ids ?? [],
    type: {
      id: row.appointment_type_id,
      organisationId: row.organisation_id,
      territoryId: row.territory_id,
      durationMinutes: row.duration_minutes,
      locationType: row.location_type,
      bookableBy: row.bookable_by,
      isCollective: row.type_is_collective,
      isFollowUpOnly: row.is_follow_up_only,
      visibility: row.visibility,
      minBookingNoticeMinutes: row.min_booking_notice_minutes,
      maxBookingNoticeMinutes: row.max_booking_notice_minutes,
      cancelDeadlineMinutes: row.cancel_deadline_minutes,
      rescheduleDeadlineMinutes: row.reschedule_deadline_minutes,
      isArchived: row.archived,
    },
  };
}

export interface ParticipationRow {
  readonly id: number;
  readonly userId: number;
  readonly status: AppointmentStatus;
}

export async function findParticipation(db: AppointmentsDb, appointmentId: number, userId: number): Promise<ParticipationRow | undefined> {
  const row = await db
    .selectFrom('participations')
    .select(['id', 'user_id', 'status'])
    .where('appointment_id', '=', appointmentId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, userId: row.user_id, status: row.status };
}

export async function findParticipationIds(db: AppointmentsDb, appointmentId: number): Promise<number[]> {
  const rows = await db.selectFrom('participations').select('id').where('appointment_id', '=', appointmentId).orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** Participations that hold a seat (not excused or revoked). */
export async function countActiveParticipations(db: AppointmentsDb, appointmentId: number): Promise<number> {
  const row = await db
    .selectFrom('participations')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('appointment_id', '=', appointmentId)
    .where('status', 'not in', ['excused', 'revoked'])
    .executeTakeFirstOrThrow();
  return row.count;
}

// ---------------------------------------------------------------------------------------------
// Outbox and audit log
// ---------------------------------------------------------------------------------------------

export type AppointmentTopic = 'appointment.created' | 'appointment.updated' | 'appointment.cancelled';

/** Ids only: the outbox is read by jobs and webhooks, it carries no personal data and no motif. */
export interface AppointmentEventPayload {
  readonly appointmentId: number;
  readonly publicId: string;
  /** The participations the event concerns (one usager joining or leaving a collective session). */
  readonly participationIds: readonly number[];
  readonly by: Actor['type'];
  readonly previousStartsAt?: string;
  /** Agent-side changes (ADR 0016): what the appointment was before, for the notifications. */
  readonly previousEndsAt?: string;
  readonly previousPlaceId?: number | null;
  readonly previousAgentIds?: readonly number[];
  /** Participations added by the change, and the usagers removed from it. */
  readonly addedParticipationIds?: readonly number[];
  readonly removedUserIds?: readonly number[];
  /** Set when the event is a status change (seen, noshow, excused, revoked, back to unknown). */
  readonly status?: AppointmentStatus;
  /** The agent who made the change, when an agent did (notifications: level `others`). */
  readonly actorAgentId?: number;
}

export async function insertOutboxEvent(db: AppointmentsDb, topic: AppointmentTopic, payload: AppointmentEventPayload): Promise<void> {
  await db.insertInto('outbox_events').values({ topic, aggregate_id: payload.appointmentId, payload: JSON.stringify(payload) }).execute();
}


// ---------------------------------------------------------------------------------------------
// Waitlist
// ---------------------------------------------------------------------------------------------

export async function addWaitlistEntry(db: AppointmentsDb, appointmentId: number, userId: number): Promise<void> {
  await db
    .insertInto('waitlist_entries')
    .values({ appointment_id: appointmentId, user_id: userId })
    .onConflict((oc) => oc.columns(['appointment_id', 'user_id']).doNothing())
    .execute();
}

export async function removeWaitlistEntries(db: AppointmentsDb, appointmentId: number, userId: number | null): Promise<void> {
  let query = db.deleteFrom('waitlist_entries').where('appointment_id', '=', appointmentId);
  if (userId !== null) query = query.where('user_id', '=', userId);
  await query.execute();
}

// ---------------------------------------------------------------------------------------------
// Calendar file
// ---------------------------------------------------------------------------------------------

export interface CalendarRow {
  readonly publicId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
  readonly revision: number;
  readonly locationType: LocationType;
  readonly organisationName: string;
  readonly place: { readonly name: string; readonly address: string } | null;
}

export async function findAppointmentForCalendar(db: AppointmentsDb, appointmentId: number): Promise<CalendarRow | undefined> {
  const result = await sql<{
    public_id: string;
    starts_at: Date;
    ends_at: Date;
    status: AppointmentStatus;
    revision: number;
    location_type: LocationType;
    organisation_name: string;
    place_name: string | null;
    place_address: string | null;
  }>`
    SELECT a.public_id, lower(a.during) AS starts_at, upper(a.during) AS ends_at, a.status, a.revision,
           t.location_type, o.name AS organisation_name, pl.name AS place_name, pl.address AS place_address
      FROM appointments a
      JOIN appointment_types t ON t.id = a.appointment_type_id
      JOIN organisations o ON o.id = a.organisation_id
      LEFT JOIN places pl ON pl.id = a.place_id
     WHERE a.id = ${appointmentId}`.execute(db);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    publicId: row.public_id,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    status: row.status,
    revision: row.revision,
    locationType: row.location_type,
    organisationName: row.organisation_name,
    place: row.place_name === null ? null : { name: row.place_name, address: row.place_address ?? '' },
  };
}

/** Sets the status of every participation of the appointment that is not cancelled on its own. */
export async function setActiveParticipationsStatus(db: AppointmentsDb, appointmentId: number, from: AppointmentStatus, status: AppointmentStatus): Promise<number[]> {
  const rows = await db
    .updateTable('participations')
    .set({ status })
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', from)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}
