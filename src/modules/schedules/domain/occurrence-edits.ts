// Single occurrences of an opening period (pure): which days it opens, and the edits of one of
// them — cancel (the date joins `excluded_dates`), restore, move to other hours and/or another
// place (an `opening_period_overrides` row), back to the usual hours. Also the warnings shown
// before saving: overlap with another period of the agent, motifs longer than the period, and
// absences covering appointments. RDV-Service-Public cannot edit one occurrence (issue 8, part 5).
import {
  addDays,
  dayNumberToIsoDate,
  localToEpochMinutes,
  parseIsoDate,
  parseTimeOfDay,
  type DayNumber,
  type EpochMinutes,
} from '../../../shared/time/index.js';
import { compileRecurrence, nextOccurrenceDay, parseRecurrence, type OpeningPeriodOverride } from '../../availability/index.js';

/** What the occurrences of a period depend on (a stored row, or a draft before saving). */
export interface PeriodSchedule {
  readonly firstDay: string;
  /** The `last_day` column: last possible occurrence day; null = open-ended. */
  readonly lastDay: string | null;
  /** 'HH:MM' */
  readonly startTime: string;
  readonly endTime: string;
  readonly recurrence: string | null;
  readonly placeId: number | null;
  readonly timeZone: string;
  readonly excludedDates: readonly string[];
  readonly overrides: readonly OpeningPeriodOverride[];
}

/** One occurrence as the agent sees it. */
export interface OccurrenceView {
  readonly date: string;
  readonly cancelled: boolean;
  /** Moved to other hours and/or another place. */
  readonly moved: boolean;
  readonly startTime: string;
  readonly endTime: string;
  readonly placeId: number | null;
}

/** Occurrence days of the rule in [fromDay, toDay], excluded dates included, at most `limit`. */
function ruleDays(period: PeriodSchedule, fromDay: DayNumber, toDay: DayNumber, limit: number): DayNumber[] {
  const first = parseIsoDate(period.firstDay);
  if (first === null) return [];
  const storedLast = period.lastDay === null ? Number.POSITIVE_INFINITY : (parseIsoDate(period.lastDay) ?? first);
  const last = Math.min(toDay, storedLast);
  if (period.recurrence === null) return first >= fromDay && first <= last ? [first] : [];
  const parsed = parseRecurrence(period.recurrence);
  if (!parsed.ok) return [];
  const compiled = compileRecurrence(parsed.rule, first);
  const days: DayNumber[] = [];
  for (let day = nextOccurrenceDay(compiled, Math.max(fromDay, first)); day !== null && day <= last && days.length < limit; day = nextOccurrenceDay(compiled, day + 1)) {
    days.push(day);
  }
  return days;
}

/** Whether the period's rule opens on this day (cancelled or not). */
export function isOccurrenceDay(period: PeriodSchedule, date: string): boolean {
  const day = parseIsoDate(date);
  return day !== null && ruleDays(period, day, day, 1).length === 1;
}

/** The period's occurrences in [fromDay, toDay] (cancelled ones included, marked), at most `limit`. */
export function listOccurrences(period: PeriodSchedule, fromDay: DayNumber, toDay: DayNumber, limit = 200): OccurrenceView[] {
  const excluded = new Set(period.excludedDates);
  const overrides = new Map(period.overrides.map((override) => [override.occurrenceDate, override]));
  return ruleDays(period, fromDay, toDay, limit).map((day) => {
    const date = dayNumberToIsoDate(day);
    const override = overrides.get(date);
    return {
      date,
      cancelled: excluded.has(date),
      moved: override !== undefined,
      startTime: override?.startTime ?? period.startTime,
      endTime: override?.endTime ?? period.endTime,
      placeId: override?.placeId ?? period.placeId,
    };
  });
}

export type OccurrenceEdit =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'restore' }
  /** Other hours and/or place; placeId null keeps the period's place. */
  | { readonly kind: 'move'; readonly startTime: string; readonly endTime: string; readonly placeId: number | null }
  | { readonly kind: 'reset' };

export type OccurrenceEditRefusal = 'NOT_AN_OCCURRENCE' | 'ALREADY_CANCELLED' | 'NOT_CANCELLED' | 'CANCELLED' | 'NOT_MOVED' | 'ENDS_BEFORE_START';

