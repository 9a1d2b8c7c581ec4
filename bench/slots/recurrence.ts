// The benchmark's own expansion of the RRULE subset stored in opening_periods.recurrence and
// absences.recurrence, written independently of the engine so that the comparison of the two
// calculators also cross-checks the recurrence semantics:
//   FREQ=WEEKLY;INTERVAL=n;BYDAY=MO,TU…;UNTIL=YYYYMMDD   (weeks start on Monday)
//   FREQ=MONTHLY;INTERVAL=n;BYDAY=2TU|-1FR|TU             (Nth, Nth from the end, every)
//   FREQ=MONTHLY without BYDAY                             (day of month of the first day)
//   COUNT=n                                                (occurrences counted from the first day)
// Like RDV-Service-Public's Montrose expansion it is deliberately plain: it walks the window day
// by day and asks whether each day matches the rule. Days are local calendar days (DayNumber).

import {
  civilFromDayNumber,
  dayNumberFromCivil,
  daysInMonth,
  weekdayOf,
  type DayNumber,
  type Weekday,
} from '../../src/shared/time/index.js';

const WEEKDAYS: Readonly<Record<string, Weekday>> = { MO: 0, TU: 1, WE: 2, TH: 3, FR: 4, SA: 5, SU: 6 };
export const WEEKDAY_CODES: readonly string[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export interface MonthlyDay {
  readonly weekday: Weekday;
  /** 1..5 = Nth of the month, -1..-5 = Nth from the end, 0 = every such weekday. */
  readonly nth: number;
}

export interface Rule {
  readonly frequency: 'weekly' | 'monthly';
  readonly interval: number;
  /** WEEKLY: BYDAY weekdays (null = the first day's weekday). */
  readonly weekdays: readonly Weekday[] | null;
  /** MONTHLY: BYDAY entries (null = the first day's day of month). */
  readonly monthlyDays: readonly MonthlyDay[] | null;
  readonly untilDay: DayNumber | null;
  readonly count: number | null;
}

const ruleCache = new Map<string, Rule>();

/** Parses a stored rule of the subset above; throws on anything else (the generator writes only these). */
export function parseRule(text: string): Rule {
  const cached = ruleCache.get(text);
  if (cached !== undefined) return cached;
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const [key = '', value = ''] = part.split('=');
    parts.set(key, value);
  }
  const frequency = parts.get('FREQ') === 'MONTHLY' ? 'monthly' : 'weekly';
  if (parts.get('FREQ') !== 'WEEKLY' && parts.get('FREQ') !== 'MONTHLY') throw new Error(`Unsupported rule: ${text}`);
  const untilText = parts.get('UNTIL');
  const untilMatch = untilText === undefined ? null : /^(\d{4})(\d{2})(\d{2})/.exec(untilText);
  const byDay = parts.get('BYDAY');
  let weekdays: Weekday[] | null = null;
  let monthlyDays: MonthlyDay[] | null = null;
  if (byDay !== undefined) {
    for (const code of byDay.split(',')) {
      const match = /^([+-]?\d)?([A-Z]{2})$/.exec(code);
      const weekday = WEEKDAYS[match?.[2] ?? ''];
      if (match === null || weekday === undefined) throw new Error(`Unsupported BYDAY in ${text}`);
      if (frequency === 'weekly') (weekdays ??= []).push(weekday);
      else (monthlyDays ??= []).push({ weekday, nth: match[1] === undefined ? 0 : Number(match[1]) });
    }
  }
  const rule: Rule = {
    frequency,
    interval: Number(parts.get('INTERVAL') ?? '1'),
    weekdays,
    monthlyDays,
    untilDay:
      untilMatch === null ? null : dayNumberFromCivil(Number(untilMatch[1]), Number(untilMatch[2]), Number(untilMatch[3])),
    count: parts.has('COUNT') ? Number(parts.get('COUNT')) : null,
  };
  ruleCache.set(text, rule);
  return rule;
}

/** Whether a day ≥ firstDay matches the rule (bounds not applied). */
export function matchesRule(rule: Rule, firstDay: DayNumber, day: DayNumber): boolean {
  if (day < firstDay) return false;
  const weekday = weekdayOf(day);
  if (rule.frequency === 'weekly') {
    const weekdays = rule.weekdays ?? [weekdayOf(firstDay)];
    if (!weekdays.includes(weekday)) return false;
    const firstMonday = firstDay - weekdayOf(firstDay);
    return Math.floor((day - firstMonday) / 7) % rule.interval === 0;
  }
  const { year, month, day: dayOfMonth } = civilFromDayNumber(day);
  const first = civilFromDayNumber(firstDay);
  if ((year * 12 + month - (first.year * 12 + first.month)) % rule.interval !== 0) return false;
  if (rule.monthlyDays === null) return dayOfMonth === first.day;
  const length = daysInMonth(year, month);
  return rule.monthlyDays.some(
    ({ weekday: wanted, nth }) =>
      wanted === weekday &&
      (nth === 0 ||
        (nth > 0 && Math.floor((dayOfMonth - 1) / 7) + 1 === nth) ||
        (nth < 0 && Math.floor((length - dayOfMonth) / 7) + 1 === -nth)),
  );
}

const countEndCache = new Map<string, DayNumber>();

/** Last day allowed by UNTIL and COUNT (COUNT walks from the first day, once per rule). */
export function ruleLastDay(text: string, rule: Rule, firstDay: DayNumber): DayNumber {
  let last = rule.untilDay ?? Number.POSITIVE_INFINITY;
  if (rule.count !== null) {
    const key = `${firstDay}|${text}`;
    let countEnd = countEndCache.get(key);
    if (countEnd === undefined) {
      let found = 0;
      let day = firstDay;
      for (; found < rule.count && day < firstDay + 366 * 60; day += 1) if (matchesRule(rule, firstDay, day)) found += 1;
      countEnd = day - 1;
      countEndCache.set(key, countEnd);
    }
    last = Math.min(last, countEnd);
  }
  return last;
}

export interface RecurringDays {
  readonly firstDay: DayNumber;
  /** Stored last_day (null = open-ended). */
  readonly lastDay: DayNumber | null;
  readonly recurrence: string | null;
  readonly excludedDays: ReadonlySet<DayNumber>;
}

/** Occurrence days of a series in [fromDay, toDay], excluded dates removed. */
export function occurrenceDays(series: RecurringDays, fromDay: DayNumber, toDay: DayNumber): DayNumber[] {
  const days: DayNumber[] = [];
  if (series.recurrence === null) {
    if (series.firstDay >= fromDay && series.firstDay <= toDay && !series.excludedDays.has(series.firstDay)) {
      days.push(series.firstDay);
    }
    return days;
  }
  const rule = parseRule(series.recurrence);
  const last = Math.min(toDay, series.lastDay ?? Number.POSITIVE_INFINITY, ruleLastDay(series.recurrence, rule, series.firstDay));
  for (let day = Math.max(fromDay, series.firstDay); day <= last; day += 1) {
    if (matchesRule(rule, series.firstDay, day) && !series.excludedDays.has(day)) days.push(day);
  }
  return days;
}
