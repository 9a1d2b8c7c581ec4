// Which local days and instants an agenda view covers, and where its previous/next links go.
// Pure: the zone and the day are inputs (no wall clock).
import {
  addDays,
  addMonths,
  civilFromDayNumber,
  dayNumberFromCivil,
  daysInMonth,
  startOfLocalDay,
  weekdayOf,
  type DayNumber,
  type EpochMinutes,
} from '../../../shared/time/index.js';

/** The views of the agenda (French, as they appear in URLs). */
export const AGENDA_VIEWS = ['jour', 'semaine', 'mois', 'liste'] as const;
export type AgendaView = (typeof AGENDA_VIEWS)[number];
/** The views drawn as a calendar (the list is its own page). */
export type CalendarView = Exclude<AgendaView, 'liste'>;

export interface AgendaRange {
  readonly view: CalendarView;
  /** The day asked for (kept when moving between views). */
  readonly date: DayNumber;
  /** Local days shown, in order (one for a day, seven for a week, the month's days for a month). */
  readonly days: readonly DayNumber[];
  /** [from, to): from the first day's local midnight to the local midnight after the last day. */
  readonly from: EpochMinutes;
  readonly to: EpochMinutes;
  readonly previousDate: DayNumber;
  readonly nextDate: DayNumber;
}

/** Monday of the week of a day (weeks start on Monday in France). */
export function mondayOf(day: DayNumber): DayNumber {
  return addDays(day, -weekdayOf(day));
}

/** First day of the month of a day. */
export function firstOfMonth(day: DayNumber): DayNumber {
  const { year, month } = civilFromDayNumber(day);
  return dayNumberFromCivil(year, month, 1);
}

/** The days and instants of a view around a day, in a zone (23- and 25-hour days included). */
export function agendaRange(view: CalendarView, date: DayNumber, timeZone: string): AgendaRange {
  let firstDay: DayNumber;
  let dayCount: number;
  let previousDate: DayNumber;
  let nextDate: DayNumber;
  switch (view) {
    case 'jour':
      firstDay = date;
      dayCount = 1;
      previousDate = addDays(date, -1);
      nextDate = addDays(date, 1);
      break;
    case 'semaine':
      firstDay = mondayOf(date);
      dayCount = 7;
      previousDate = addDays(firstDay, -7);
      nextDate = addDays(firstDay, 7);
      break;
    case 'mois': {
      firstDay = firstOfMonth(date);
      const { year, month } = civilFromDayNumber(firstDay);
      dayCount = daysInMonth(year, month);
      previousDate = addMonths(firstDay, -1);
      nextDate = addMonths(firstDay, 1);
      break;
    }
  }
  const days = Array.from({ length: dayCount }, (_, index) => addDays(firstDay, index));
  return {
    view,
    date,
    days,
    from: startOfLocalDay(timeZone, firstDay),
    to: startOfLocalDay(timeZone, addDays(firstDay, dayCount)),
    previousDate,
    nextDate,
  };
}

/** The weeks (Monday to Sunday) of a month's calendar table; days outside the month are null. */
export function monthWeeks(days: readonly DayNumber[]): (DayNumber | null)[][] {
  const first = days[0];
  const last = days.at(-1);
  if (first === undefined || last === undefined) return [];
  const weeks: (DayNumber | null)[][] = [];
  for (let monday = mondayOf(first); monday <= last; monday = addDays(monday, 7)) {
    weeks.push(Array.from({ length: 7 }, (_, index) => {
      const day = addDays(monday, index);
      return day >= first && day <= last ? day : null;
    }));
  }
  return weeks;
}
