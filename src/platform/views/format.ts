// French formatting of days and times for the funnel, in the zone of the place.
import { civilFromDayNumber, epochMinutesToLocal, weekdayOf, type DayNumber, type EpochMinutes } from '../../shared/time/index.js';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** "mardi 1er décembre 2026" */
export function formatDayLong(day: DayNumber): string {
  const { year, month, day: dayOfMonth } = civilFromDayNumber(day);
  const ordinal = dayOfMonth === 1 ? '1er' : String(dayOfMonth);
  return `${WEEKDAYS[weekdayOf(day)] ?? ''} ${ordinal} ${MONTHS[month - 1] ?? ''} ${String(year)}`;
}

/** "9h30" in the zone. */
export function formatTime(timeZone: string, at: EpochMinutes): string {
  const { minuteOfDay } = epochMinutesToLocal(timeZone, at);
  const minutes = minuteOfDay % 60;
  return `${String(Math.floor(minuteOfDay / 60))}h${minutes === 0 ? '00' : String(minutes).padStart(2, '0')}`;
}

/** "mardi 1er décembre 2026 à 9h30" in the slot's zone. */
export function formatSlotLong(slot: { startsAtEpochMinutes: EpochMinutes; timeZone: string }): string {
  const { dayNumber } = epochMinutesToLocal(slot.timeZone, slot.startsAtEpochMinutes);
  return `${formatDayLong(dayNumber)} à ${formatTime(slot.timeZone, slot.startsAtEpochMinutes)}`;
}
