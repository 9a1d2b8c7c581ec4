// SQL of the booking module. Every function takes the handle or the transaction it runs in; the
// use cases own the transactions and the order of effects.
import { sql, type Kysely } from 'kysely';
import type { BookingDatabase, IdempotentOperation, AccessTokenPurpose } from './booking.tables.js';
import type {
  AppointmentStatus,
  BookableBy,
  CreatedByType,
  LocationType,
  Visibility,
} from './domain/index.js';

export type BookingDb = Kysely<BookingDatabase>;

/** The constraint that keeps an agent's individual appointments apart (migrations/0001). */
export const OVERLAP_CONSTRAINT = 'agent_has_no_overlapping_individual_appointments';

/** Whether a database error is the overlap exclusion constraint (SQLSTATE 23P01), on pg and PGlite alike. */
export function isOverlapViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23P01' && constraint === OVERLAP_CONSTRAINT;
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
  readonly userId: number;
  readonly fingerprint: string;
  readonly appointmentId: number | null;
}

export async function findIdempotencyKey(db: BookingDb, key: string): Promise<IdempotencyRecord | undefined> {
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
  db: BookingDb,
  claim: { key: string; operation: IdempotentOperation; userId: number; fingerprint: string },
): Promise<{ claimedId: number } | { existing: IdempotencyRecord | undefined }> {
  const inserted = await db
    .insertInto('booking_idempotency_keys')
    .values({ key: claim.key, operation: claim.operation, user_id: claim.userId, request_fingerprint: claim.fingerprint })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return { claimedId: inserted.id };
  return { existing: await findIdempotencyKey(db, claim.key) };
}

export async function completeIdempotencyKey(db: BookingDb, id: number, appointmentId: number): Promise<void> {
  await db.updateTable('booking_idempotency_keys').set({ appointment_id: appointmentId }).where('id', '=', id).execute();
}

/** Deletes keys older than `before` (a retry is only expected within minutes). */
export async function deleteIdempotencyKeysBefore(db: BookingDb, before: Date): Promise<number> {
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

export async function findAppointmentTypeForBooking(db: BookingDb, appointmentTypeId: number): Promise<BookingTypeRow | undefined> {
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
export async function findActiveUser(db: BookingDb, userId: number): Promise<UserRow | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'responsible_id', 'first_name', 'last_name'])
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, responsibleId: row.responsible_id, firstName: row.first_name, lastName: row.last_name };
}

export async function findReferentAgentIds(db: BookingDb, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('referent_assignations').select('agent_id').where('user_id', '=', userId).execute();
  return rows.map((row) => row.agent_id);
}

