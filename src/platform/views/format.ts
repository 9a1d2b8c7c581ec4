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
  const when = `${formatDayLong(dayNumber)} à ${formatTime(slot.timeZone, slot.startsAtEpochMinutes)}`;
  // Outside metropolitan France the zone is named with the time, wherever the time is shown.
  return slot.timeZone === 'Europe/Paris' ? when : `${when} (${zoneLabel(slot.timeZone)})`;
}

const ZONE_LABELS: Readonly<Record<string, string>> = {
  'Europe/Paris': 'heure de Paris',
  'Indian/Reunion': 'heure de La Réunion',
  'Indian/Mayotte': 'heure de Mayotte',
  'America/Guadeloupe': 'heure de la Guadeloupe',
  'America/Martinique': 'heure de la Martinique',
  'America/Cayenne': 'heure de Guyane',
  'America/Miquelon': 'heure de Saint-Pierre-et-Miquelon',
  'Pacific/Noumea': 'heure de Nouvelle-Calédonie',
  'Pacific/Tahiti': 'heure de Tahiti',
};

/** "heure de La Réunion": how a French reader names the zone of an appointment (never a raw IANA id). */
export function zoneLabel(timeZone: string): string {
  return ZONE_LABELS[timeZone] ?? 'heure locale du lieu de rendez-vous';
}
