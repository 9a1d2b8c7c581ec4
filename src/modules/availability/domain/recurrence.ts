// The RFC 5545 RRULE subset used by opening periods and absences, expanded on LOCAL calendar days
// (never on UTC instants: `rrule`-style UTC arithmetic drifts by an hour across DST).
//
// Supported: FREQ=WEEKLY with INTERVAL, BYDAY=MO,TU…SU (default: the weekday of the first day),
//            FREQ=MONTHLY with INTERVAL, BYDAY=2TU / -1FR / TU (Nth, last, every weekday of the
//            month; default: the day of month of the first day, months without it are skipped),
//            UNTIL=YYYYMMDD (or YYYYMMDDTHHMMSSZ, whose date part is used), COUNT, WKST=MO.
// The first day is DTSTART: occurrences are the days ≥ firstDay matching the rule, and COUNT
// counts them before excluded dates are removed (EXDATE semantics).

import {
  civilFromDayNumber,
  dayNumberFromCivil,
  daysInMonth,
  weekdayOf,
  type DayNumber,
  type Weekday,
} from '../../../shared/time/index.js';

export interface MonthlyByDay {
  readonly weekday: Weekday;
  /** 1..5 = Nth of the month, -1..-5 = Nth from the end, 0 = every such weekday. */
  readonly nth: number;
}

export type RecurrenceRule =
  | {
      readonly frequency: 'weekly';
      readonly interval: number;
      /** Sorted, distinct; null = the weekday of the first day. */
      readonly weekdays: readonly Weekday[] | null;
      readonly untilDay: DayNumber | null;
      readonly count: number | null;
    }
  | {
      readonly frequency: 'monthly';
      readonly interval: number;
      /** null = the day of month of the first day. */
      readonly byDay: readonly MonthlyByDay[] | null;
      readonly untilDay: DayNumber | null;
      readonly count: number | null;
    };

export type ParseRecurrenceResult = { ok: true; rule: RecurrenceRule } | { ok: false; message: string };

const WEEKDAY_CODES: Readonly<Record<string, Weekday>> = { MO: 0, TU: 1, WE: 2, TH: 3, FR: 4, SA: 5, SU: 6 };
const MAX_INTERVAL = 520;
const MAX_COUNT = 5000;
// Guards loops against rules that can never match again (e.g. "5th Monday every 12 months" still
// matches within a few years; nothing legitimate needs more months than this).
const MAX_MONTHS_SCANNED = 12 * 60;

function fail(message: string): ParseRecurrenceResult {
  return { ok: false, message };
}

function parsePositiveInteger(value: string, max: number): number | null {
  if (!/^\d{1,6}$/.test(value)) return null;
  const number = Number(value);
  return number >= 1 && number <= max ? number : null;
}

function parseUntil(value: string): DayNumber | null {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?$/.exec(value);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayNumberFromCivil(year, month, day);
}

