// Refusal reasons of the appointment commands. Expected outcomes are data (`{ ok: false, reason }`,
// src/shared/refusal.ts), never exceptions; exceptions are left for the unexpected (database down,
// broken invariant).
import type { CancelRefusal, RescheduleRefusal, WaitlistRefusal } from './domain/index.js';

export { refuse, type Refusal } from '../../shared/refusal.js';

/** Reasons shared by the requests that carry an idempotency key. */
export type IdempotencyRefusalReason =
  /** The key is not 16–128 characters of [A-Za-z0-9_.:-]. */
  | 'INVALID_IDEMPOTENCY_KEY'
  /** The key was already used for another request (another slot, user or operation). */
  | 'IDEMPOTENCY_KEY_REUSED';

export type BookingRefusalReason =
  | IdempotencyRefusalReason
  /** Someone else took the slot, or an overlapping one, first. */
  | 'SLOT_TAKEN'
  /** The engine does not offer this start (closed, absence, wrong place or agent, not on the grid). */
  | 'SLOT_NOT_OFFERED'
  /** Before the minimum or after the maximum booking notice of the motif. */
  | 'OUTSIDE_BOOKING_WINDOW'
  /** No such motif, or archived. */
  | 'UNKNOWN_APPOINTMENT_TYPE'
  /** Collective motifs are joined through `joinCollectiveAppointment`. */
  | 'COLLECTIVE_TYPE'
  /** The motif is not open to online booking by this kind of booker. */
  | 'NOT_BOOKABLE_ONLINE'
  /** No such beneficiary. */
  | 'UNKNOWN_USER'
  /** The beneficiary was merged into another usager and erased (ADR 0021). */
  | 'ERASED_USER'
  /** The booking usager is neither the beneficiary nor their responsible. */
  | 'NOT_ALLOWED';

export type JoinRefusalReason =
  | IdempotencyRefusalReason
  | 'NOT_FOUND'
  | 'NOT_COLLECTIVE'
  /** The session was cancelled by the service. */
  | 'CANCELLED'
  | 'FULL'
  | 'ALREADY_PARTICIPATING'
  | 'OUTSIDE_BOOKING_WINDOW'
  | 'NOT_BOOKABLE_ONLINE'
  | 'UNKNOWN_USER'
  | 'ERASED_USER'
  | 'NOT_ALLOWED';

/** No participation of that usager in that appointment (or no such appointment). */
export type ParticipationLookupRefusal = 'NOT_FOUND' | 'NOT_ALLOWED';

export type CancelRefusalReason = ParticipationLookupRefusal | CancelRefusal;

export type LeaveRefusalReason = CancelRefusalReason | 'NOT_COLLECTIVE';

export type RescheduleRefusalReason =
  | IdempotencyRefusalReason
  | ParticipationLookupRefusal
  | RescheduleRefusal
  | 'SLOT_TAKEN'
  | 'SLOT_NOT_OFFERED'
  | 'OUTSIDE_BOOKING_WINDOW'
  /** The new start is the current one. */
  | 'SAME_SLOT';

export type WaitlistRefusalReason = ParticipationLookupRefusal | WaitlistRefusal;

/** A state the database constraints should have made impossible. */
export class BookingInvariantError extends Error {
  override name = 'BookingInvariantError';
}
