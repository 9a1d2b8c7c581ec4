/**
 * When a reminder goes out (issue 9 §5): `offset` minutes before the start (48 h by default, a
 * second one per motif if wanted), moved into the daytime window of the place’s zone
 * (09:00–20:00: nobody wants an SMS at 06:00 or at 23:00), never after the appointment has started.
 * A reminder whose moment has already passed when the appointment is booked is not sent: the
 * booking confirmation has just told the same thing.
 */
import { epochMinutesToLocal, localToEpochMinutes, dateToEpochMinutes, epochMinutesToDate } from '../../../shared/time/index.js';

export const DEFAULT_REMINDER_OFFSETS_MINUTES: readonly number[] = [48 * 60];
/** Local daytime window in which reminders are sent: [09:00, 20:00). */
export const DAYTIME_START_MINUTE = 9 * 60;
export const DAYTIME_END_MINUTE = 20 * 60;

/**
 * The instant to send a reminder planned `offsetMinutes` before `startsAt`, inside the daytime
 * window: too late in the evening → 19:59 the same evening (a little earlier); too early in the
 * morning → 09:00 the same morning (a little later, as RDV-Service-Public's "09:00 two days
 * before"), or 19:59 the evening before when 09:00 would already be the appointment's time.
 */
export function reminderInstant(startsAt: Date, offsetMinutes: number, timeZone: string): Date {
  const target = dateToEpochMinutes(startsAt) - offsetMinutes;
  const { dayNumber, minuteOfDay } = epochMinutesToLocal(timeZone, target);
  if (minuteOfDay >= DAYTIME_START_MINUTE && minuteOfDay < DAYTIME_END_MINUTE) return epochMinutesToDate(target);
  if (minuteOfDay >= DAYTIME_END_MINUTE) return epochMinutesToDate(localToEpochMinutes(timeZone, dayNumber, DAYTIME_END_MINUTE - 1));
  const morning = localToEpochMinutes(timeZone, dayNumber, DAYTIME_START_MINUTE);
  if (morning < dateToEpochMinutes(startsAt)) return epochMinutesToDate(morning);
  return epochMinutesToDate(localToEpochMinutes(timeZone, dayNumber - 1, DAYTIME_END_MINUTE - 1));
}

export interface PlannedReminder {
  readonly offsetMinutes: number;
  readonly sendAt: Date;
}

/**
 * The reminders of an appointment as it is now: one per offset whose moment is still ahead of
 * `now` (or, for the planning at booking time, not before `bookedAt`), the latest offsets first.
 */
export function plannedReminders(input: {
  readonly startsAt: Date;
  readonly timeZone: string;
  readonly offsetsMinutes: readonly number[];
  /** When the appointment took its current time (booking or move): reminders due before are skipped. */
  readonly since: Date;
}): PlannedReminder[] {
  const reminders: PlannedReminder[] = [];
  for (const offsetMinutes of [...new Set(input.offsetsMinutes)].sort((a, b) => b - a)) {
    const sendAt = reminderInstant(input.startsAt, offsetMinutes, input.timeZone);
    if (sendAt.getTime() < input.since.getTime() || sendAt.getTime() >= input.startsAt.getTime()) continue;
    reminders.push({ offsetMinutes, sendAt });
  }
  return reminders;
}

/** Whether `now` is inside the daytime window of the zone (a late reminder waits for the morning). */
export function isDaytime(now: Date, timeZone: string): boolean {
  const { minuteOfDay } = epochMinutesToLocal(timeZone, dateToEpochMinutes(now));
  return minuteOfDay >= DAYTIME_START_MINUTE && minuteOfDay < DAYTIME_END_MINUTE;
}

/** The next opening of the daytime window after `now` in the zone (now itself when inside). */
export function nextDaytime(now: Date, timeZone: string): Date {
  if (isDaytime(now, timeZone)) return now;
  const { dayNumber, minuteOfDay } = epochMinutesToLocal(timeZone, dateToEpochMinutes(now));
  const day = minuteOfDay >= DAYTIME_END_MINUTE ? dayNumber + 1 : dayNumber;
  return epochMinutesToDate(localToEpochMinutes(timeZone, day, DAYTIME_START_MINUTE));
}

/** Retry delays after transient failures: 1 min, 5 min, 15 min, 1 h, 3 h; then the message fails. */
export const RETRY_DELAYS_MINUTES: readonly number[] = [1, 5, 15, 60, 180];

/** When to try again after attempt number `attempts` failed transiently, or null to give up. */
export function nextAttemptAt(now: Date, attempts: number): Date | null {
  const delay = RETRY_DELAYS_MINUTES[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay * 60_000);
}