/** Parses an RRULE value of the supported subset; the message is French, for forms. */
export function parseRecurrence(text: string): ParseRecurrenceResult {
  const parts = new Map<string, string>();
  for (const part of text.trim().replace(/^RRULE:/i, '').split(';')) {
    const equals = part.indexOf('=');
    if (equals <= 0) return fail(`Règle de récurrence illisible : « ${part} ».`);
    const key = part.slice(0, equals).toUpperCase();
    if (parts.has(key)) return fail(`Le paramètre ${key} est répété.`);
    parts.set(key, part.slice(equals + 1).toUpperCase());
  }
  for (const key of parts.keys()) {
    if (!['FREQ', 'INTERVAL', 'BYDAY', 'UNTIL', 'COUNT', 'WKST'].includes(key)) {
      return fail(`Le paramètre ${key} n'est pas pris en charge.`);
    }
  }
  const frequency = parts.get('FREQ');
  if (frequency !== 'WEEKLY' && frequency !== 'MONTHLY') {
    return fail('La fréquence doit être hebdomadaire (WEEKLY) ou mensuelle (MONTHLY).');
  }
  const wkst = parts.get('WKST');
  if (wkst !== undefined && wkst !== 'MO') return fail('Les semaines commencent le lundi (WKST=MO).');

  const intervalText = parts.get('INTERVAL');
  const interval = intervalText === undefined ? 1 : parsePositiveInteger(intervalText, MAX_INTERVAL);
  if (interval === null) return fail(`L'intervalle doit être un entier entre 1 et ${MAX_INTERVAL}.`);

  const untilText = parts.get('UNTIL');
  const countText = parts.get('COUNT');
  if (untilText !== undefined && countText !== undefined) {
    return fail('Une récurrence se termine soit à une date, soit après un nombre de fois, pas les deux.');
  }
  const untilDay = untilText === undefined ? null : parseUntil(untilText);
  if (untilText !== undefined && untilDay === null) return fail('La date de fin de récurrence est invalide.');
  const count = countText === undefined ? null : parsePositiveInteger(countText, MAX_COUNT);
  if (countText !== undefined && count === null) {
    return fail(`Le nombre de répétitions doit être un entier entre 1 et ${MAX_COUNT}.`);
  }

  const byDayText = parts.get('BYDAY');
  if (frequency === 'WEEKLY') {
    let weekdays: Weekday[] | null = null;
    if (byDayText !== undefined) {
      const seen = new Set<Weekday>();
      for (const code of byDayText.split(',')) {
        const weekday = WEEKDAY_CODES[code];
        if (weekday === undefined) return fail(`Jour de la semaine inconnu : « ${code} ».`);
        seen.add(weekday);
      }
      weekdays = [...seen].sort((a, b) => a - b);
    }
    return { ok: true, rule: { frequency: 'weekly', interval, weekdays, untilDay, count } };
  }

  let byDay: MonthlyByDay[] | null = null;
  if (byDayText !== undefined) {
    byDay = [];
    for (const code of byDayText.split(',')) {
      const match = /^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/.exec(code);
      const weekday = match === null ? undefined : WEEKDAY_CODES[match[2] ?? ''];
      if (match === null || weekday === undefined) return fail(`Jour du mois inconnu : « ${code} ».`);
      byDay.push({ weekday, nth: match[1] === undefined ? 0 : Number(match[1]) });
    }
  }
  return { ok: true, rule: { frequency: 'monthly', interval, byDay, untilDay, count } };
}

/** A rule bound to its first day, ready for fast "next occurrence" queries. */
export interface CompiledRecurrence {
  readonly rule: RecurrenceRule;
  readonly firstDay: DayNumber;
  /** Last day an occurrence may fall on from UNTIL or COUNT; +Infinity when unbounded. */
  readonly lastDay: DayNumber;
}

function monthIndexOf(dayNumber: DayNumber): number {
  const { year, month } = civilFromDayNumber(dayNumber);
  return year * 12 + month - 1;
}

function firstDayOfMonthIndex(monthIndex: number): DayNumber {
  const year = Math.floor(monthIndex / 12);
  return dayNumberFromCivil(year, monthIndex - year * 12 + 1, 1);
}

/** Days of one month (by month index) matching a monthly rule, ascending. */
function monthlyDays(rule: Extract<RecurrenceRule, { frequency: 'monthly' }>, firstDay: DayNumber, monthIndex: number): DayNumber[] {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const monthStart = dayNumberFromCivil(year, month, 1);
  const length = daysInMonth(year, month);
  if (rule.byDay === null) {
    const dayOfMonth = civilFromDayNumber(firstDay).day;
    return dayOfMonth <= length ? [monthStart + dayOfMonth - 1] : [];
  }
  const monthEnd = monthStart + length - 1;
  const startWeekday = weekdayOf(monthStart);
  const endWeekday = weekdayOf(monthEnd);
  const days: DayNumber[] = [];
  for (const { weekday, nth } of rule.byDay) {
    const first = monthStart + ((weekday - startWeekday + 7) % 7);
    const last = monthEnd - ((endWeekday - weekday + 7) % 7);
    if (nth === 0) {
      for (let day = first; day <= monthEnd; day += 7) days.push(day);
    } else {
      const day = nth > 0 ? first + (nth - 1) * 7 : last + (nth + 1) * 7;
      if (day >= monthStart && day <= monthEnd) days.push(day);
    }
  }
  if (rule.byDay.length > 1) days.sort((a, b) => a - b);
  return days;
}

