// Use cases of the agents' personal calendar feeds: issue (or regenerate), revoke, show, and
// render the feed of a token. The token is the only credential of the feed's URL: 32 random bytes
// in base64url, shown once; only its SHA-256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { MINUTES_PER_DAY, dateToEpochMinutes, dayNumberToIsoDate, isValidTimeZone } from '../../shared/time/index.js';
import { expandAbsence } from '../availability/index.js';
import {
  findActiveFeed,
  findFeedAbsences,
  findFeedAppointments,
  findFeedOwner,
  findParticipantNames,
  replaceActiveFeed,
  revokeActiveFeed,
  touchFeed,
  type ActiveFeed,
  type FeedAbsenceRow,
} from './agent-calendar-feed.repository.js';
import {
  absenceEvent,
  appointmentEvent,
  buildCalendarFeed,
  feedWindow,
  showsInitials,
  type CalendarEvent,
  type CalendarFeedDetailLevel,
} from './domain/calendar-feed.js';

/** A feed token: 43 characters of base64url (256 bits). */
export const FEED_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** SHA-256 (hex) of a feed token: what the table stores and what a request is looked up by. */
export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Creates the agent's feed, revoking the one they had (regenerate): the returned token is shown
 * once and never stored.
 */
export async function issueCalendarFeed(db: Kysely<Database>, request: { agentId: number; detailLevel: CalendarFeedDetailLevel; now: Date }): Promise<{ token: string }> {
  const token = randomBytes(32).toString('base64url');
  await db.transaction().execute((trx) => replaceActiveFeed(trx, { agentId: request.agentId, tokenHash: hashFeedToken(token), detailLevel: request.detailLevel, now: request.now }));
  return { token };
}

/** Revokes the agent's feed: its URL answers 404 from now on. Whether there was one. */
export async function revokeCalendarFeed(db: Kysely<Database>, request: { agentId: number; now: Date }): Promise<boolean> {
  return revokeActiveFeed(db, request.agentId, request.now);
}

/** The agent's active feed (creation date, last use, detail level), if any. */
export async function getCalendarFeedStatus(db: Kysely<Database>, agentId: number): Promise<ActiveFeed | undefined> {
  return findActiveFeed(db, agentId);
}

function absenceOccurrences(absence: FeedAbsenceRow, from: number, to: number): { startsAt: number; endsAt: number; timeZone: string }[] {
  const timeZone = isValidTimeZone(absence.timeZone) ? absence.timeZone : 'UTC';
  const pairs: number[] = [];
  // Local days around the window in any zone on Earth; occurrences are then cut to the window.
  expandAbsence({ ...absence, timeZone }, Math.floor(from / MINUTES_PER_DAY) - 2, Math.floor(to / MINUTES_PER_DAY) + 2, pairs);
  const occurrences: { startsAt: number; endsAt: number; timeZone: string }[] = [];
  for (let index = 0; index + 1 < pairs.length; index += 2) {
    const startsAt = pairs[index] ?? 0;
    const endsAt = pairs[index + 1] ?? 0;
    if (startsAt < to && endsAt > from) occurrences.push({ startsAt, endsAt, timeZone });
  }
  return occurrences;
}

/**
 * The feed of a token (RFC 5545 text), or undefined for an unknown or revoked token, or an agent
 * who was deleted or may no longer sign in. The token is hashed before anything is looked up.
 * Records the use at most once an hour.
 */
export async function renderCalendarFeed(db: Kysely<Database>, request: { token: string; uidDomain: string; now: Date }): Promise<string | undefined> {
  const owner = await findFeedOwner(db, hashFeedToken(request.token));
  if (owner === undefined) return undefined;
  const window = feedWindow(request.now);
  const from = dateToEpochMinutes(window.from);
  const to = dateToEpochMinutes(window.to);
  const [appointments, absences] = await Promise.all([
    findFeedAppointments(db, { agentId: owner.agentId, from: window.from, to: window.to }),
    findFeedAbsences(db, {
      agentId: owner.agentId,
      fromDay: dayNumberToIsoDate(Math.floor(from / MINUTES_PER_DAY) - 2),
      toDay: dayNumberToIsoDate(Math.floor(to / MINUTES_PER_DAY) + 2),
    }),
  ]);
  // Participants' names are read only at the levels that show their initials.
  const participants = showsInitials(owner.detailLevel) ? await findParticipantNames(db, appointments.map((appointment) => appointment.id)) : new Map<number, never[]>();
  const events: CalendarEvent[] = [
    ...appointments.map((appointment) => appointmentEvent({ ...appointment, participants: participants.get(appointment.id) ?? [] }, owner.detailLevel, request.uidDomain)),
    ...absences.flatMap((absence) =>
      absenceOccurrences(absence, from, to).map((occurrence) => absenceEvent({ absenceId: absence.id, title: absence.title, ...occurrence }, request.uidDomain)),
    ),
  ];
  await touchFeed(db, owner.feedId, request.now);
  return buildCalendarFeed({ calendarName: `Créneau — ${owner.firstName} ${owner.lastName}`, events, stampedAt: request.now });
}
