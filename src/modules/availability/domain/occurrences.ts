// Expansion of opening periods and absences into concrete instants, in the local wall-clock time
// of their zone, then converted to epoch minutes (DST policy: src/shared/time/zoned-time.ts).

import {
  MINUTES_PER_DAY,
  civilFromDayNumber,
  localToEpochMinutes,
  parseIsoDate,
  parseTimeOfDay,
  type DayNumber,
  type EpochMinutes,
  type MinuteOfDay,
} from '../../../shared/time/index.js';
import type { Absence, OpeningPeriod, OrganisationCalendar } from './availability.types.js';
import { closedHolidayDays, isLocalClosureDay } from './holidays.js';
import { compileRecurrenceText, nextOccurrenceDay, type CompiledRecurrence } from './recurrence.js';

/** One concrete opening of an agent: [startsAt, endsAt) at a place. */
export interface Occurrence {
  readonly day: DayNumber;
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  readonly placeId: number | null;
}

interface PreparedOverride {
  readonly startMinute: MinuteOfDay;
  readonly endMinute: MinuteOfDay;
  readonly placeId: number | null;
}

/** An opening period parsed once per search. */
export interface PreparedPeriod {
  readonly period: OpeningPeriod;
  readonly firstDay: DayNumber;
  /** Last possible occurrence day (lastDay, UNTIL, COUNT); +Infinity when open-ended. */
  readonly lastDay: DayNumber;
  readonly recurrence: CompiledRecurrence | null;
  readonly startMinute: MinuteOfDay;
  readonly endMinute: MinuteOfDay;
  readonly excludedDays: ReadonlySet<DayNumber> | null;
  readonly overrides: ReadonlyMap<DayNumber, PreparedOverride> | null;
  /** Some occurrence is moved to another place: the period's place is not the same everywhere. */
  readonly movesPlace: boolean;
}

/** Closes organisations on their public holidays and their territory's local closures (whole local days), per organisation and year. */
export class HolidayClosures {
  private readonly organisations = new Map<number, OrganisationCalendar>();
  private readonly closedByOrganisationYear = new Map<number, Map<number, ReadonlySet<DayNumber>>>();

  constructor(organisations: readonly OrganisationCalendar[]) {
    for (const organisation of organisations) this.organisations.set(organisation.id, organisation);
  }

  /** Whether an organisation is closed on a local day because of a public holiday or a local closure. */
  isClosed(organisationId: number, dayNumber: DayNumber): boolean {
    const organisation = this.organisations.get(organisationId);
    // An organisation the caller did not describe has no known territory, hence no holidays.
    if (organisation === undefined) return false;
    if (organisation.closures !== undefined && isLocalClosureDay(organisation.closures, dayNumber)) return true;
    const year = civilFromDayNumber(dayNumber).year;
    let byYear = this.closedByOrganisationYear.get(organisationId);
    if (byYear === undefined) {
      byYear = new Map();
      this.closedByOrganisationYear.set(organisationId, byYear);
    }
    let closed = byYear.get(year);
    if (closed === undefined) {
      closed = closedHolidayDays(organisation, year);
      byYear.set(year, closed);
    }
    return closed.has(dayNumber);
  }
}

// Stored rows repeat the same few dates and times thousands of times per search: memoising
// their parsing makes preparing 2 000 periods several times cheaper than running the regexes.
const parsedDates = new Map<string, DayNumber | null>();
const parsedTimes = new Map<string, MinuteOfDay | null>();
const PARSE_CACHE_LIMIT = 20_000;

function dayOf(isoDate: string): DayNumber | null {
  let day = parsedDates.get(isoDate);
  if (day === undefined) {
    day = parseIsoDate(isoDate);
    if (parsedDates.size >= PARSE_CACHE_LIMIT) parsedDates.clear();
    parsedDates.set(isoDate, day);
  }
  return day;
}

function minuteOf(time: string): MinuteOfDay | null {
  let minute = parsedTimes.get(time);
  if (minute === undefined) {
    minute = parseTimeOfDay(time);
    if (parsedTimes.size >= PARSE_CACHE_LIMIT) parsedTimes.clear();
    parsedTimes.set(time, minute);
  }
  return minute;
}

function toDaySet(isoDates: readonly string[]): ReadonlySet<DayNumber> | null {
  if (isoDates.length === 0) return null;
  const days = new Set<DayNumber>();
  for (const isoDate of isoDates) {
    const day = dayOf(isoDate);
    if (day !== null) days.add(day);
  }
  return days;
}

