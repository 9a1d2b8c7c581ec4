// RFC 5545 calendar file of one appointment, attached to e-mails and offered after booking.
// The title never names the motif: it can reveal health or family matters to whoever sees the
// calendar (PRODUCT.md, "The motif can reveal sensitive information").

import type { LocationType } from './booking-rules.js';

export interface AppointmentIcsInput {
  /** The appointment's public id; the UID is `<publicId>@<uidDomain>` so updates replace the event. */
  readonly publicId: string;
  /** Host name of the instance (e.g. `rdv.example.fr`). */
  readonly uidDomain: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly organisationName: string;
  /** From `describeLocation`; null leaves LOCATION out. */
  readonly location: string | null;
  /** CANCEL method and STATUS:CANCELLED for a cancelled appointment. */
  readonly cancelled: boolean;
  /** Increases with each change of the appointment (RFC 5545 §3.8.7.4). */
  readonly sequence: number;
  /** When the file is produced (DTSTAMP). */
  readonly stampedAt: Date;
  /** Optional free text; the caller keeps the motif out of it. */
  readonly description?: string | null;
}

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;
const utf8 = new TextEncoder();

/** Where the appointment happens, in words safe to show in a calendar. */
export function describeLocation(locationType: LocationType, place: { readonly name: string; readonly address: string } | null): string | null {
  switch (locationType) {
    case 'public_office':
      // The place's name first: an address alone does not say which door to knock at.
      return place === null ? null : [place.name, place.address].filter((part) => part !== '').join(', ');
    case 'phone':
      return 'Par téléphone';
    case 'visio':
      return 'En visioconférence';
    case 'home':
      return 'À domicile';
  }
}

/** 20261124T090000Z */
export function formatIcsUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, line breaks. */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): CRLF then one space, never inside a UTF-8
 * character. The space opening a continuation line counts in its 75 octets.
 */
export function foldIcsLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const character of line) {
    const size = utf8.encode(character).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** The VCALENDAR text (CRLF line ends, folded lines) of one appointment. */
export function buildAppointmentIcs(input: AppointmentIcsInput): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Créneau//Rendez-vous//FR',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.cancelled ? 'CANCEL' : 'PUBLISH'}`,
    'BEGIN:VEVENT',
    `UID:${input.publicId}@${input.uidDomain}`,
    `DTSTAMP:${formatIcsUtc(input.stampedAt)}`,
    `SEQUENCE:${String(input.sequence)}`,
    `DTSTART:${formatIcsUtc(input.startsAt)}`,
    `DTEND:${formatIcsUtc(input.endsAt)}`,
    `SUMMARY:${escapeIcsText(`Rendez-vous – ${input.organisationName}`)}`,
    ...(input.location === null ? [] : [`LOCATION:${escapeIcsText(input.location)}`]),
    ...(input.description === undefined || input.description === null ? [] : [`DESCRIPTION:${escapeIcsText(input.description)}`]),
    `STATUS:${input.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldIcsLine).join(CRLF) + CRLF;
}
