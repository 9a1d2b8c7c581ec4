// The funnel's last step: save the usager's details, pick the beneficiary, book.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { isSamePersonName } from '../../shared/text/person-name.js';
import { bookAppointment, joinCollectiveAppointment, type BookAppointmentResult, type JoinCollectiveAppointmentResult } from '../appointments/index.js';
import { findUserAndRelatives, insertRelative, updateUserDetails } from './confirm.repository.js';
import type { BookingFormValues } from './domain/booking-form.js';

export interface ConfirmBookingRequest {
  readonly userId: number;
  /** The usager came through a partner's invitation (verified token). */
  readonly invited: boolean;
  readonly appointmentTypeId: number;
  readonly startsAt: Date;
  readonly placeId: number | null;
  /** Set for a collective session: the usager takes a seat instead of a new appointment. */
  readonly collectiveAppointmentId: number | null;
  readonly form: BookingFormValues;
  readonly idempotencyKey: string;
  readonly now: Date;
}

/**
 * Saves the details on the account, finds or creates the relative (the same name and birth date
 * reuse the existing one, so a retry never duplicates them), then books or takes a seat.
 */
export async function confirmBooking(db: Kysely<Database>, request: ConfirmBookingRequest): Promise<BookAppointmentResult | JoinCollectiveAppointmentResult> {
  const { relatives } = await findUserAndRelatives(db, request.userId);
  const beneficiaryId = await db.transaction().execute(async (trx) => {
    await updateUserDetails(trx, request.userId, request.form);
    const beneficiary = request.form.beneficiary;
    switch (beneficiary.kind) {
      case 'self':
        return request.userId;
      case 'relative':
        return beneficiary.userId;
      case 'new_relative': {
        const same = relatives.find(
          (relative) =>
            isSamePersonName(relative.firstName, beneficiary.firstName) &&
            isSamePersonName(relative.lastName, beneficiary.lastName) &&
            relative.birthDate === beneficiary.birthDate,
        );
        return same?.id ?? (await insertRelative(trx, request.userId, beneficiary));
      }
      default: {
        const unknown: never = beneficiary;
        throw new Error(`Bénéficiaire inconnu : ${JSON.stringify(unknown)}`);
      }
    }
  });
  const bookedBy = { type: 'user' as const, userId: request.userId, invited: request.invited };
  if (request.collectiveAppointmentId !== null) {
    return joinCollectiveAppointment(db, {
      appointmentId: request.collectiveAppointmentId,
      userId: beneficiaryId,
      bookedBy,
      idempotencyKey: request.idempotencyKey,
      now: request.now,
    });
  }
  return bookAppointment(db, {
    appointmentTypeId: request.appointmentTypeId,
    startsAt: request.startsAt,
    placeId: request.placeId,
    userId: beneficiaryId,
    bookedBy,
    idempotencyKey: request.idempotencyKey,
    now: request.now,
  });
}