/** First day ≥ fromDay matching the rule (ignoring UNTIL/COUNT/lastDay bounds), or null. */
function nextMatchingDay(rule: RecurrenceRule, firstDay: DayNumber, fromDay: DayNumber): DayNumber | null {
  let day = Math.max(fromDay, firstDay);
  if (rule.frequency === 'weekly') {
    const firstWeekMonday = firstDay - weekdayOf(firstDay);
    const weekdays = rule.weekdays ?? [weekdayOf(firstDay)];
    for (;;) {
      const weekIndex = Math.floor((day - firstWeekMonday) / 7);
      const misalignment = weekIndex % rule.interval;
      if (misalignment !== 0) {
        day = firstWeekMonday + (weekIndex + rule.interval - misalignment) * 7;
        continue;
      }
      const weekday = weekdayOf(day);
      for (const candidate of weekdays) {
        if (candidate >= weekday) return day + candidate - weekday;
      }
      day = firstWeekMonday + (weekIndex + 1) * 7;
    }
  }
  const firstMonthIndex = monthIndexOf(firstDay);
  let monthIndex = monthIndexOf(day);
  const misalignment = (monthIndex - firstMonthIndex) % rule.interval;
  if (misalignment !== 0) {
    monthIndex += rule.interval - misalignment;
    day = firstDayOfMonthIndex(monthIndex);
  }
  for (let scanned = 0; scanned < MAX_MONTHS_SCANNED; scanned += rule.interval) {
    for (const candidate of monthlyDays(rule, firstDay, monthIndex)) {
      if (candidate >= day) return candidate;
    }
    monthIndex += rule.interval;
    day = firstDayOfMonthIndex(monthIndex);
  }
  return null;
}

/** Binds a rule to its first day and resolves UNTIL/COUNT into a last day. */
export function compileRecurrence(rule: RecurrenceRule, firstDay: DayNumber): CompiledRecurrence {
  let lastDay = rule.untilDay ?? Number.POSITIVE_INFINITY;
  if (rule.count !== null) {
    // Stays before firstDay when the rule never matches: the series is then empty.
    let day: DayNumber = firstDay - 1;
    for (let index = 0; index < rule.count; index += 1) {
      const next = nextMatchingDay(rule, firstDay, day + 1);
      if (next === null) break;
      day = next;
    }
    lastDay = day;
  }
  return { rule, firstDay, lastDay };
}

/** First occurrence day ≥ fromDay within the rule's bounds (excluded dates not applied), or null. */
export function nextOccurrenceDay(compiled: CompiledRecurrence, fromDay: DayNumber): DayNumber | null {
  if (fromDay > compiled.lastDay) return null;
  const day = nextMatchingDay(compiled.rule, compiled.firstDay, fromDay);
  return day === null || day > compiled.lastDay ? null : day;
}

/**
 * Last occurrence day of a rule started on firstDay, bounded by UNTIL, COUNT and an optional
 * extra bound (a chosen end date); null when endless, or when no occurrence falls in the bounds.
 */
export function lastOccurrenceDay(
  rule: RecurrenceRule,
  firstDay: DayNumber,
  bound: DayNumber = Number.POSITIVE_INFINITY,
): DayNumber | null {
  const compiled = compileRecurrence(rule, firstDay);
  const lastDay = Math.min(compiled.lastDay, bound);
  if (lastDay === Number.POSITIVE_INFINITY) return null;
  // The bound may fall between occurrences. Weekly occurrences are never more than 7·interval
  // days apart; monthly ones can skip months (31st, 5th Monday), so scan them from the start.
  const from = rule.frequency === 'weekly' ? Math.max(firstDay, lastDay - 7 * rule.interval) : firstDay;
  let last: DayNumber | null = null;
  for (
    let day = nextOccurrenceDay(compiled, from);
    day !== null && day <= lastDay;
    day = nextOccurrenceDay(compiled, day + 1)
  ) {
    last = day;
  }
  return last;
}

// Compiled rules are shared across requests: the same few thousand periods are searched again and
// again, and parsing them is a measurable share of a next-availability search.
const compiledCache = new Map<string, CompiledRecurrence | null>();
const COMPILED_CACHE_LIMIT = 50_000;

/** Parses and compiles a trusted recurrence (from the database), cached; null when unparsable. */
export function compileRecurrenceText(text: string, firstDay: DayNumber): CompiledRecurrence | null {
  const key = `${firstDay}|${text}`;
  const cached = compiledCache.get(key);
  if (cached !== undefined) return cached;
  const parsed = parseRecurrence(text);
  const compiled = parsed.ok ? compileRecurrence(parsed.rule, firstDay) : null;
  if (compiledCache.size >= COMPILED_CACHE_LIMIT) compiledCache.clear();
  compiledCache.set(key, compiled);
  return compiled;
}
