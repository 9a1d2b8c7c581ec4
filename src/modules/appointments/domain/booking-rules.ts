// Pure rules of public booking: who may book a motif online, the booking window, and what a
// usager may still do with an appointment (cancel, reschedule, waitlist). No IO; `now` is an input.

export type BookableBy = 'agents' | 'agents_and_prescripteurs' | 'agents_and_prescripteurs_and_invited_users' | 'everyone';
export type BookerType = 'user' | 'invited_user' | 'prescripteur';
export type AppointmentStatus = 'unknown' | 'seen' | 'excused' | 'revoked' | 'noshow';
export type CreatedByType = 'agent' | 'user' | 'prescripteur' | 'waitlist' | 'api_client';
export type LocationType = 'public_office' | 'phone' | 'home' | 'visio';
export type Visibility = 'visible_and_notified' | 'visible_and_not_notified' | 'invisible';

const MINUTE_MS = 60_000;

/** Waitlist offers are only useful for appointments far enough away (RDV-Solidarités: 7 days). */
export const WAITLIST_MIN_LEAD_MINUTES = 7 * 24 * 60;

/**
 * Whether a motif can be booked online by a usager (only `everyone`), by a usager who opened a
 * partner's invitation (also `agents_and_prescripteurs_and_invited_users`), or by a prescripteur
 * (`agents_and_prescripteurs*` and `everyone`).
 */
export function isBookableOnlineBy(bookableBy: BookableBy, booker: BookerType): boolean {
  switch (booker) {
    case 'user':
      return bookableBy === 'everyone';
    case 'invited_user':
      return bookableBy === 'everyone' || bookableBy === 'agents_and_prescripteurs_and_invited_users';
    case 'prescripteur':
      return bookableBy !== 'agents';
  }
}

export interface BookingWindow {
  readonly minBookingNoticeMinutes: number;
  readonly maxBookingNoticeMinutes: number;
}

/** The public booking window of the slot engine: now + min ≤ start ≤ now + max. */
export function isWithinBookingWindow(startsAt: Date, now: Date, window: BookingWindow): boolean {
  const lead = startsAt.getTime() - now.getTime();
  return lead >= window.minBookingNoticeMinutes * MINUTE_MS && lead <= window.maxBookingNoticeMinutes * MINUTE_MS;
}

/** True until `deadlineMinutes` before the start (inclusive). */
export function isBeforeDeadline(startsAt: Date, now: Date, deadlineMinutes: number): boolean {
  return now.getTime() <= startsAt.getTime() - deadlineMinutes * MINUTE_MS;
}

/** Whether a status ends the participation's life (cancelled by anyone). */
export function isCancelledStatus(status: AppointmentStatus): boolean {
  return status === 'excused' || status === 'revoked';
}

/** What the usager's side of an appointment looks like, for the rules below. */
export interface AppointmentFacts {
  readonly startsAt: Date;
  /** The appointment's own status (`revoked` when the service cancelled it). */
  readonly appointmentStatus: AppointmentStatus;
  /** The usager's participation status. */
  readonly participationStatus: AppointmentStatus;
  readonly isCollective: boolean;
  readonly createdByType: CreatedByType;
  readonly agentCount: number;
  readonly bookableBy: BookableBy;
  readonly locationType: LocationType;
  readonly cancelDeadlineMinutes: number;
  readonly rescheduleDeadlineMinutes: number;
}

export type CancelRefusal = 'ALREADY_CANCELLED' | 'STATUS_FINAL' | 'DEADLINE_PASSED';

export type RescheduleRefusal =
  | CancelRefusal
  | 'COLLECTIVE_APPOINTMENT'
  | 'NOT_BOOKABLE_ONLINE'
  | 'BOOKED_BY_AGENT'
  | 'JOINT_APPOINTMENT';

export type WaitlistRefusal = 'ALREADY_CANCELLED' | 'STATUS_FINAL' | 'COLLECTIVE_APPOINTMENT' | 'NOT_BOOKABLE_ONLINE' | 'HOME_VISIT' | 'TOO_SOON';

function statusRefusal(facts: AppointmentFacts): 'ALREADY_CANCELLED' | 'STATUS_FINAL' | null {
  if (isCancelledStatus(facts.appointmentStatus) || isCancelledStatus(facts.participationStatus)) return 'ALREADY_CANCELLED';
  // seen / noshow are set by the agent after the fact
  if (facts.participationStatus !== 'unknown' || facts.appointmentStatus !== 'unknown') return 'STATUS_FINAL';
  return null;
}

/** Why the usager may not cancel (their participation), or null: until the motif's cancel deadline. */
export function cancelRefusal(facts: AppointmentFacts, now: Date): CancelRefusal | null {
  const status = statusRefusal(facts);
  if (status !== null) return status;
  if (!isBeforeDeadline(facts.startsAt, now, facts.cancelDeadlineMinutes)) return 'DEADLINE_PASSED';
  return null;
}

/**
 * Why the usager may not move the appointment, or null. Like RDV-Solidarités: individual
 * appointments of a motif bookable online, not set by an agent (who chose the slot on purpose),
 * until the motif's reschedule deadline before the original start.
 */
export function rescheduleRefusal(facts: AppointmentFacts, now: Date): RescheduleRefusal | null {
  const status = statusRefusal(facts);
  if (status !== null) return status;
  if (facts.isCollective) return 'COLLECTIVE_APPOINTMENT';
  if (!isBookableOnlineBy(facts.bookableBy, 'user')) return 'NOT_BOOKABLE_ONLINE';
  if (facts.createdByType === 'agent') return 'BOOKED_BY_AGENT';
  if (facts.agentCount !== 1) return 'JOINT_APPOINTMENT';
  if (!isBeforeDeadline(facts.startsAt, now, facts.rescheduleDeadlineMinutes)) return 'DEADLINE_PASSED';
  return null;
}

/** Why the usager may not ask for an earlier slot, or null (individual, bookable online, not at home, ≥ 7 days away). */
export function waitlistRefusal(facts: AppointmentFacts, now: Date): WaitlistRefusal | null {
  const status = statusRefusal(facts);
  if (status !== null) return status;
  if (facts.isCollective) return 'COLLECTIVE_APPOINTMENT';
  if (!isBookableOnlineBy(facts.bookableBy, 'user')) return 'NOT_BOOKABLE_ONLINE';
  if (facts.locationType === 'home') return 'HOME_VISIT';
  if (!isBeforeDeadline(facts.startsAt, now, WAITLIST_MIN_LEAD_MINUTES)) return 'TOO_SOON';
  return null;
}

/** Notification flags of a new participation, from the motif's visibility. */
export function notificationFlagsFor(visibility: Visibility): { sendLifecycleNotifications: boolean; sendReminderNotification: boolean } {
  const notified = visibility === 'visible_and_notified';
  return { sendLifecycleNotifications: notified, sendReminderNotification: notified };
}

/** Whether `actorUserId` may act for `beneficiary`: themself, or their responsible (relatives). */
export function canActFor(actorUserId: number, beneficiary: { readonly id: number; readonly responsibleId: number | null }): boolean {
  return beneficiary.id === actorUserId || beneficiary.responsibleId === actorUserId;
}
