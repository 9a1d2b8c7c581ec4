// SQL of the collective commands (ADR 0022): a collective appointment's row and its settings. The
// use cases own the transactions; seats are counted under the appointment's row lock
// (`findAppointment(…, { lock: true })`, then `countActiveParticipations`).
import { sql } from 'kysely';
import { toRange, type AppointmentsDb } from './appointments.repository.js';

export interface NewCollectiveAppointment {
  readonly organisationId: number;
  readonly appointmentTypeId: number;
  readonly placeId: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly title: string | null;
  /** Null: no limit (RDV-Service-Public's `max_participants_count` = nil). */
  readonly maxParticipants: number | null;
  readonly createdByAgentId: number;
}

export async function insertCollectiveAppointment(db: AppointmentsDb, appointment: NewCollectiveAppointment): Promise<{ id: number; publicId: string }> {
  const row = await db
    .insertInto('appointments')
    .values({
      organisation_id: appointment.organisationId,
      appointment_type_id: appointment.appointmentTypeId,
      place_id: appointment.placeId,
      during: toRange(appointment.startsAt, appointment.endsAt),
      time_zone: appointment.timeZone,
      is_collective: true,
      max_participants: appointment.maxParticipants,
      name: appointment.title,
      created_by_type: 'agent',
      created_by_agent_id: appointment.createdByAgentId,
    })
    .returning(['id', 'public_id'])
    .executeTakeFirstOrThrow();
  return { id: row.id, publicId: row.public_id };
}

export interface CollectiveSettings {
  readonly title: string | null;
  readonly maxParticipants: number | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly placeId: number;
  readonly timeZone: string;
}

/** The title, capacity, time and place as they are (read under the caller's lock). */
export async function findCollectiveSettings(db: AppointmentsDb, appointmentId: number): Promise<CollectiveSettings | undefined> {
  const row = await db
    .selectFrom('appointments')
    .select(['name', 'max_participants', sql<Date>`lower(during)`.as('starts_at'), sql<Date>`upper(during)`.as('ends_at'), 'place_id', 'time_zone'])
    .where('id', '=', appointmentId)
    .executeTakeFirst();
  if (row?.place_id === undefined || row.place_id === null) return undefined;
  return {
    title: row.name,
    maxParticipants: row.max_participants,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    placeId: row.place_id,
    timeZone: row.time_zone,
  };
}

/** Writes the settings; the revision (ICS SEQUENCE) goes up only when the usagers' view changes (time or place). */
export async function updateCollectiveSettings(db: AppointmentsDb, appointmentId: number, settings: CollectiveSettings, bumpRevision: boolean): Promise<void> {
  await db
    .updateTable('appointments')
    .set((eb) => ({
      name: settings.title,
      max_participants: settings.maxParticipants,
      during: toRange(settings.startsAt, settings.endsAt),
      place_id: settings.placeId,
      time_zone: settings.timeZone,
      revision: bumpRevision ? eb('revision', '+', 1) : eb.ref('revision'),
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', appointmentId)
    .execute();
}

export async function deleteParticipation(db: AppointmentsDb, participationId: number): Promise<void> {
  await db.deleteFrom('participations').where('id', '=', participationId).execute();
}
