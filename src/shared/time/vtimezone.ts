// VTIMEZONE components (RFC 5545 §3.6.5) built from the runtime's tz database, so that events can
// be written in the wall-clock time of their place (DTSTART;TZID=Europe/Paris:…) and calendar
// applications show them right whatever zone the agent's phone is in.
//
// The zone's offset changes are found by scanning the years around the feed's window. When they
// follow one yearly rule (Europe/Paris: last Sunday of March 02:00 → +02:00, last Sunday of
// October 03:00 → +01:00) the component states it as an RRULE, the form every client reads;
// otherwise each change is written as its own observance. A zone without changes
// (Indian/Reunion) has a single STANDARD observance.

import { MINUTES_PER_DAY, civilFromDayNumber, dayNumberFromCivil, daysInMonth, weekdayOf } from './calendar-date.js';
import { offsetMinutesAt, type EpochMinutes } from './zoned-time.js';

const RFC_WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** One change of a zone's offset: the first instant with `offsetToMinutes`. */
export interface OffsetTransition {
  readonly at: EpochMinutes;
  readonly offsetFromMinutes: number;
  readonly offsetToMinutes: number;
}

/** "+0200", "-0330" (RFC 5545 UTC-OFFSET). */
export function formatUtcOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}${String(absolute % 60).padStart(2, '0')}`;
}

/** "UTC+2", "UTC-3:30": a name for the observance (TZNAME is free text). */
function offsetName(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const minutes = absolute % 60;
  return `UTC${sign}${String(Math.floor(absolute / 60))}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

