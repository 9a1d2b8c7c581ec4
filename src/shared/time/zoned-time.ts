// Conversion between wall-clock time in an IANA zone and UTC instants, using the runtime's tz
// database through Intl.DateTimeFormat (no date library). Instants are integer "epoch minutes"
// (minutes since 1970-01-01T00:00Z): every input of the product is minute-grained and integers
// keep the slot engine's hot loops cheap.
//
// DST policy (documented in src/modules/availability/README.md):
// - a local time that does not exist (spring-forward gap, 02:30 in Paris on the last Sunday of
//   March) moves forward by the length of the gap: 02:30 → 03:30 CEST = 01:30Z;
// - an ambiguous local time (autumn fall-back, 02:30 on the last Sunday of October) resolves to
//   its FIRST occurrence, i.e. the earlier instant, still in summer time: 02:30 CEST = 00:30Z.
//
// Offsets are cached per zone and local day: an ordinary day costs two Intl calls once, a
// transition day about a dozen more (binary search of the transition instant).

import {
  MINUTES_PER_DAY,
  civilFromDayNumber,
  dayNumberFromCivil,
  dayNumberToIsoDate,
  formatTimeOfDay,
  type DayNumber,
  type MinuteOfDay,
} from './calendar-date.js';

/** Minutes since 1970-01-01T00:00Z. */
export type EpochMinutes = number;

const MS_PER_MINUTE = 60_000;
// Offsets on Earth lie within [-12h, +14h]: a local day D covers UTC instants in
// [D·1440 − 14h, D·1440 + 1440 + 12h]. The window below encloses it.
const WINDOW_BEFORE_MINUTES = 14 * 60;
const WINDOW_AFTER_MINUTES = MINUTES_PER_DAY + 14 * 60;
const MAX_CACHED_DAYS_PER_ZONE = 100_000;

/** Offsets around one local day: before and after at most one transition. */
interface DayOffsets {
  readonly offsetBeforeMinutes: number;
  readonly offsetAfterMinutes: number;
  /** First instant using offsetAfter; +Infinity when the offset does not change. */
  readonly transitionAt: EpochMinutes;
}

interface ZoneCache {
  readonly formatter: Intl.DateTimeFormat;
  readonly days: Map<DayNumber, DayOffsets>;
}

const zoneCaches = new Map<string, ZoneCache>();
const validity = new Map<string, boolean>();

/** Whether the runtime knows this IANA time zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  const known = validity.get(timeZone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    valid = timeZone.length > 0;
  } catch {
    valid = false;
  }
  validity.set(timeZone, valid);
  return valid;
}

function zoneCache(timeZone: string): ZoneCache {
  let cache = zoneCaches.get(timeZone);
  if (cache === undefined) {
    cache = {
      formatter: new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      }),
      days: new Map(),
    };
    zoneCaches.set(timeZone, cache);
  }
  return cache;
}

function offsetFromFormatter(formatter: Intl.DateTimeFormat, at: EpochMinutes): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(at * MS_PER_MINUTE)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      // Not requested from the formatter, or separators: nothing to read.
      case 'literal':
      case 'second':
      case 'fractionalSecond':
      case 'weekday':
      case 'era':
      case 'dayPeriod':
      case 'timeZoneName':
      case 'unknown':
        break;
    }
  }
  return dayNumberFromCivil(year, month, day) * MINUTES_PER_DAY + hour * 60 + minute - at;
}

/** UTC offset in minutes (local − UTC) of a zone at an instant; uncached, prefer the day helpers. */
export function offsetMinutesAt(timeZone: string, at: EpochMinutes): number {
  return offsetFromFormatter(zoneCache(timeZone).formatter, at);
}

function dayOffsets(timeZone: string, dayNumber: DayNumber): DayOffsets {
  const cache = zoneCache(timeZone);
  const cached = cache.days.get(dayNumber);
  if (cached !== undefined) return cached;
  const windowStart = dayNumber * MINUTES_PER_DAY - WINDOW_BEFORE_MINUTES;
  const windowEnd = dayNumber * MINUTES_PER_DAY + WINDOW_AFTER_MINUTES;
  const offsetBeforeMinutes = offsetFromFormatter(cache.formatter, windowStart);
  const offsetAfterMinutes = offsetFromFormatter(cache.formatter, windowEnd);
  let transitionAt = Number.POSITIVE_INFINITY;
  if (offsetBeforeMinutes !== offsetAfterMinutes) {
    // Zones change offset at most once in 52 hours; find the first minute using the new offset.
    let low = windowStart;
    let high = windowEnd;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (offsetFromFormatter(cache.formatter, middle) === offsetBeforeMinutes) low = middle;
      else high = middle;
    }
    transitionAt = high;
  }
  const offsets: DayOffsets = { offsetBeforeMinutes, offsetAfterMinutes, transitionAt };
  // A long-lived process touches a few hundred days per zone; the cap only guards odd callers.
  if (cache.days.size >= MAX_CACHED_DAYS_PER_ZONE) cache.days.clear();
  cache.days.set(dayNumber, offsets);
  return offsets;
}

