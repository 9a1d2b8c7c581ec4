// The agent's personal calendar feed as RFC 5545 text: pure, no IO, `now` and zones as inputs.
//
// The feed's URL is a bearer secret that ends up in third-party calendar applications (and their
// servers): what an event says is what anyone holding the URL reads. So by default an appointment
// is "Rendez-vous" and where it happens, nothing of the usager; the agent may add the motif
// (which can be sensitive: RSA, child protection) and the participants' initials. Never a full
// name, a phone number, an e-mail or a usager's address, whatever the level.

import { dayNumberToIsoDate, isValidTimeZone, localDayOf, localToEpochMinutes, cachedOffsetMinutesAt, MINUTES_PER_DAY, type EpochMinutes } from '../../../shared/time/index.js';
import { describeLocation, escapeIcsText, foldIcsLine, formatIcsUtc, isCancelledStatus, type AppointmentStatus, type LocationType } from '../../appointments/index.js';
import { buildVtimezoneLines, formatIcsLocal } from '../../../shared/time/index.js';

/** What the events say of an appointment beyond "Rendez-vous" and the place. */
export type CalendarFeedDetailLevel = 'minimal' | 'motif' | 'initials' | 'motif_and_initials';

export const CALENDAR_FEED_DETAIL_LEVELS: readonly CalendarFeedDetailLevel[] = ['minimal', 'motif', 'initials', 'motif_and_initials'];

/** The level made of the two options of the form. */
export function detailLevelOf(options: { showsMotif: boolean; showsInitials: boolean }): CalendarFeedDetailLevel {
  if (options.showsMotif) return options.showsInitials ? 'motif_and_initials' : 'motif';
  return options.showsInitials ? 'initials' : 'minimal';
}

export function showsMotif(level: CalendarFeedDetailLevel): boolean {
  return level === 'motif' || level === 'motif_and_initials';
}

export function showsInitials(level: CalendarFeedDetailLevel): boolean {
  return level === 'initials' || level === 'motif_and_initials';
}

/** One event of the feed, decided: what it says and when, in which zone. */
export interface CalendarEvent {
  readonly uid: string;
  readonly sequence: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** IANA zone the times are written in (TZID); an unknown zone falls back to UTC. */
  readonly timeZone: string;
  readonly summary: string;
  readonly location: string | null;
  readonly description: string | null;
  readonly cancelled: boolean;
  /** Appointments are CLASS:PRIVATE (a hint to shared calendars); absences PUBLIC. */
  readonly isPrivate: boolean;
}

/** An appointment of the agent, as the feed needs it. */
export interface FeedAppointment {
  readonly publicId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly status: AppointmentStatus;
  readonly revision: number;
  readonly isCollective: boolean;
  readonly motifName: string;
  readonly locationType: LocationType;
  readonly place: { readonly name: string; readonly address: string } | null;
  /** Loaded only at the levels that show initials; empty otherwise. */
  readonly participants: readonly { readonly firstName: string; readonly lastName: string }[];
}

/** An absence occurrence of the agent. */
export interface FeedAbsenceOccurrence {
  readonly absenceId: number;
  readonly title: string;
  readonly timeZone: string;
  readonly startsAt: EpochMinutes;
  readonly endsAt: EpochMinutes;
}

const MAX_INITIALS_SHOWN = 3;

/** "C." for Camille, "M.-J." for Marie-Josée, "É." for Élodie: the first letter of each hyphenated part of the first word. */
function initialOf(name: string): string {
  const firstWord = name.trim().split(/\s+/)[0] ?? '';
  return firstWord
    .split('-')
    .filter((part) => part !== '')
    .map((part) => `${(Array.from(part)[0] ?? '').toLocaleUpperCase('fr-FR')}.`)
    .join('-');
}

/** "C. D." — a participant's initials, never more of their name. */
export function personInitials(person: { readonly firstName: string; readonly lastName: string }): string {
  return [initialOf(person.firstName), initialOf(person.lastName)].filter((part) => part !== '').join(' ');
}

function whereLabel(appointment: FeedAppointment): string | null {
  switch (appointment.locationType) {
    case 'public_office':
      return appointment.place?.name ?? null;
    case 'phone':
      return 'par téléphone';
    case 'visio':
      return 'en visioconférence';
    case 'home':
      // Never the usager's address: "à domicile" says enough to plan the day.
      return 'à domicile';
  }
}

/** The summary line of an appointment at a detail level (see the header for what is never shown). */
export function appointmentSummary(appointment: FeedAppointment, level: CalendarFeedDetailLevel): string {
  let summary = appointment.isCollective ? 'Rendez-vous collectif' : 'Rendez-vous';
  if (showsMotif(level)) summary += ` : ${appointment.motifName}`;
  const where = whereLabel(appointment);
  if (where !== null) summary += ` — ${where}`;
  if (showsInitials(level) && appointment.participants.length > 0) {
    const initials = appointment.participants.slice(0, MAX_INITIALS_SHOWN).map(personInitials);
    const others = appointment.participants.length - initials.length;
    summary += ` (${initials.join(', ')}${others > 0 ? ` et ${String(others)} autre${others > 1 ? 's' : ''}` : ''})`;
  }
  return isCancelledStatus(appointment.status) ? `Annulé — ${summary}` : summary;
}

/** The event of an appointment: UID from its public id, SEQUENCE from its revision. */
export function appointmentEvent(appointment: FeedAppointment, level: CalendarFeedDetailLevel, uidDomain: string): CalendarEvent {
  const cancelled = isCancelledStatus(appointment.status);
  return {
    uid: `rdv-${appointment.publicId}@${uidDomain}`,
    sequence: appointment.revision,
    startsAt: appointment.startsAt,
    endsAt: appointment.endsAt,
    timeZone: appointment.timeZone,
    summary: appointmentSummary(appointment, level),
    location: describeLocation(appointment.locationType, appointment.place),
    description: cancelled ? 'Ce rendez-vous est annulé.' : null,
    cancelled,
    isPrivate: true,
  };
}