/** A local wall-clock time as an ICS DATE-TIME without zone: 20260329T020000. */
export function formatIcsLocal(localMinutes: number): string {
  const dayNumber = Math.floor(localMinutes / MINUTES_PER_DAY);
  const minuteOfDay = localMinutes - dayNumber * MINUTES_PER_DAY;
  const { year, month, day } = civilFromDayNumber(dayNumber);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(year, 4)}${pad(month)}${pad(day)}T${pad(Math.floor(minuteOfDay / 60))}${pad(minuteOfDay % 60)}00`;
}

/** Every offset change of the zone from 1 January of `fromYear` to 1 January of `toYear + 1` (UTC). */
export function findOffsetTransitions(timeZone: string, fromYear: number, toYear: number): OffsetTransition[] {
  const start = dayNumberFromCivil(fromYear, 1, 1) * MINUTES_PER_DAY;
  const end = dayNumberFromCivil(toYear + 1, 1, 1) * MINUTES_PER_DAY;
  const transitions: OffsetTransition[] = [];
  let previousAt = start;
  let previousOffset = offsetMinutesAt(timeZone, start);
  // Zones change offset at most once a day: scan day by day, then find the minute by bisection.
  for (let at = start + MINUTES_PER_DAY; at <= end; at += MINUTES_PER_DAY) {
    const offset = offsetMinutesAt(timeZone, at);
    if (offset !== previousOffset) {
      let low = previousAt;
      let high = at;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetMinutesAt(timeZone, middle) === previousOffset) low = middle;
        else high = middle;
      }
      transitions.push({ at: high, offsetFromMinutes: previousOffset, offsetToMinutes: offset });
    }
    previousAt = at;
    previousOffset = offset;
  }
  return transitions;
}

/** The yearly rule a transition follows: month, weekday, which one in the month, local time. */
interface YearlyRule {
  readonly month: number;
  /** 1..4, or -1 for the last such weekday of the month. */
  readonly ordinal: number;
  readonly weekday: number;
  readonly localMinuteOfDay: number;
  readonly offsetFromMinutes: number;
  readonly offsetToMinutes: number;
}

/** The wall-clock time of a transition, read with the offset in force before it (RFC 5545 §3.6.5). */
function localStartOf(transition: OffsetTransition): number {
  return transition.at + transition.offsetFromMinutes;
}

function ruleOf(transition: OffsetTransition): YearlyRule {
  const local = localStartOf(transition);
  const dayNumber = Math.floor(local / MINUTES_PER_DAY);
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return {
    month,
    ordinal: day + 7 > daysInMonth(year, month) ? -1 : Math.ceil(day / 7),
    weekday: weekdayOf(dayNumber),
    localMinuteOfDay: local - dayNumber * MINUTES_PER_DAY,
    offsetFromMinutes: transition.offsetFromMinutes,
    offsetToMinutes: transition.offsetToMinutes,
  };
}

function sameRule(a: YearlyRule, b: YearlyRule): boolean {
  return (
    a.month === b.month &&
    a.ordinal === b.ordinal &&
    a.weekday === b.weekday &&
    a.localMinuteOfDay === b.localMinuteOfDay &&
    a.offsetFromMinutes === b.offsetFromMinutes &&
    a.offsetToMinutes === b.offsetToMinutes
  );
}

/** The two yearly rules of a zone with regular summer time, or null when its changes are irregular. */
function yearlyRules(transitions: readonly OffsetTransition[], yearCount: number): { daylight: OffsetTransition; standard: OffsetTransition } | null {
  if (transitions.length !== 2 * yearCount) return null;
  const daylight = transitions.filter((transition) => transition.offsetToMinutes > transition.offsetFromMinutes);
  const standard = transitions.filter((transition) => transition.offsetToMinutes < transition.offsetFromMinutes);
  const firstDaylight = daylight[0];
  const firstStandard = standard[0];
  if (firstDaylight === undefined || firstStandard === undefined || daylight.length !== yearCount || standard.length !== yearCount) return null;
  const daylightRule = ruleOf(firstDaylight);
  const standardRule = ruleOf(firstStandard);
  const regular = daylight.every((transition) => sameRule(ruleOf(transition), daylightRule)) && standard.every((transition) => sameRule(ruleOf(transition), standardRule));
  return regular ? { daylight: firstDaylight, standard: firstStandard } : null;
}

function observance(kind: 'STANDARD' | 'DAYLIGHT', transition: OffsetTransition, rrule: string | null): string[] {
  return [
    `BEGIN:${kind}`,
    `DTSTART:${formatIcsLocal(localStartOf(transition))}`,
    ...(rrule === null ? [] : [`RRULE:${rrule}`]),
    `TZOFFSETFROM:${formatUtcOffset(transition.offsetFromMinutes)}`,
    `TZOFFSETTO:${formatUtcOffset(transition.offsetToMinutes)}`,
    `TZNAME:${offsetName(transition.offsetToMinutes)}`,
    `END:${kind}`,
  ];
}

function yearlyRrule(transition: OffsetTransition): string {
  const rule = ruleOf(transition);
  return `FREQ=YEARLY;BYMONTH=${String(rule.month)};BYDAY=${String(rule.ordinal)}${RFC_WEEKDAYS[rule.weekday] ?? 'SU'}`;
}

const cache = new Map<string, readonly string[]>();

/**
 * The unfolded content lines of the VTIMEZONE of a zone, valid for instants from 1 January of
 * `fromYear` to the end of `toYear`. Memoised per zone and years (the tz database does not change
 * while the process runs).
 */
export function buildVtimezoneLines(timeZone: string, fromYear: number, toYear: number): readonly string[] {
  const key = `${timeZone} ${String(fromYear)} ${String(toYear)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const transitions = findOffsetTransitions(timeZone, fromYear, toYear);
  const start = dayNumberFromCivil(fromYear, 1, 1) * MINUTES_PER_DAY;
  const initialOffset = offsetMinutesAt(timeZone, start);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`, `X-LIC-LOCATION:${timeZone}`];
  const rules = yearlyRules(transitions, toYear - fromYear + 1);
  if (transitions.length === 0) {
    // No change in the years the feed covers: one observance from the first of them.
    lines.push(...observance('STANDARD', { at: start - initialOffset, offsetFromMinutes: initialOffset, offsetToMinutes: initialOffset }, null));
  } else if (rules !== null) {
    lines.push(...observance('DAYLIGHT', rules.daylight, yearlyRrule(rules.daylight)), ...observance('STANDARD', rules.standard, yearlyRrule(rules.standard)));
  } else {
    // Irregular changes: the offset at the start, then every change as its own observance.
    lines.push(...observance('STANDARD', { at: start - initialOffset, offsetFromMinutes: initialOffset, offsetToMinutes: initialOffset }, null));
    for (const transition of transitions) {
      lines.push(...observance(transition.offsetToMinutes > transition.offsetFromMinutes ? 'DAYLIGHT' : 'STANDARD', transition, null));
    }
  }
  lines.push('END:VTIMEZONE');
  if (cache.size > 200) cache.clear();
  cache.set(key, lines);
  return lines;
}