/** UTC instant of a local wall-clock time, applying the DST policy above (gap → forward, overlap → first). */
export function localToEpochMinutes(timeZone: string, dayNumber: DayNumber, minuteOfDay: MinuteOfDay): EpochMinutes {
  // Normalise 24:00 (and beyond) onto the following day so the right day's offsets are used.
  const extraDays = Math.floor(minuteOfDay / MINUTES_PER_DAY);
  const day = dayNumber + extraDays;
  const minute = minuteOfDay - extraDays * MINUTES_PER_DAY;
  const offsets = dayOffsets(timeZone, day);
  const wallClock = day * MINUTES_PER_DAY + minute;
  const withOffsetBefore = wallClock - offsets.offsetBeforeMinutes;
  if (withOffsetBefore < offsets.transitionAt) return withOffsetBefore; // also the first of two in an overlap
  const withOffsetAfter = wallClock - offsets.offsetAfterMinutes;
  if (withOffsetAfter >= offsets.transitionAt) return withOffsetAfter;
  // In the gap: keep the old offset, which lands the same distance past the transition.
  return withOffsetBefore;
}

/** UTC offset in minutes of a zone at an instant, served from the per-day cache. */
export function cachedOffsetMinutesAt(timeZone: string, at: EpochMinutes): number {
  const offsets = dayOffsets(timeZone, Math.floor(at / MINUTES_PER_DAY));
  return at < offsets.transitionAt ? offsets.offsetBeforeMinutes : offsets.offsetAfterMinutes;
}

/** Local calendar day and minute of day of an instant in a zone. */
export function epochMinutesToLocal(
  timeZone: string,
  at: EpochMinutes,
): { dayNumber: DayNumber; minuteOfDay: MinuteOfDay } {
  const local = at + cachedOffsetMinutesAt(timeZone, at);
  const dayNumber = Math.floor(local / MINUTES_PER_DAY);
  return { dayNumber, minuteOfDay: local - dayNumber * MINUTES_PER_DAY };
}

/** Local calendar day of an instant in a zone. */
export function localDayOf(timeZone: string, at: EpochMinutes): DayNumber {
  return Math.floor((at + cachedOffsetMinutesAt(timeZone, at)) / MINUTES_PER_DAY);
}

/** First instant of a local day (local midnight, or the end of a gap starting at midnight). */
export function startOfLocalDay(timeZone: string, dayNumber: DayNumber): EpochMinutes {
  return localToEpochMinutes(timeZone, dayNumber, 0);
}

/** Formats an instant as local 'YYYY-MM-DDTHH:MM' in a zone (tests, logs, display helpers). */
export function formatLocalDateTime(timeZone: string, at: EpochMinutes): string {
  const { dayNumber, minuteOfDay } = epochMinutesToLocal(timeZone, at);
  return `${dayNumberToIsoDate(dayNumber)}T${formatTimeOfDay(minuteOfDay)}`;
}

/** Epoch minutes of a Date, rounded down to the minute. */
export function dateToEpochMinutes(date: Date): EpochMinutes {
  return Math.floor(date.getTime() / MS_PER_MINUTE);
}

/** Epoch minutes of a Date, rounded up to the minute (for the end of a busy range). */
export function dateToEpochMinutesCeil(date: Date): EpochMinutes {
  return Math.ceil(date.getTime() / MS_PER_MINUTE);
}

/** Date of an instant in epoch minutes. */
export function epochMinutesToDate(at: EpochMinutes): Date {
  return new Date(at * MS_PER_MINUTE);
}

/** ISO 8601 UTC string ('2025-03-30T06:00:00.000Z') of an instant in epoch minutes. */
export function epochMinutesToIso(at: EpochMinutes): string {
  return new Date(at * MS_PER_MINUTE).toISOString();
}

/** Epoch minutes of an ISO 8601 instant with offset or Z; null when unparsable. */
export function isoToEpochMinutes(iso: string): EpochMinutes | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : Math.floor(ms / MS_PER_MINUTE);
}

/** Local wall-clock fields of an instant (year, month 1..12, day, minuteOfDay) in a zone. */
export function localFieldsOf(
  timeZone: string,
  at: EpochMinutes,
): { year: number; month: number; day: number; minuteOfDay: MinuteOfDay } {
  const { dayNumber, minuteOfDay } = epochMinutesToLocal(timeZone, at);
  return { ...civilFromDayNumber(dayNumber), minuteOfDay };
}
