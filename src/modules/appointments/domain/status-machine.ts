// The status machine of appointments and participations (the same five statuses on both). One
// table says which change is allowed from which status, and by whom; the commands ask it before
// writing. RDV-Solidarités' vocabulary: `excused` = cancelled by (or for) the usager, `revoked` =
// cancelled by the service, `seen` / `noshow` = set by the agent once the appointment has begun,
// `unknown` = upcoming, or past and still "à renseigner".
import type { AppointmentStatus } from './booking-rules.js';

/** Who asks for the change: the usager (or a prescripteur, or their link) or the service. */
export type StatusChanger = 'usager' | 'service';

export type StatusChangeRefusal =
  /** The change is not an edge of the machine (e.g. seen → excused without going back to unknown). */
  | 'TRANSITION_NOT_ALLOWED'
  /** A usager may only cancel (→ excused); everything else is the service's. */
  | 'NOT_ALLOWED_FOR_USAGER'
  /** seen / noshow describe what happened: not before the appointment has begun. */
  | 'NOT_STARTED_YET'
  /** Already in that status. */
  | 'UNCHANGED';

/** The edges of the machine: from → allowed targets. `unknown` is the way back from every status. */
export const STATUS_TRANSITIONS: Readonly<Record<AppointmentStatus, readonly AppointmentStatus[]>> = {
  unknown: ['seen', 'noshow', 'excused', 'revoked'],
  seen: ['unknown', 'noshow'],
  noshow: ['unknown', 'seen'],
  excused: ['unknown'],
  revoked: ['unknown'],
};

/**
 * Whether `changer` may move a status from `from` to `to` at `now` for an appointment that starts
 * at `startsAt`: null when allowed, else the reason. Deadlines for usagers (cancel until N hours
 * before) are the booking rules' concern (`cancelRefusal`), checked before this.
 */
export function statusChangeRefusal(change: {
  readonly from: AppointmentStatus;
  readonly to: AppointmentStatus;
  readonly changer: StatusChanger;
  readonly startsAt: Date;
  readonly now: Date;
}): StatusChangeRefusal | null {
  if (change.from === change.to) return 'UNCHANGED';
  if (!STATUS_TRANSITIONS[change.from].includes(change.to)) return 'TRANSITION_NOT_ALLOWED';
  if (change.changer === 'usager' && change.to !== 'excused') return 'NOT_ALLOWED_FOR_USAGER';
  if ((change.to === 'seen' || change.to === 'noshow') && change.now.getTime() < change.startsAt.getTime()) return 'NOT_STARTED_YET';
  return null;
}

/** `cancelled_at` goes with the cancelled statuses (constraint appointment_cancellation_matches_status). */
export function cancelledAtFor(status: AppointmentStatus, now: Date): Date | null {
  return status === 'excused' || status === 'revoked' ? now : null;
}