/** Makes the user known to the organisation's agents (users directory), once. */
export async function ensureUserProfile(db: BookingDb, userId: number, organisationId: number): Promise<void> {
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
export async function findAgentsOpenForType(db: BookingDb, appointmentTypeId: number, placeId: number | null): Promise<number[]> {
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
export async function hasOverlappingAppointment(db: BookingDb, agentIds: readonly number[], startsAt: Date, endsAt: Date): Promise<boolean> {
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

export async function insertAppointment(db: BookingDb, appointment: NewAppointment): Promise<{ id: number; publicId: string }> {
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
export async function insertAppointmentAgent(db: BookingDb, appointmentId: number, agentId: number): Promise<void> {
  await db.insertInto('appointment_agents').values({ appointment_id: appointmentId, agent_id: agentId }).execute();
}

export async function deleteAppointmentAgents(db: BookingDb, appointmentId: number): Promise<void> {
  await db.deleteFrom('appointment_agents').where('appointment_id', '=', appointmentId).execute();
}

export interface NewParticipation {
  readonly appointmentId: number;
  readonly userId: number;
  readonly createdByType: CreatedByType;
  readonly createdByUserId: number | null;
  readonly prescripteur: Readonly<Record<string, string>> | null;
  readonly sendLifecycleNotifications: boolean;
  readonly sendReminderNotification: boolean;
}

export async function insertParticipation(db: BookingDb, participation: NewParticipation): Promise<number> {
  const row = await db
    .insertInto('participations')
    .values({
      appointment_id: participation.appointmentId,
      user_id: participation.userId,
      created_by_type: participation.createdByType,
      created_by_user_id: participation.createdByUserId,
      prescripteur: participation.prescripteur === null ? null : JSON.stringify(participation.prescripteur),
      send_lifecycle_notifications: participation.sendLifecycleNotifications,
      send_reminder_notification: participation.sendReminderNotification,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setParticipationStatus(db: BookingDb, participationId: number, status: AppointmentStatus): Promise<void> {
  await db.updateTable('participations').set({ status }).where('id', '=', participationId).execute();
}

/** The usager cancelled an individual appointment: `excused`, which frees the agent (trigger). */
export async function markAppointmentExcused(db: BookingDb, appointmentId: number, now: Date): Promise<void> {
  await db
    .updateTable('appointments')
    .set({ status: 'excused', cancelled_at: now, updated_at: sql<Date>`now()` })
    .where('id', '=', appointmentId)
    .execute();
}

export async function moveAppointment(db: BookingDb, appointmentId: number, startsAt: Date, endsAt: Date): Promise<void> {
  await db
    .updateTable('appointments')
    .set({ during: toRange(startsAt, endsAt), updated_at: sql<Date>`now()` })
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
export async function findAppointment(db: BookingDb, appointmentId: number, options: { lock: boolean }): Promise<AppointmentRow | undefined> {
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

export async function findParticipation(db: BookingDb, appointmentId: number, userId: number): Promise<ParticipationRow | undefined> {
  const row = await db
    .selectFrom('participations')
    .select(['id', 'user_id', 'status'])
    .where('appointment_id', '=', appointmentId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, userId: row.user_id, status: row.status };
}

export async function findParticipationIds(db: BookingDb, appointmentId: number): Promise<number[]> {
  const rows = await db.selectFrom('participations').select('id').where('appointment_id', '=', appointmentId).orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** Participations that hold a seat (not excused or revoked). */
export async function countActiveParticipations(db: BookingDb, appointmentId: number): Promise<number> {
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
  readonly by: 'user' | 'prescripteur';
  readonly previousStartsAt?: string;
}

export async function insertOutboxEvent(db: BookingDb, topic: AppointmentTopic, payload: AppointmentEventPayload): Promise<void> {
  await db.insertInto('outbox_events').values({ topic, aggregate_id: payload.appointmentId, payload: JSON.stringify(payload) }).execute();
}

export interface AuditEntry {
  readonly actorType: 'user' | 'prescripteur';
  readonly actorId: number | null;
  readonly action: 'create' | 'update' | 'delete' | 'read';
  readonly subjectType: 'appointment' | 'participation' | 'user';
  readonly subjectId: number;
  readonly territoryId: number | null;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

export async function insertAuditEntry(db: BookingDb, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      territory_id: entry.territoryId,
      details: JSON.stringify(entry.details),
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Waitlist
// ---------------------------------------------------------------------------------------------

export async function addWaitlistEntry(db: BookingDb, appointmentId: number, userId: number): Promise<void> {
  await db
    .insertInto('waitlist_entries')
    .values({ appointment_id: appointmentId, user_id: userId })
    .onConflict((oc) => oc.columns(['appointment_id', 'user_id']).doNothing())
    .execute();
}

export async function removeWaitlistEntries(db: BookingDb, appointmentId: number, userId: number | null): Promise<void> {
  let query = db.deleteFrom('waitlist_entries').where('appointment_id', '=', appointmentId);
  if (userId !== null) query = query.where('user_id', '=', userId);
  await query.execute();
}

// ---------------------------------------------------------------------------------------------
// Access tokens
// ---------------------------------------------------------------------------------------------

export interface NewAccessToken {
  readonly tokenHash: string;
  readonly purpose: AccessTokenPurpose;
  readonly userId: number | null;
  readonly participationId: number | null;
  readonly appointmentId: number | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export async function insertAccessToken(db: BookingDb, token: NewAccessToken): Promise<number> {
  const row = await db
    .insertInto('access_tokens')
    .values({
      token_hash: token.tokenHash,
      purpose: token.purpose,
      user_id: token.userId,
      participation_id: token.participationId,
      appointment_id: token.appointmentId,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface AccessTokenRow {
  readonly id: number;
  readonly purpose: AccessTokenPurpose;
  readonly userId: number | null;
  readonly participationId: number | null;
  readonly appointmentId: number | null;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly failedAttempts: number;
}

export async function findAccessTokenByHash(db: BookingDb, tokenHash: string): Promise<AccessTokenRow | undefined> {
  const row = await db
    .selectFrom('access_tokens')
    .select(['id', 'purpose', 'user_id', 'participation_id', 'appointment_id', 'expires_at', 'used_at', 'failed_attempts'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    purpose: row.purpose,
    userId: row.user_id,
    participationId: row.participation_id,
    appointmentId: row.appointment_id,
    expiresAt: new Date(row.expires_at),
    usedAt: row.used_at === null ? null : new Date(row.used_at),
    failedAttempts: row.failed_attempts,
  };
}

/** Counts one wrong answer, atomically; returns the new count, or null when already at the limit. */
export async function recordFailedAttempt(db: BookingDb, tokenId: number, limit: number): Promise<number | null> {
  const row = await db
    .updateTable('access_tokens')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', tokenId)
    .where('failed_attempts', '<', limit)
    .returning('failed_attempts')
    .executeTakeFirst();
  return row === undefined ? null : row.failed_attempts;
}

/** Marks a single-use token used; false when another request consumed it first. */
export async function markAccessTokenUsed(db: BookingDb, tokenId: number, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('access_tokens')
    .set({ used_at: now })
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findParticipationTarget(
  db: BookingDb,
  participationId: number,
): Promise<{ appointmentId: number; userId: number; publicId: string; lastName: string } | undefined> {
  const row = await db
    .selectFrom('participations as p')
    .innerJoin('appointments as a', 'a.id', 'p.appointment_id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.appointment_id', 'p.user_id', 'a.public_id', 'u.last_name'])
    .where('p.id', '=', participationId)
    .executeTakeFirst();
  return row === undefined ? undefined : { appointmentId: row.appointment_id, userId: row.user_id, publicId: row.public_id, lastName: row.last_name };
}

export async function deleteExpiredAccessTokens(db: BookingDb, now: Date): Promise<number> {
  const result = await db.deleteFrom('access_tokens').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---------------------------------------------------------------------------------------------
// "Mes rendez-vous"
// ---------------------------------------------------------------------------------------------

export interface UserAppointmentRow {
  readonly appointmentId: number;
  readonly publicId: string;
  readonly participationId: number;
  readonly participationStatus: AppointmentStatus;
  readonly appointmentStatus: AppointmentStatus;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly isCollective: boolean;
  readonly sessionName: string | null;
  readonly createdByType: CreatedByType;
  readonly agentCount: number;
  readonly onWaitlist: boolean;
  readonly beneficiary: { readonly userId: number; readonly firstName: string; readonly lastName: string; readonly responsibleId: number | null };
  readonly appointmentType: {
    readonly id: number;
    readonly name: string;
    readonly locationType: LocationType;
    readonly bookableBy: BookableBy;
    readonly cancelDeadlineMinutes: number;
    readonly rescheduleDeadlineMinutes: number;
    readonly instructionForBooking: string | null;
  };
  readonly organisation: { readonly id: number; readonly name: string; readonly phoneNumber: string | null };
  readonly place: { readonly id: number; readonly name: string; readonly address: string } | null;
}

/** Participations of the user and of the relatives they are responsible for, by start. */
export async function findUserAppointments(db: BookingDb, userId: number): Promise<UserAppointmentRow[]> {
  const result = await sql<{
    appointment_id: number;
    public_id: string;
    participation_id: number;
    participation_status: AppointmentStatus;
    appointment_status: AppointmentStatus;
    starts_at: Date;
    ends_at: Date;
    time_zone: string;
    is_collective: boolean;
    session_name: string | null;
    created_by_type: CreatedByType;
    agent_count: number;
    on_waitlist: boolean;
    user_id: number;
    first_name: string;
    last_name: string;
    responsible_id: number | null;
    type_id: number;
    type_name: string;
    location_type: LocationType;
    bookable_by: BookableBy;
    cancel_deadline_minutes: number;
    reschedule_deadline_minutes: number;
    instruction_for_booking: string | null;
    organisation_id: number;
    organisation_name: string;
    organisation_phone: string | null;
    place_id: number | null;
    place_name: string | null;
    place_address: string | null;
  }>`
    SELECT a.id AS appointment_id, a.public_id, p.id AS participation_id, p.status AS participation_status,
           a.status AS appointment_status, lower(a.during) AS starts_at, upper(a.during) AS ends_at, a.time_zone,
           a.is_collective, a.name AS session_name, a.created_by_type,
           (SELECT count(*) FROM appointment_agents aa WHERE aa.appointment_id = a.id)::int AS agent_count,
           EXISTS (SELECT 1 FROM waitlist_entries w WHERE w.appointment_id = a.id AND w.user_id = p.user_id) AS on_waitlist,
           u.id AS user_id, u.first_name, u.last_name, u.responsible_id,
           t.id AS type_id, t.name AS type_name, t.location_type, t.bookable_by, t.cancel_deadline_minutes,
           t.reschedule_deadline_minutes, t.instruction_for_booking,
           o.id AS organisation_id, o.name AS organisation_name, o.phone_number AS organisation_phone,
           pl.id AS place_id, pl.name AS place_name, pl.address AS place_address
      FROM users u
      JOIN participations p ON p.user_id = u.id
      JOIN appointments a ON a.id = p.appointment_id
      JOIN appointment_types t ON t.id = a.appointment_type_id
      JOIN organisations o ON o.id = a.organisation_id
      LEFT JOIN places pl ON pl.id = a.place_id
     WHERE (u.id = ${userId} OR u.responsible_id = ${userId})
       AND u.deleted_at IS NULL
     ORDER BY lower(a.during), a.id, p.id`.execute(db);
  return result.rows.map((row) => ({
    appointmentId: row.appointment_id,
    publicId: row.public_id,
    participationId: row.participation_id,
    participationStatus: row.participation_status,
    appointmentStatus: row.appointment_status,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    timeZone: row.time_zone,
    isCollective: row.is_collective,
    sessionName: row.session_name,
    createdByType: row.created_by_type,
    agentCount: row.agent_count,
    onWaitlist: row.on_waitlist,
    beneficiary: { userId: row.user_id, firstName: row.first_name, lastName: row.last_name, responsibleId: row.responsible_id },
    appointmentType: {
      id: row.type_id,
      name: row.type_name,
      locationType: row.location_type,
      bookableBy: row.bookable_by,
      cancelDeadlineMinutes: row.cancel_deadline_minutes,
      rescheduleDeadlineMinutes: row.reschedule_deadline_minutes,
      instructionForBooking: row.instruction_for_booking,
    },
    organisation: { id: row.organisation_id, name: row.organisation_name, phoneNumber: row.organisation_phone },
    place: row.place_id === null ? null : { id: row.place_id, name: row.place_name ?? '', address: row.place_address ?? '' },
  }));
}

// ---------------------------------------------------------------------------------------------
// Calendar file
// ---------------------------------------------------------------------------------------------

export interface CalendarRow {
  readonly publicId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly locationType: LocationType;
  readonly organisationName: string;
  readonly placeAddress: string | null;
}

export async function findAppointmentForCalendar(db: BookingDb, appointmentId: number): Promise<CalendarRow | undefined> {
  const result = await sql<{
    public_id: string;
    starts_at: Date;
    ends_at: Date;
    status: AppointmentStatus;
    created_at: Date;
    updated_at: Date;
    location_type: LocationType;
    organisation_name: string;
    place_address: string | null;
  }>`
    SELECT a.public_id, lower(a.during) AS starts_at, upper(a.during) AS ends_at, a.status, a.created_at, a.updated_at,
           t.location_type, o.name AS organisation_name, pl.address AS place_address
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
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    locationType: row.location_type,
    organisationName: row.organisation_name,
    placeAddress: row.place_address,
  };
}

// ---------------------------------------------------------------------------------------------
// Beneficiaries (prescripteur bookings)
// ---------------------------------------------------------------------------------------------

/** Serialises the creation of beneficiaries sharing a phone number (two prescripteurs at once). */
export async function lockPhoneNumber(db: BookingDb, phoneE164: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`beneficiary:${phoneE164}`}))`.execute(db);
}

export async function findUsersByPhone(db: BookingDb, phoneE164: string): Promise<(UserRow & { birthDate: string | null })[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'responsible_id', 'first_name', 'last_name', 'birth_date'])
    .where('phone_number_e164', '=', phoneE164)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    responsibleId: row.responsible_id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthDate: row.birth_date,
  }));
}

export async function isEmailTakenByAccountHolder(db: BookingDb, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('responsible_id', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertBeneficiary(
  db: BookingDb,
  user: { firstName: string; lastName: string; phoneE164: string; birthDate: string | null; email: string | null },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      first_name: user.firstName,
      last_name: user.lastName,
      phone_number: user.phoneE164,
      phone_number_e164: user.phoneE164,
      birth_date: user.birthDate,
      email: user.email,
      created_through: 'prescripteur',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
