// The calendar invitation (RFC 5545 + iTIP, RFC 5546) attached to appointment e-mails.
//
// - METHOD:REQUEST for created / updated / reminder, METHOD:CANCEL (+ STATUS:CANCELLED) for
//   cancelled, none for a waitlist offer (nothing is booked yet).
// - UID `<publicId>@<uidDomain>` and SEQUENCE = the appointment's revision counter, so that a
//   calendar replaces the event it already holds instead of adding a second one. The pipeline
//   must raise the counter on every change, cancellation included (RFC 5546 §2.1.4).
// - Times in the wall clock of the place (DTSTART;TZID=…) with the VTIMEZONE of that zone for the
//   years around the appointment, so a phone set to another zone still shows the right instant.
//   An unknown zone falls back to UTC times (…Z) without VTIMEZONE.
// - The title is "Rendez-vous – <organisation>", never the motif (PRODUCT.md); neither the
//   description nor the location names it either, and the usager's token link is left out: a
//   calendar syncs to third-party servers, the link stays in the e-mail.
// - RFC 5546 §3.2.2 requires ORGANIZER and at least one ATTENDEE in a REQUEST (§3.2.5: ORGANIZER in
//   a CANCEL). ORGANIZER is a no-reply address named after the organisation (it absorbs the
//   "Accepted:" answers some clients send anyway); the one ATTENDEE is the mailbox the e-mail goes
//   to — nobody else's address, no name — with RSVP=FALSE and PARTSTAT=ACCEPTED: the appointment is
//   booked, no answer is expected. That address is already the message's recipient, so the file
//   reveals nothing the envelope does not; clients (Outlook, Gmail) need it to tie the invitation
//   to the mailbox and offer "add to calendar".

import { cachedOffsetMinutesAt, dateToEpochMinutes, isValidTimeZone } from '../../../shared/time/index.js';
import { describeLocation, escapeIcsText, foldIcsLine, formatIcsUtc } from '../../appointments/index.js';
import { normaliseLineBreaks, singleLine } from './mail-format.js';
import type { AppointmentEvent, AppointmentMessageFacts } from './message-facts.js';
import { buildVtimezoneLines, formatIcsLocal } from '../../../shared/time/index.js';

export type NotificationIcsMethod = 'REQUEST' | 'CANCEL';

export interface NotificationIcsOptions {
  /** DTSTAMP: when the message is produced. */
  readonly stampedAt: Date;
  /** ORGANIZER's address: a no-reply mailbox of the instance or the territory (e.g. ne-pas-repondre@…). */
  readonly organizerAddress: string;
  /** The one ATTENDEE: the address the e-mail is sent to. */
  readonly attendeeAddress: string;
}

export interface NotificationIcs {
  readonly method: NotificationIcsMethod;
  readonly content: string;
}

const CRLF = '\r\n';
// The mailer's own check (platform/mailer assertSendable): one bare address, nothing that could
// end a parameter or a line.
const ADDRESS_PATTERN = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;

/** The iTIP method of an event's invitation, or null when the event carries no calendar. */
export function icsMethodOf(event: AppointmentEvent): NotificationIcsMethod | null {
  switch (event) {
    case 'appointment_created':
    case 'appointment_updated':
    case 'reminder':
      return 'REQUEST';
    case 'appointment_cancelled':
      return 'CANCEL';
    case 'waitlist_offer':
      return null;
  }
}

/** A quoted parameter value (RFC 5545 §3.2): one line, no DQUOTE (it would close the quotes). */
function quotedParameter(value: string): string {
  return `"${singleLine(value).replace(/"/g, "'")}"`;
}

function mailto(address: string, role: string): string {
  // Thrown only on a programming error (the pipeline validates addresses); no address in the message.
  if (!ADDRESS_PATTERN.test(address)) throw new Error(`Adresse ${role} invalide pour le fichier ICS`);
  return `mailto:${address}`;
}

/** DTSTART/DTEND line: wall-clock time with TZID, or UTC when the zone is unknown. */
function dateTimeLine(name: 'DTSTART' | 'DTEND', at: Date, timeZone: string | null): string {
  if (timeZone === null) return `${name}:${formatIcsUtc(at)}`;
  const epochMinutes = dateToEpochMinutes(at);
  return `${name};TZID=${timeZone}:${formatIcsLocal(epochMinutes + cachedOffsetMinutesAt(timeZone, epochMinutes))}`;
}

function descriptionOf(facts: AppointmentMessageFacts): string {
  const lines: string[] = [];
  if (facts.event === 'appointment_cancelled') lines.push('Ce rendez-vous est annulé.');
  if (facts.audience === 'agent') {
    if (facts.link !== null) lines.push(`Espace agent : ${facts.link}`);
  } else {
    lines.push('Pour voir, déplacer ou annuler ce rendez-vous, utilisez le lien de l’e-mail.');
    if (facts.organisationPhone !== null) lines.push(`Téléphone : ${singleLine(facts.organisationPhone)}`);
  }
  return normaliseLineBreaks(lines.join('\n'));
}

/**
 * The invitation of one message (CRLF lines, folded at 75 octets), or null for a waitlist offer.
 * Pure: every input is in the facts and options.
 */
export function buildNotificationIcs(facts: AppointmentMessageFacts, options: NotificationIcsOptions): NotificationIcs | null {
  const method = icsMethodOf(facts.event);
  if (method === null) return null;
  const timeZone = isValidTimeZone(facts.timeZone) ? facts.timeZone : null;
  const cancelled = method === 'CANCEL';
  const location = describeLocation(facts.locationType, facts.place === null ? null : { name: singleLine(facts.place.name), address: singleLine(facts.place.address) });
  // The years before and of the appointment: the first observance starts before the event.
  const vtimezone = timeZone === null ? [] : buildVtimezoneLines(timeZone, facts.startsAt.getUTCFullYear() - 1, facts.endsAt.getUTCFullYear());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Créneau//Notifications//FR',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    ...vtimezone,
    'BEGIN:VEVENT',
    `UID:${facts.publicId}@${facts.uidDomain}`,
    `DTSTAMP:${formatIcsUtc(options.stampedAt)}`,
    `SEQUENCE:${String(facts.sequence)}`,
    dateTimeLine('DTSTART', facts.startsAt, timeZone),
    dateTimeLine('DTEND', facts.endsAt, timeZone),
    `SUMMARY:${escapeIcsText(`Rendez-vous – ${singleLine(facts.organisationName)}`)}`,
    ...(location === null ? [] : [`LOCATION:${escapeIcsText(location)}`]),
    `DESCRIPTION:${escapeIcsText(descriptionOf(facts))}`,
    `ORGANIZER;CN=${quotedParameter(facts.organisationName)}:${mailto(options.organizerAddress, 'd’organisateur')}`,
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:${mailto(options.attendeeAddress, 'de participant')}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    `TRANSP:${cancelled ? 'TRANSPARENT' : 'OPAQUE'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return { method, content: lines.map(foldIcsLine).join(CRLF) + CRLF };
}
