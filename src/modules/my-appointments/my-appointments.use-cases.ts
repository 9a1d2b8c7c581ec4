// "Mes rendez-vous": the usager's and their relatives' appointments, with what each may still do
// (cancel, move, waitlist), decided by the appointments core's pure rules.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import {
  cancelRefusal,
  isCancelledStatus,
  rescheduleRefusal,
  waitlistRefusal,
  type AppointmentFacts,
  type AppointmentStatus,
  type CancelRefusal,
  type LocationType,
  type RescheduleRefusal,
} from '../appointments/index.js';
import { findUserAppointments, type UserAppointmentRow } from './my-appointments.repository.js';

export interface UserAppointmentView {
  readonly appointmentId: number;
  readonly publicId: string;
  readonly participationId: number;
  /** The participation's status (a collective session may go on without this usager). */
  readonly status: AppointmentStatus;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly isCollective: boolean;
  readonly sessionName: string | null;
  readonly beneficiary: { readonly userId: number; readonly firstName: string; readonly lastName: string; readonly isRelative: boolean };
  readonly appointmentType: {
    readonly id: number;
    readonly name: string;
    readonly locationType: LocationType;
    readonly instructionForBooking: string | null;
    readonly cancelDeadlineMinutes: number;
    readonly rescheduleDeadlineMinutes: number;
  };
  readonly organisation: { readonly id: number; readonly name: string; readonly phoneNumber: string | null };
  readonly place: { readonly id: number; readonly name: string; readonly address: string } | null;
  /** Why the usager may not cancel online now (null: they may), decided by the core's rules. */
  readonly cancelRefusal: CancelRefusal | null;
  /** Why the usager may not move it online now (null: they may). */
  readonly rescheduleRefusal: RescheduleRefusal | null;
  readonly canCancel: boolean;
  readonly canReschedule: boolean;
  readonly canJoinWaitlist: boolean;
  readonly onWaitlist: boolean;
}

export interface UserAppointments {
  /** Not yet ended, soonest first (cancelled ones included, marked by their status). */
  readonly upcoming: readonly UserAppointmentView[];
  /** Ended, most recent first. */
  readonly past: readonly UserAppointmentView[];
}

function toView(row: UserAppointmentRow, userId: number, now: Date): UserAppointmentView {
  const facts: AppointmentFacts = {
    startsAt: row.startsAt,
    appointmentStatus: row.appointmentStatus,
    participationStatus: row.participationStatus,
    isCollective: row.isCollective,
    createdByType: row.createdByType,
    agentCount: row.agentCount,
    bookableBy: row.appointmentType.bookableBy,
    locationType: row.appointmentType.locationType,
    cancelDeadlineMinutes: row.appointmentType.cancelDeadlineMinutes,
    rescheduleDeadlineMinutes: row.appointmentType.rescheduleDeadlineMinutes,
  };
  const status = isCancelledStatus(row.appointmentStatus) ? row.appointmentStatus : row.participationStatus;
  const cancel = cancelRefusal(facts, now);
  const reschedule = row.appointmentType.isArchived ? 'NOT_BOOKABLE_ONLINE' : rescheduleRefusal(facts, now);
  return {
    appointmentId: row.appointmentId,
    publicId: row.publicId,
    participationId: row.participationId,
    status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    timeZone: row.timeZone,
    isCollective: row.isCollective,
    sessionName: row.sessionName,
    beneficiary: {
      userId: row.beneficiary.userId,
      firstName: row.beneficiary.firstName,
      lastName: row.beneficiary.lastName,
      isRelative: row.beneficiary.userId !== userId,
    },
    appointmentType: {
      id: row.appointmentType.id,
      name: row.appointmentType.name,
      locationType: row.appointmentType.locationType,
      instructionForBooking: row.appointmentType.instructionForBooking,
      cancelDeadlineMinutes: row.appointmentType.cancelDeadlineMinutes,
      rescheduleDeadlineMinutes: row.appointmentType.rescheduleDeadlineMinutes,
    },
    organisation: row.organisation,
    place: row.place,
    cancelRefusal: cancel,
    rescheduleRefusal: reschedule,
    canCancel: cancel === null,
    canReschedule: reschedule === null,
    canJoinWaitlist: !row.onWaitlist && waitlistRefusal(facts, now) === null,
    onWaitlist: row.onWaitlist,
  };
}

/** Upcoming and past appointments of the usager and of their relatives, with what they may still do. */
export async function listUserAppointments(database: Kysely<Database>, request: { userId: number; now: Date }): Promise<UserAppointments> {
  const rows = await findUserAppointments(database, request.userId);
  const views = rows.map((row) => toView(row, request.userId, request.now));
  const nowMs = request.now.getTime();
  return {
    upcoming: views.filter((view) => view.endsAt.getTime() > nowMs),
    past: views.filter((view) => view.endsAt.getTime() <= nowMs).reverse(),
  };
}