export type OccurrenceEditResult =
  | { readonly ok: true; readonly excludedDates: readonly string[]; readonly overrides: readonly OpeningPeriodOverride[] }
  | { readonly ok: false; readonly reason: OccurrenceEditRefusal };

/**
 * Applies an edit of the occurrence on `date` and returns the period's new exclusions and
 * overrides. A cancelled occurrence loses its move (restoring it brings back the usual hours); a
 * move back to the usual hours and place removes the override rather than storing a no-op.
 */
export function applyOccurrenceEdit(period: PeriodSchedule, date: string, edit: OccurrenceEdit): OccurrenceEditResult {
  if (!isOccurrenceDay(period, date)) return { ok: false, reason: 'NOT_AN_OCCURRENCE' };
  const cancelled = period.excludedDates.includes(date);
  const moved = period.overrides.some((override) => override.occurrenceDate === date);
  const otherOverrides = period.overrides.filter((override) => override.occurrenceDate !== date);
  switch (edit.kind) {
    case 'cancel':
      if (cancelled) return { ok: false, reason: 'ALREADY_CANCELLED' };
      return { ok: true, excludedDates: [...period.excludedDates, date].sort(), overrides: otherOverrides };
    case 'restore':
      if (!cancelled) return { ok: false, reason: 'NOT_CANCELLED' };
      return { ok: true, excludedDates: period.excludedDates.filter((excluded) => excluded !== date), overrides: period.overrides };
    case 'reset':
      if (!moved) return { ok: false, reason: 'NOT_MOVED' };
      return { ok: true, excludedDates: period.excludedDates, overrides: otherOverrides };
    case 'move': {
      if (cancelled) return { ok: false, reason: 'CANCELLED' };
      const start = parseTimeOfDay(edit.startTime);
      const end = parseTimeOfDay(edit.endTime);
      if (start === null || end === null || end <= start) return { ok: false, reason: 'ENDS_BEFORE_START' };
      const placeId = edit.placeId === period.placeId ? null : edit.placeId;
      const usual = parseTimeOfDay(period.startTime) === start && parseTimeOfDay(period.endTime) === end && placeId === null;
      if (usual) return { ok: true, excludedDates: period.excludedDates, overrides: otherOverrides };
      const override: OpeningPeriodOverride = { occurrenceDate: date, startTime: edit.startTime, endTime: edit.endTime, placeId };
      return { ok: true, excludedDates: period.excludedDates, overrides: [...otherOverrides, override].sort((a, b) => a.occurrenceDate.localeCompare(b.occurrenceDate)) };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Warnings (shown before saving; the agent may confirm)
// ---------------------------------------------------------------------------------------------

/** How far ahead overlaps are looked for: a year of occurrences is plenty to make the point. */
export const OVERLAP_HORIZON_DAYS = 366;

export interface OverlapWarning {
  readonly kind: 'OVERLAP';
  readonly otherPeriodId: number;
  readonly otherTitle: string;
  /** First day both open at the same time. */
  readonly firstDate: string;
  /** Days with an overlap within the horizon. */
  readonly dayCount: number;
}

export interface MotifTooLongWarning {
  readonly kind: 'MOTIF_TOO_LONG';
  readonly motifName: string;
  readonly durationMinutes: number;
  readonly periodMinutes: number;
}

export type PeriodWarning = OverlapWarning | MotifTooLongWarning;

function openIntervals(period: PeriodSchedule, fromDay: DayNumber, toDay: DayNumber): Map<DayNumber, [EpochMinutes, EpochMinutes]> {
  const intervals = new Map<DayNumber, [EpochMinutes, EpochMinutes]>();
  for (const occurrence of listOccurrences(period, fromDay, toDay, OVERLAP_HORIZON_DAYS + 1)) {
    const start = parseTimeOfDay(occurrence.startTime);
    const end = parseTimeOfDay(occurrence.endTime);
    const day = parseIsoDate(occurrence.date);
    if (occurrence.cancelled || start === null || end === null || day === null) continue;
    intervals.set(day, [localToEpochMinutes(period.timeZone, day, start), localToEpochMinutes(period.timeZone, day, end)]);
  }
  return intervals;
}

/**
 * Other periods of the same agent (any place) open at the same time as the candidate on some
 * occurrence, from `fromDay` (today, or the first day) over the horizon.
 */
export function findOverlaps(
  candidate: PeriodSchedule,
  others: readonly (PeriodSchedule & { readonly id: number; readonly title: string })[],
  fromDay: DayNumber,
): OverlapWarning[] {
  const start = Math.max(fromDay, parseIsoDate(candidate.firstDay) ?? fromDay);
  const end = addDays(start, OVERLAP_HORIZON_DAYS);
  const mine = openIntervals(candidate, start, end);
  const warnings: OverlapWarning[] = [];
  for (const other of others) {
    let first: DayNumber | null = null;
    let dayCount = 0;
    for (const [day, [otherStart, otherEnd]] of openIntervals(other, start, end)) {
      const own = mine.get(day);
      if (own === undefined || !(own[0] < otherEnd && otherStart < own[1])) continue;
      dayCount += 1;
      if (first === null || day < first) first = day;
    }
    if (first !== null) warnings.push({ kind: 'OVERLAP', otherPeriodId: other.id, otherTitle: other.title, firstDate: dayNumberToIsoDate(first), dayCount });
  }
  return warnings;
}

/** Linked motifs that cannot fit in the period (duration longer than its hours). */
export function findMotifsTooLong(
  period: { readonly startTime: string; readonly endTime: string },
  motifs: readonly { readonly name: string; readonly durationMinutes: number }[],
): MotifTooLongWarning[] {
  const periodMinutes = (parseTimeOfDay(period.endTime) ?? 0) - (parseTimeOfDay(period.startTime) ?? 0);
  return motifs
    .filter((motif) => motif.durationMinutes > periodMinutes)
    .map((motif) => ({ kind: 'MOTIF_TOO_LONG', motifName: motif.name, durationMinutes: motif.durationMinutes, periodMinutes }));
}

/** What the occurrences of an absence depend on. */
export interface AbsenceSchedule {
  readonly firstDay: string;
  readonly startTime: string;
  readonly endDay: string;
  readonly endTime: string;
  readonly lastDay: string | null;
  readonly recurrence: string | null;
  readonly excludedDates: readonly string[];
  readonly timeZone: string;
}

/** The absence's occurrences as [start, end) instants, starting in [fromDay, toDay], at most `limit`. */
export function absenceIntervals(absence: AbsenceSchedule, fromDay: DayNumber, toDay: DayNumber, limit = 400): [EpochMinutes, EpochMinutes][] {
  const first = parseIsoDate(absence.firstDay);
  const endDay = parseIsoDate(absence.endDay);
  const start = parseTimeOfDay(absence.startTime);
  const end = parseTimeOfDay(absence.endTime);
  if (first === null || endDay === null || start === null || end === null) return [];
  const spanDays = endDay - first;
  const period: PeriodSchedule = {
    firstDay: absence.firstDay,
    lastDay: absence.lastDay === null ? null : dayNumberToIsoDate((parseIsoDate(absence.lastDay) ?? endDay) - spanDays),
    startTime: absence.startTime,
    endTime: absence.endTime,
    recurrence: absence.recurrence,
    placeId: null,
    timeZone: absence.timeZone,
    excludedDates: absence.excludedDates,
    overrides: [],
  };
  return listOccurrences(period, fromDay - spanDays, toDay, limit)
    .filter((occurrence) => !occurrence.cancelled)
    .map((occurrence) => {
      const day = parseIsoDate(occurrence.date) ?? first;
      return [localToEpochMinutes(absence.timeZone, day, start), localToEpochMinutes(absence.timeZone, day + spanDays, end)];
    });
}

/** The appointments (by [start, end) instants) that some interval covers, in their order. */
export function appointmentsCovered<T extends { readonly startsAtEpochMinutes: EpochMinutes; readonly endsAtEpochMinutes: EpochMinutes }>(
  intervals: readonly (readonly [EpochMinutes, EpochMinutes])[],
  appointments: readonly T[],
): T[] {
  return appointments.filter((appointment) => intervals.some(([start, end]) => start < appointment.endsAtEpochMinutes && appointment.startsAtEpochMinutes < end));
}
