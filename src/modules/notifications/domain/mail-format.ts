// Small pure helpers of the notification e-mails: French dates in the place's zone, HTML escaping,
// and the checks that keep hostile values (names, addresses, instructions, links) inert.
// Domain code may not import platform/views, hence the few lines repeated from format.ts/jsx.ts.

import { civilFromDayNumber, dateToEpochMinutes, epochMinutesToLocal, isValidTimeZone, weekdayOf } from '../../../shared/time/index.js';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** The zone of metropolitan France: the only one a French reader assumes without being told. */
export const HOME_TIME_ZONE = 'Europe/Paris';

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

/** "heure de La Réunion": how a French reader names the zone (never a raw IANA id). */
export function zoneLabel(timeZone: string): string {
  return ZONE_LABELS[timeZone] ?? 'heure locale du lieu de rendez-vous';
}

/** The zone used to show times: the facts' zone, or UTC when the runtime does not know it. */
export function displayZoneOf(timeZone: string): string {
  return isValidTimeZone(timeZone) ? timeZone : 'UTC';
}

/** "mardi 1er décembre 2026 à 9h30", followed by "(heure de La Réunion)" outside Europe/Paris. */
export function formatWhen(at: Date, timeZone: string): string {
  const zone = displayZoneOf(timeZone);
  const { dayNumber, minuteOfDay } = epochMinutesToLocal(zone, dateToEpochMinutes(at));
  const { year, month, day } = civilFromDayNumber(dayNumber);
  const minutes = minuteOfDay % 60;
  const time = `${String(Math.floor(minuteOfDay / 60))}h${String(minutes).padStart(2, '0')}`;
  const when = `${WEEKDAYS[weekdayOf(dayNumber)] ?? ''} ${day === 1 ? '1er' : String(day)} ${MONTHS[month - 1] ?? ''} ${String(year)} à ${time}`;
  if (zone === HOME_TIME_ZONE) return when;
  return `${when} (${zone === 'UTC' ? 'heure UTC' : zoneLabel(zone)})`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and (double-quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Escaped text whose line breaks become <br>: instructions and addresses keep their lines. */
export function escapeHtmlLines(text: string): string {
  return normaliseLineBreaks(text).split('\n').map(escapeHtml).join('<br>');
}

/** CRLF and CR as LF; other control characters (but tabs) removed: they have no place in a message. */
export function normaliseLineBreaks(text: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
}

/** One line of text: line breaks and control characters become spaces (names, titles). */
export function singleLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return text.replace(/[\u0000-\u001F\u007F\u2028\u2029]+/g, ' ').trim();
}

/**
 * The link when it is an absolute http(s) URL, else null: a link comes from the application, but a
 * `javascript:` or `data:` value must never become clickable whatever produced it.
 */
export function safeHttpUrl(link: string | null): string | null {
  if (link === null) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.href;
}

/** `tel:` URI of a French phone number as written for people ("01 23 45 67 89"), or null. */
export function telUri(phone: string): string | null {
  const digits = phone.replace(/[\s.\-()\u00A0\u202F]/g, '');
  return /^\+?\d{3,15}$/.test(digits) ? `tel:${digits}` : null;
}
