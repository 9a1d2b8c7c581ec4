// The recurrence of an opening period or an absence as the form shows it (none / weekly on some
// days every N weeks / monthly on the Nth weekday every N months; ends never, on a date or after N
// times), its RRULE (the subset of availability/domain/recurrence.ts), and its plain-French
// description. Pure: the routes turn form fields into a `RecurrenceChoice`, and back.
import { parseRecurrence } from '../../availability/index.js';
import { civilFromDayNumber, daysInMonth, parseIsoDate, parseTimeOfDay, weekdayOf, type DayNumber, type Weekday } from '../../../shared/time/index.js';

/** RRULE codes of the weekdays, Monday first (index = Weekday). */
export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

const WEEKDAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'] as const;
const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const;

/** 1st–4th, or -1 for the last such weekday of the month. */
export type MonthlyRank = 1 | 2 | 3 | 4 | -1;
export const MONTHLY_RANKS: readonly MonthlyRank[] = [1, 2, 3, 4, -1];

export type RecurrenceEnd =
  | { readonly kind: 'never' }
  /** The last day an occurrence may fall on (inclusive). */
  | { readonly kind: 'until'; readonly day: string }
  | { readonly kind: 'count'; readonly count: number };

export type RecurrenceChoice =
  | { readonly kind: 'none' }
  | { readonly kind: 'weekly'; readonly intervalWeeks: number; readonly weekdays: readonly Weekday[]; readonly end: RecurrenceEnd }
  | { readonly kind: 'monthly'; readonly intervalMonths: number; readonly rank: MonthlyRank; readonly weekday: Weekday; readonly end: RecurrenceEnd };

export const MAX_RECURRENCE_INTERVAL = 52;
export const MAX_RECURRENCE_COUNT = 500;

function untilPart(end: RecurrenceEnd): string {
  switch (end.kind) {
    case 'never':
      return '';
    case 'until':
      return `;UNTIL=${end.day.replaceAll('-', '')}`;
    case 'count':
      return `;COUNT=${String(end.count)}`;
  }
}

/** The RRULE value of a choice (null for a one-off); INTERVAL=1 is left out. */
export function buildRecurrence(choice: RecurrenceChoice): string | null {
  switch (choice.kind) {
    case 'none':
      return null;
    case 'weekly': {
      const days = [...new Set(choice.weekdays)].sort((a, b) => a - b).map((weekday) => WEEKDAY_CODES[weekday]);
      const interval = choice.intervalWeeks === 1 ? '' : `;INTERVAL=${String(choice.intervalWeeks)}`;
      return `FREQ=WEEKLY${interval};BYDAY=${days.join(',')}${untilPart(choice.end)}`;
    }
    case 'monthly': {
      const interval = choice.intervalMonths === 1 ? '' : `;INTERVAL=${String(choice.intervalMonths)}`;
      return `FREQ=MONTHLY${interval};BYDAY=${String(choice.rank)}${WEEKDAY_CODES[choice.weekday]}${untilPart(choice.end)}`;
    }
  }
}

function isoOf(day: DayNumber): string {
  const { year, month, day: dayOfMonth } = civilFromDayNumber(day);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
}

/** The rank (1–4, or -1 = last) of a day's weekday within its month. */
export function monthlyRankOf(day: DayNumber): MonthlyRank {
  const { year, month, day: dayOfMonth } = civilFromDayNumber(day);
  if (dayOfMonth + 7 > daysInMonth(year, month)) return -1;
  return Math.ceil(dayOfMonth / 7) as 1 | 2 | 3 | 4;
}

/**
 * The form's reading of a stored rule, for the edit page. Rules the form cannot express exactly
 * (several monthly days, a 5th weekday, a day of month) are read as the closest form choice, on
 * the first day's weekday: the description on the list page always shows the stored rule itself.
 */
export function recurrenceChoiceOf(recurrence: string | null, firstDay: string): RecurrenceChoice {
  if (recurrence === null) return { kind: 'none' };
  const parsed = parseRecurrence(recurrence);
  const first = parseIsoDate(firstDay);
  if (!parsed.ok || first === null) return { kind: 'none' };
  const rule = parsed.rule;
  const end: RecurrenceEnd =
    rule.count !== null ? { kind: 'count', count: rule.count } : rule.untilDay !== null ? { kind: 'until', day: isoOf(rule.untilDay) } : { kind: 'never' };
  if (rule.frequency === 'weekly') {
    return { kind: 'weekly', intervalWeeks: rule.interval, weekdays: rule.weekdays ?? [weekdayOf(first)], end };
  }
  const byDay = rule.byDay?.[0];
  const usable = byDay !== undefined && rule.byDay?.length === 1 && MONTHLY_RANKS.includes(byDay.nth as MonthlyRank);
  return {
    kind: 'monthly',
    intervalMonths: rule.interval,
    rank: usable ? (byDay.nth as MonthlyRank) : monthlyRankOf(first),
    weekday: usable ? byDay.weekday : weekdayOf(first),
    end,
  };
}

/** "1er décembre 2026" */
export function formatDayWithoutWeekday(day: DayNumber): string {
  const { year, month, day: dayOfMonth } = civilFromDayNumber(day);
  return `${dayOfMonth === 1 ? '1er' : String(dayOfMonth)} ${MONTH_NAMES[month - 1] ?? ''} ${String(year)}`;
}