/** The event of one absence occurrence: its UID names the absence and the local day it starts. */
export function absenceEvent(occurrence: FeedAbsenceOccurrence, uidDomain: string): CalendarEvent {
  const day = isValidTimeZone(occurrence.timeZone) ? localDayOf(occurrence.timeZone, occurrence.startsAt) : Math.floor(occurrence.startsAt / MINUTES_PER_DAY);
  return {
    uid: `absence-${String(occurrence.absenceId)}-${dayNumberToIsoDate(day).replaceAll('-', '')}@${uidDomain}`,
    sequence: 0,
    startsAt: new Date(occurrence.startsAt * 60_000),
    endsAt: new Date(occurrence.endsAt * 60_000),
    timeZone: occurrence.timeZone,
    summary: occurrence.title.trim() === '' ? 'Absence' : `Absence — ${occurrence.title.trim()}`,
    location: null,
    description: null,
    cancelled: false,
    isPrivate: false,
  };
}

/** Whether a wall time names one instant only: not the repeated hour of an autumn night. */
function isUnambiguousWallTime(timeZone: string, instant: EpochMinutes, local: number): boolean {
  // Offsets change by at most a few hours: the offsets three hours around cover both sides.
  for (const probe of [instant - 180, instant + 180]) {
    const offset = cachedOffsetMinutesAt(timeZone, probe);
    const other = local - offset;
    if (other !== instant && cachedOffsetMinutesAt(timeZone, other) === offset) return false;
  }
  return true;
}

/**
 * A DATE-TIME property in the event's zone (`DTSTART;TZID=Europe/Paris:20261124T100000`), or in
 * UTC when the zone is unknown, the instant is not on a whole minute, or its wall time is
 * ambiguous (02:30 of the autumn night happens twice: RFC 5545 §3.3.5 says the first is meant,
 * but clients differ — ical.js takes the second — so UTC leaves no doubt).
 */
export function dateTimeProperty(name: 'DTSTART' | 'DTEND', at: Date, timeZone: string): string {
  const milliseconds = at.getTime();
  if (isValidTimeZone(timeZone) && milliseconds % 60_000 === 0) {
    const instant = milliseconds / 60_000;
    const local = instant + cachedOffsetMinutesAt(timeZone, instant);
    const dayNumber = Math.floor(local / MINUTES_PER_DAY);
    if (localToEpochMinutes(timeZone, dayNumber, local - dayNumber * MINUTES_PER_DAY) === instant && isUnambiguousWallTime(timeZone, instant, local)) {
      return `${name};TZID=${timeZone}:${formatIcsLocal(local)}`;
    }
  }
  return `${name}:${formatIcsUtc(at)}`;
}

function eventLines(event: CalendarEvent, stampedAt: Date): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${formatIcsUtc(stampedAt)}`,
    `SEQUENCE:${String(event.sequence)}`,
    dateTimeProperty('DTSTART', event.startsAt, event.timeZone),
    dateTimeProperty('DTEND', event.endsAt, event.timeZone),
    `SUMMARY:${escapeIcsText(event.summary)}`,
    ...(event.location === null ? [] : [`LOCATION:${escapeIcsText(event.location)}`]),
    ...(event.description === null ? [] : [`DESCRIPTION:${escapeIcsText(event.description)}`]),
    `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    `TRANSP:${event.cancelled ? 'TRANSPARENT' : 'OPAQUE'}`,
    `CLASS:${event.isPrivate ? 'PRIVATE' : 'PUBLIC'}`,
    'END:VEVENT',
  ];
}

export interface CalendarFeedInput {
  /** X-WR-CALNAME: how calendar applications name the subscription. */
  readonly calendarName: string;
  readonly events: readonly CalendarEvent[];
  /** When the feed is produced (DTSTAMP of every event). */
  readonly stampedAt: Date;
}

/** The VCALENDAR text (CRLF line ends, lines folded at 75 octets) with one VTIMEZONE per zone used. */
export function buildCalendarFeed(input: CalendarFeedInput): string {
  const zones = [...new Set(input.events.map((event) => event.timeZone).filter(isValidTimeZone))].sort();
  const years = input.events.flatMap((event) => [event.startsAt.getUTCFullYear(), event.endsAt.getUTCFullYear()]);
  // One year on each side: a local time near New Year may fall in the neighbouring UTC year.
  const fromYear = Math.min(...years) - 1;
  const toYear = Math.max(...years) + 1;
  const sorted = [...input.events].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.uid < b.uid ? -1 : 1));
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Créneau//Agenda personnel//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(input.calendarName)}`,
    // Hints for subscribing applications; the route's Cache-Control says 5 minutes.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
    ...(sorted.length === 0 ? [] : zones.flatMap((zone) => buildVtimezoneLines(zone, fromYear, toYear))),
    ...sorted.flatMap((event) => eventLines(event, input.stampedAt)),
    'END:VCALENDAR',
  ];
  return lines.map(foldIcsLine).join('\r\n') + '\r\n';
}

/** The feed's window: from 30 days ago to 180 days ahead. */
export const FEED_DAYS_BEFORE = 30;
export const FEED_DAYS_AFTER = 180;

export function feedWindow(now: Date): { from: Date; to: Date } {
  const day = 86_400_000;
  return { from: new Date(now.getTime() - FEED_DAYS_BEFORE * day), to: new Date(now.getTime() + FEED_DAYS_AFTER * day) };
}
