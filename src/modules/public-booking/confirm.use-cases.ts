// The funnel's last step: save the usager's details, pick the beneficiary, book.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { bookAppointment, joinCollectiveAppointment, type BookAppointmentResult, type JoinCollectiveAppointmentResult } from '../appointments/index.js';
import { updateUserDetails } from './confirm.repository.js';
import type { BookingFormValues } from './domain/booking-form.js';

export interface ConfirmBookingRequest {
  readonly userId: number;
  /** The usager came through a partner's invitation (verified token). */
  readonly invited: boolean;
  readonly appointmentTypeId: number;
  readonly startsAt: Date;
  readonly placeId: number | null;
  /** The agents the funnel allowed (sector agents), or null. */
  readonly allowedAgentIds: readonly number[] | null;
  /** Set for a collective session: the usager takes a seat instead of a new appointment. */
  readonly collectiveAppointmentId: number | null;
  readonly form: BookingFormValues;
  readonly idempotencyKey: string;
  readonly now: Date;
}

/**
 * Saves the details on the account, then books or takes a seat through the appointments core. A
 * new relative is created inside the booking's transaction, after its idempotency key: a double
 * click replays the first booking instead of adding the relative twice.
 */
export async function confirmBooking(db: Kysely<Database>, request: ConfirmBookingRequest): Promise<BookAppointmentResult | JoinCollectiveAppointmentResult> {
  await updateUserDetails(db, request.userId, request.form);
  const bookedBy = { type: 'user' as const, userId: request.userId, invited: request.invited };
  const beneficiary = request.form.beneficiary;
  const userId = beneficiary.kind === 'relative' ? beneficiary.userId : request.userId;
  const newRelative = beneficiary.kind === 'new_relative' ? { firstName: beneficiary.firstName, lastName: beneficiary.lastName, birthDate: beneficiary.birthDate } : null;
  if (request.collectiveAppointmentId !== null) {
    return joinCollectiveAppointment(db, {
      appointmentId: request.collectiveAppointmentId,
      userId,
      newRelative,
      bookedBy,
      idempotencyKey: request.idempotencyKey,
      now: request.now,
    });
  }
  return bookAppointment(db, {
    appointmentTypeId: request.appointmentTypeId,
    startsAt: request.startsAt,
    placeId: request.placeId,
    allowedAgentIds: request.allowedAgentIds,
    userId,
    newRelative,
    bookedBy,
    idempotencyKey: request.idempotencyKey,
    now: request.now,
  });
}
