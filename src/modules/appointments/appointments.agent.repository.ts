// SQL of the agent-side commands (ADR 0016): what the warnings need, one-off places, users
// created by an agent, and the writes of a create or an update. The use cases own the transactions.
import { sql } from 'kysely';
import type { AgentTimeInterval, ParticipantAppointment } from './domain/index.js';
import { toRange, type AppointmentsDb } from './appointments.repository.js';

/** Whether a database error is the unique index on account holders' e-mails (a concurrent creation). */
export function isEmailTakenViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'user_email_is_unique_among_account_holders';
}

/** A place of the organisation that can receive appointments (enabled or one-off), with its zone. */
export async function findUsablePlace(db: AppointmentsDb, placeId: number, organisationId: number): Promise<{ id: number; timeZone: string } | undefined> {
  const row = await db
    .selectFrom('places')
    .select(['id', 'time_zone'])
    .where('id', '=', placeId)
    .where('organisation_id', '=', organisationId)
    .where('status', '<>', 'disabled')
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, timeZone: row.time_zone };
}

export async function findOrganisationZone(db: AppointmentsDb, organisationId: number): Promise<string | undefined> {
  const row = await db.selectFrom('organisations').select('time_zone').where('id', '=', organisationId).executeTakeFirst();
  return row?.time_zone;
}