/** "lundi 1er décembre 2026" */
export function formatDayWithWeekday(day: DayNumber): string {
  return `${WEEKDAY_NAMES[weekdayOf(day)]} ${formatDayWithoutWeekday(day)}`;
}

/** "9 h", "9 h 30", "24 h" from 'HH:MM' (or 'HH:MM:SS'). */
export function formatHour(time: string): string {
  const minutes = parseTimeOfDay(time);
  if (minutes === null) return time;
  const rest = minutes % 60;
  return rest === 0 ? `${String(Math.floor(minutes / 60))} h` : `${String(Math.floor(minutes / 60))} h ${String(rest).padStart(2, '0')}`;
}

function joinFrench(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} et ${words[words.length - 1] ?? ''}`;
}

function ordinal(rank: number): string {
  if (rank === -1) return 'dernier';
  return rank === 1 ? '1er' : `${String(rank)}e`;
}

function weekdaysPhrase(weekdays: readonly Weekday[]): string {
  const sorted = [...new Set(weekdays)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'Tous les jours';
  if (sorted.length === 5 && sorted.every((weekday, index) => weekday === index)) return 'Du lundi au vendredi';
  return `Tous les ${joinFrench(sorted.map((weekday) => `${WEEKDAY_NAMES[weekday]}s`))}`;
}

function everyPhrase(interval: number, unit: 'semaine' | 'mois'): string {
  if (interval === 1) return '';
  if (interval === 2) return unit === 'semaine' ? ', une semaine sur deux' : ', un mois sur deux';
  return unit === 'semaine' ? `, toutes les ${String(interval)} semaines` : `, tous les ${String(interval)} mois`;
}

export interface DescribedSchedule {
  readonly firstDay: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly recurrence: string | null;
}

/**
 * The schedule in plain French: « Tous les lundis et jeudis, une semaine sur deux, de 9 h à 12 h,
 * jusqu'au 31 décembre 2027 », « Le 2e mardi du mois, de 14 h à 17 h, 10 fois »,
 * « Le mardi 1er décembre 2026, de 9 h à 12 h ».
 */
export function describeSchedule(schedule: DescribedSchedule): string {
  const first = parseIsoDate(schedule.firstDay);
  const hours = `de ${formatHour(schedule.startTime)} à ${formatHour(schedule.endTime)}`;
  if (first === null) return hours;
  if (schedule.recurrence === null) return `Le ${formatDayWithWeekday(first)}, ${hours}`;
  const parsed = parseRecurrence(schedule.recurrence);
  if (!parsed.ok) return `Récurrence illisible (${schedule.recurrence}), ${hours}`;
  const rule = parsed.rule;
  let days: string;
  if (rule.frequency === 'weekly') {
    days = weekdaysPhrase(rule.weekdays ?? [weekdayOf(first)]) + everyPhrase(rule.interval, 'semaine');
  } else {
    const byDay = rule.byDay;
    const phrase =
      byDay === null
        ? `Le ${String(civilFromDayNumber(first).day)} du mois`
        : `Le ${joinFrench(byDay.map(({ nth, weekday }) => (nth === 0 ? `chaque ${WEEKDAY_NAMES[weekday]}` : `${ordinal(nth)} ${WEEKDAY_NAMES[weekday]}`)))} du mois`;
    days = phrase + everyPhrase(rule.interval, 'mois');
  }
  const end = rule.untilDay !== null ? `, jusqu’au ${formatDayWithoutWeekday(rule.untilDay)}` : rule.count !== null ? `, ${String(rule.count)} fois` : '';
  return `${days}, ${hours}${end}`;
}

export interface DescribedAbsence extends DescribedSchedule {
  readonly endDay: string;
}

/**
 * An absence in plain French: « Le lundi 7 décembre 2026, toute la journée », « Du lundi 7 décembre
 * 2026 au mercredi 9 décembre 2026, journées entières », « Du lundi 7 décembre 2026 à 14 h au
 * mardi 8 décembre 2026 à 12 h », or its recurrence. Whole days end at 00:00 the day after.
 */
export function describeAbsence(absence: DescribedAbsence): string {
  const first = parseIsoDate(absence.firstDay);
  const end = parseIsoDate(absence.endDay);
  if (first === null || end === null) return describeSchedule(absence);
  const spanDays = end - first;
  if (absence.recurrence !== null) {
    const schedule = describeSchedule(absence);
    return spanDays === 0 ? schedule : `${schedule} (chaque fois sur ${String(spanDays + 1)} jours)`;
  }
  const wholeDays = absence.startTime.startsWith('00:00') && absence.endTime.startsWith('00:00') && spanDays > 0;
  if (wholeDays) {
    return spanDays === 1
      ? `Le ${formatDayWithWeekday(first)}, toute la journée`
      : `Du ${formatDayWithWeekday(first)} au ${formatDayWithWeekday(end - 1)}, journées entières`;
  }
  if (spanDays === 0) return describeSchedule(absence);
  return `Du ${formatDayWithWeekday(first)} à ${formatHour(absence.startTime)} au ${formatDayWithWeekday(end)} à ${formatHour(absence.endTime)}`;
}