/** Parses an opening period for expansion; null when its stored data cannot describe an opening. */
export function prepareOpeningPeriod(period: OpeningPeriod): PreparedPeriod | null {
  const firstDay = dayOf(period.firstDay);
  const startMinute = minuteOf(period.startTime);
  const endMinute = minuteOf(period.endTime);
  // Rows are validated on write; a corrupt one must cost no slot rather than crash a search.
  if (firstDay === null || startMinute === null || endMinute === null || endMinute <= startMinute) return null;
  let recurrence: CompiledRecurrence | null = null;
  let lastDay: DayNumber = firstDay;
  if (period.recurrence !== null) {
    recurrence = compileRecurrenceText(period.recurrence, firstDay);
    if (recurrence === null) return null;
    const storedLastDay = period.lastDay === null ? null : dayOf(period.lastDay);
    lastDay = Math.min(recurrence.lastDay, storedLastDay ?? Number.POSITIVE_INFINITY);
  }
  let overrides: Map<DayNumber, PreparedOverride> | null = null;
  let movesPlace = false;
  for (const override of period.overrides) {
    const day = dayOf(override.occurrenceDate);
    const overrideStart = minuteOf(override.startTime);
    const overrideEnd = minuteOf(override.endTime);
    if (day === null || overrideStart === null || overrideEnd === null || overrideEnd <= overrideStart) continue;
    const placeId = override.placeId ?? period.placeId;
    if (placeId !== period.placeId) movesPlace = true;
    overrides ??= new Map();
    overrides.set(day, { startMinute: overrideStart, endMinute: overrideEnd, placeId });
  }
  return {
    period,
    firstDay,
    lastDay,
    recurrence,
    startMinute,
    endMinute,
    excludedDays: toDaySet(period.excludedDates),
    overrides,
    movesPlace,
  };
}

/** First day ≥ fromDay with an occurrence: not excluded, not a holiday of the organisation. */
export function nextOpeningDay(prepared: PreparedPeriod, fromDay: DayNumber, closures: HolidayClosures): DayNumber | null {
  let day: DayNumber = Math.max(fromDay, prepared.firstDay);
  while (day <= prepared.lastDay) {
    if (prepared.recurrence !== null) {
      const next = nextOccurrenceDay(prepared.recurrence, day);
      if (next === null || next > prepared.lastDay) return null;
      day = next;
    } else if (day !== prepared.firstDay) {
      return null;
    }
    const skipped =
      (prepared.excludedDays !== null && prepared.excludedDays.has(day)) ||
      closures.isClosed(prepared.period.organisationId, day);
    if (!skipped) return day;
    day += 1;
  }
  return null;
}

/** The occurrence of a period on a day (which must be an opening day), with its override applied. */
export function occurrenceOn(prepared: PreparedPeriod, day: DayNumber): Occurrence {
  const override = prepared.overrides?.get(day);
  const startMinute = override?.startMinute ?? prepared.startMinute;
  const endMinute = override?.endMinute ?? prepared.endMinute;
  const timeZone = prepared.period.timeZone;
  return {
    day,
    startsAtEpochMinutes: localToEpochMinutes(timeZone, day, startMinute),
    endsAtEpochMinutes: localToEpochMinutes(timeZone, day, endMinute),
    placeId: override === undefined ? prepared.period.placeId : override.placeId,
  };
}

/** Start instant of a period's occurrence on a day (cheaper than occurrenceOn for ordering). */
export function occurrenceStartOn(prepared: PreparedPeriod, day: DayNumber): EpochMinutes {
  const override = prepared.overrides?.get(day);
  return localToEpochMinutes(prepared.period.timeZone, day, override?.startMinute ?? prepared.startMinute);
}

/** Appends to `out` as flat [start, end] pairs the occurrences of an absence touching days [fromDay, toDay]. */
export function expandAbsence(absence: Absence, fromDay: DayNumber, toDay: DayNumber, out: number[]): void {
  const firstDay = dayOf(absence.firstDay);
  const endDay = dayOf(absence.endDay);
  const startMinute = minuteOf(absence.startTime);
  const endMinute = minuteOf(absence.endTime);
  if (firstDay === null || endDay === null || startMinute === null || endMinute === null) return;
  const spanDays = endDay - firstDay;
  if (spanDays < 0 || (spanDays === 0 && endMinute <= startMinute)) return;
  const push = (day: DayNumber): void => {
    const startsAt = localToEpochMinutes(absence.timeZone, day, startMinute);
    const endsAt = localToEpochMinutes(absence.timeZone, day + spanDays, endMinute);
    if (endsAt > startsAt) out.push(startsAt, endsAt);
  };
  if (absence.recurrence === null) {
    if (firstDay <= toDay && endDay >= fromDay) push(firstDay);
    return;
  }
  const compiled = compileRecurrenceText(absence.recurrence, firstDay);
  // An absence whose rule cannot be read is not ignored: its first occurrence still blocks.
  if (compiled === null) {
    if (firstDay <= toDay && endDay >= fromDay) push(firstDay);
    return;
  }
  const storedLastDay = absence.lastDay === null ? null : dayOf(absence.lastDay);
  const lastStartDay = storedLastDay === null ? Number.POSITIVE_INFINITY : storedLastDay - spanDays;
  const excluded = toDaySet(absence.excludedDates);
  for (
    let day = nextOccurrenceDay(compiled, fromDay - spanDays);
    day !== null && day <= toDay && day <= lastStartDay;
    day = nextOccurrenceDay(compiled, day + 1)
  ) {
    if (excluded === null || !excluded.has(day)) push(day);
  }
}

/** Local day range [from, to] that covers instants [startsAt, endsAt) in any zone on Earth. */
export function coveringDays(startsAt: EpochMinutes, endsAt: EpochMinutes): { fromDay: DayNumber; toDay: DayNumber } {
  return {
    fromDay: Math.floor(startsAt / MINUTES_PER_DAY) - 1,
    toDay: Math.floor(endsAt / MINUTES_PER_DAY) + 1,
  };
}