/** A one-off address (a home visit, a partner's office) as a `single_use` place of the organisation. */
export async function insertSingleUsePlace(db: AppointmentsDb, place: { organisationId: number; address: string; timeZone: string }): Promise<number> {
  const row = await db
    .insertInto('places')
    .values({ organisation_id: place.organisationId, name: 'Adresse ponctuelle', address: place.address, time_zone: place.timeZone, status: 'single_use' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The agents among `agentIds` who hold a role in the organisation and are not deleted. */
export async function findAgentsInOrganisation(db: AppointmentsDb, agentIds: readonly number[], organisationId: number): Promise<number[]> {
  if (agentIds.length === 0) return [];
  const rows = await db
    .selectFrom('agents as a')
    .innerJoin('agent_roles as r', 'r.agent_id', 'a.id')
    .select('a.id')
    .where('a.id', 'in', [...agentIds])
    .where('r.organisation_id', '=', organisationId)
    .where('a.deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * The usagers among `userIds` who exist, each with whether they were erased (merged), locked
 * `FOR KEY SHARE` until the command commits (see `lockParticipantUser`), in id order.
 */
export async function lockParticipantUsers(db: AppointmentsDb, userIds: readonly number[]): Promise<{ id: number; erased: boolean }[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('users').select(['id', 'deleted_at']).where('id', 'in', [...userIds]).orderBy('id').forKeyShare().execute();
  return rows.map((row) => ({ id: row.id, erased: row.deleted_at !== null }));
}

/** Whether an account holder already uses this e-mail (the unique index's rule). */
export async function isAccountEmailTaken(db: AppointmentsDb, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('responsible_id', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewUserByAgent {
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly phoneNumberE164: string | null;
  readonly responsibleId: number | null;
}

export async function insertUserByAgent(db: AppointmentsDb, user: NewUserByAgent): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      first_name: user.firstName,
      last_name: user.lastName,
      birth_date: user.birthDate,
      email: user.email,
      phone_number: user.phoneNumber,
      phone_number_e164: user.phoneNumberE164,
      responsible_id: user.responsibleId,
      created_through: 'agent',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Active appointments (any organisation, collective included) of the agents overlapping [from, to), except one. */
export async function findAgentsBusyTime(db: AppointmentsDb, agentIds: readonly number[], from: Date, to: Date, exceptAppointmentId: number | null): Promise<AgentTimeInterval[]> {
  if (agentIds.length === 0) return [];
  const result = await sql<{ agent_id: number; starts_at: number; ends_at: number }>`
    SELECT agent_id,
           floor(extract(epoch FROM lower(during)) / 60)::int AS starts_at,
           ceil(extract(epoch FROM upper(during)) / 60)::int AS ends_at
      FROM appointment_agents
     WHERE is_active
       AND agent_id = ANY(${[...agentIds]}::bigint[])
       AND appointment_id <> ${exceptAppointmentId ?? 0}
       AND during && tstzrange(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`.execute(db);
  return result.rows.map((row) => ({ agentId: row.agent_id, startsAtEpochMinutes: row.starts_at, endsAtEpochMinutes: row.ends_at }));
}

/** Active appointments of the users starting in [from, to), except one (for "same motif, same day"). */
export async function findParticipantAppointments(db: AppointmentsDb, userIds: readonly number[], from: Date, to: Date, exceptAppointmentId: number | null): Promise<ParticipantAppointment[]> {
  if (userIds.length === 0) return [];
  const result = await sql<{ user_id: number; appointment_type_id: number; starts_at: number }>`
    SELECT p.user_id, a.appointment_type_id, floor(extract(epoch FROM lower(a.during)) / 60)::int AS starts_at
      FROM participations p
      JOIN appointments a ON a.id = p.appointment_id
     WHERE p.user_id = ANY(${[...userIds]}::bigint[])
       AND p.status NOT IN ('excused', 'revoked')
       AND a.status NOT IN ('excused', 'revoked')
       AND a.id <> ${exceptAppointmentId ?? 0}
       AND lower(a.during) >= ${from.toISOString()}::timestamptz AND lower(a.during) < ${to.toISOString()}::timestamptz`.execute(db);
  return result.rows.map((row) => ({ userId: row.user_id, appointmentTypeId: row.appointment_type_id, startsAtEpochMinutes: row.starts_at }));
}

export interface NewAgentAppointment {
  readonly organisationId: number;
  readonly appointmentTypeId: number;
  readonly placeId: number | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly context: string | null;
  readonly createdByAgentId: number;
}

export async function insertAgentAppointment(db: AppointmentsDb, appointment: NewAgentAppointment): Promise<{ id: number; publicId: string }> {
  const row = await db
    .insertInto('appointments')
    .values({
      organisation_id: appointment.organisationId,
      appointment_type_id: appointment.appointmentTypeId,
      place_id: appointment.placeId,
      during: toRange(appointment.startsAt, appointment.endsAt),
      time_zone: appointment.timeZone,
      context: appointment.context,
      created_by_type: 'agent',
      created_by_agent_id: appointment.createdByAgentId,
    })
    .returning(['id', 'public_id'])
    .executeTakeFirstOrThrow();
  return { id: row.id, publicId: row.public_id };
}

/**
 * Links an agent. With `override`, the link leaves the exclusion constraint (a deliberate,
 * attributed overbooking: ADR 0005, ADR 0016); without, the constraint may refuse it (23P01).
 */
export async function linkAgent(db: AppointmentsDb, appointmentId: number, agentId: number, override: { byAgentId: number; reason: string } | null): Promise<void> {
  await db
    .insertInto('appointment_agents')
    .values({
      appointment_id: appointmentId,
      agent_id: agentId,
      overlap_allowed: override !== null,
      overlap_allowed_by_agent_id: override?.byAgentId ?? null,
      overlap_reason: override?.reason ?? null,
    })
    .execute();
}

/** Moves the appointment and/or changes its place, zone or context; the revision goes up (the ICS SEQUENCE). */
export async function updateAppointmentDetails(
  db: AppointmentsDb,
  appointmentId: number,
  details: { startsAt: Date; endsAt: Date; placeId: number | null; timeZone: string; context: string | null },
): Promise<void> {
  await db
    .updateTable('appointments')
    .set((eb) => ({
      during: toRange(details.startsAt, details.endsAt),
      place_id: details.placeId,
      time_zone: details.timeZone,
      context: details.context,
      revision: eb('revision', '+', 1),
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', appointmentId)
    .execute();
}

export interface AppointmentParticipant {
  readonly participationId: number;
  readonly userId: number;
}

export async function findParticipants(db: AppointmentsDb, appointmentId: number): Promise<AppointmentParticipant[]> {
  const rows = await db.selectFrom('participations').select(['id', 'user_id']).where('appointment_id', '=', appointmentId).orderBy('id').execute();
  return rows.map((row) => ({ participationId: row.id, userId: row.user_id }));
}

export async function deleteParticipations(db: AppointmentsDb, appointmentId: number, userIds: readonly number[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.deleteFrom('participations').where('appointment_id', '=', appointmentId).where('user_id', 'in', [...userIds]).execute();
}

export async function findAppointmentContext(db: AppointmentsDb, appointmentId: number): Promise<string | null> {
  const row = await db.selectFrom('appointments').select('context').where('id', '=', appointmentId).executeTakeFirst();
  return row?.context ?? null;
}

/** Records the appointment an agent's key produced. */
export async function completeAgentIdempotencyKey(db: AppointmentsDb, id: number, appointmentId: number): Promise<void> {
  await db.updateTable('booking_idempotency_keys').set({ appointment_id: appointmentId }).where('id', '=', id).execute();
}
