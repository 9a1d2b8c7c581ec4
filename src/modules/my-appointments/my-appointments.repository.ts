// SQL of "Mes rendez-vous": the usager's and their relatives' participations, in one query.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { AppointmentStatus, BookableBy, CreatedByType, LocationType } from '../appointments/index.js';

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
    readonly isArchived: boolean;
  };
  readonly organisation: { readonly id: number; readonly name: string; readonly phoneNumber: string | null };
  readonly place: { readonly id: number; readonly name: string; readonly address: string } | null;
}

/** Participations of the user and of the relatives they are responsible for, by start. */
export async function findUserAppointments(db: Kysely<Database>, userId: number): Promise<UserAppointmentRow[]> {
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
    type_archived: boolean;
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
           t.reschedule_deadline_minutes, t.instruction_for_booking, t.archived_at IS NOT NULL AS type_archived,
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
      isArchived: row.type_archived,
    },
    organisation: { id: row.organisation_id, name: row.organisation_name, phoneNumber: row.organisation_phone },
    place: row.place_id === null ? null : { id: row.place_id, name: row.place_name ?? '', address: row.place_address ?? '' },
  }));
}
