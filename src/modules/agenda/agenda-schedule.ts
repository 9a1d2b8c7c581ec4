// Opening periods, absences and public holidays as the agenda draws them: concrete occurrences
// in [fromDay, toDay], expanded with the availability module's own occurrence code (the funnel
// offers exactly these openings). Pure: rows and days in, occurrences out.
import { addDays, civilFromDayNumber, isoDateToDayNumber, type DayNumber, type EpochMinutes } from '../../shared/time/index.js';
import {
  HolidayClosures,
  expandAbsence,
  listPublicHolidays,
  nextOpeningDay,
  occurrenceOn,
  prepareOpeningPeriod,
  type OrganisationCalendar,
} from '../availability/index.js';
import type { AgendaAbsenceRow, AgendaOpeningPeriodRow } from './agenda.repository.js';

/** One opening of an agent, drawn as a background block. */
export interface OpeningOccurrence {
  readonly openingPeriodId: number;
  readonly agentId: number;
  readonly title: string;
  readonly placeId: number | null;
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  readonly timeZone: string;
}

/** One absence occurrence of an agent. */
export interface AbsenceOccurrence {
  readonly absenceId: number;
  readonly agentId: number;
  /** Null when another organisation recorded it: its title is theirs to show. */
  readonly title: string | null;
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  readonly timeZone: string;
}

/** A public holiday or a local closure of the territory on a day of the agenda, and whether the organisation closes for it. */
export interface AgendaHoliday {
  readonly day: DayNumber;
  readonly name: string;
  readonly isClosed: boolean;
  /** A local closure of the territory (ADR 0030) rather than a public holiday. */
  readonly isLocalClosure?: boolean;
}

/** Occurrences of the periods on local days [fromDay, toDay] (holidays and excluded dates skipped, overrides applied). */
export function expandOpeningOccurrences(
  periods: readonly AgendaOpeningPeriodRow[],
  organisations: readonly OrganisationCalendar[],
  fromDay: DayNumber,
  toDay: DayNumber,
  placeId: number | null = null,
): OpeningOccurrence[] {
  const closures = new HolidayClosures(organisations);
  const occurrences: OpeningOccurrence[] = [];
  for (const period of periods) {
    const prepared = prepareOpeningPeriod({ ...period, appointmentTypeIds: [] });
    if (prepared === null) continue;
    for (let day = nextOpeningDay(prepared, fromDay, closures); day !== null && day <= toDay; day = nextOpeningDay(prepared, day + 1, closures)) {
      const occurrence = occurrenceOn(prepared, day);
      if (placeId !== null && occurrence.placeId !== placeId) continue;
      occurrences.push({
        openingPeriodId: period.id,
        agentId: period.agentId,
        title: period.title,
        placeId: occurrence.placeId,
        startsAtEpochMinutes: occurrence.startsAtEpochMinutes,
        endsAtEpochMinutes: occurrence.endsAtEpochMinutes,
        timeZone: period.timeZone,
      });
    }
  }
  return occurrences.sort((a, b) => a.startsAtEpochMinutes - b.startsAtEpochMinutes || a.openingPeriodId - b.openingPeriodId);
}

/** Occurrences of the absences touching local days [fromDay, toDay]; titles of other organisations' absences are withheld. */
export function expandAbsenceOccurrences(absences: readonly AgendaAbsenceRow[], organisationId: number, fromDay: DayNumber, toDay: DayNumber): AbsenceOccurrence[] {
  const occurrences: AbsenceOccurrence[] = [];
  const pairs: number[] = [];
  for (const absence of absences) {
    pairs.length = 0;
    expandAbsence(absence, fromDay, toDay, pairs);
    for (let index = 0; index + 1 < pairs.length; index += 2) {
      occurrences.push({
        absenceId: absence.id,
        agentId: absence.agentId,
        title: absence.organisationId === null || absence.organisationId === organisationId ? absence.title : null,
        startsAtEpochMinutes: pairs[index] ?? 0,
        endsAtEpochMinutes: pairs[index + 1] ?? 0,
        timeZone: absence.timeZone,
      });
    }
  }
  return occurrences.sort((a, b) => a.startsAtEpochMinutes - b.startsAtEpochMinutes || a.absenceId - b.absenceId);
}

/** Public holidays and local closures of the organisation's territory on local days [fromDay, toDay] (a closure wins over a holiday the same day). */
export function holidaysBetween(organisation: OrganisationCalendar, fromDay: DayNumber, toDay: DayNumber): AgendaHoliday[] {
  const holidays: AgendaHoliday[] = [];
  const closedLocally = new Set<DayNumber>();
  for (const closure of organisation.closures ?? []) {
    const first = Math.max(fromDay, isoDateToDayNumber(closure.firstDay));
    const last = Math.min(toDay, isoDateToDayNumber(closure.lastDay));
    for (let day = first; day <= last; day += 1) {
      if (closedLocally.has(day)) continue;
      closedLocally.add(day);
      holidays.push({ day, name: closure.label, isClosed: true, isLocalClosure: true });
    }
  }
  const firstYear = civilFromDayNumber(fromDay).year;
  const lastYear = civilFromDayNumber(toDay).year;
  const openOn = new Set(organisation.openOnHolidays);
  for (let year = firstYear; year <= lastYear; year += 1) {
    for (const holiday of listPublicHolidays({ departementNumber: organisation.departementNumber, holidayRegion: organisation.holidayRegion }, year)) {
      const day = isoDateToDayNumber(holiday.date);
      if (day >= fromDay && day <= toDay && !closedLocally.has(day)) holidays.push({ day, name: holiday.name, isClosed: !openOn.has(holiday.key) });
    }
  }
  return holidays.sort((a, b) => a.day - b.day);
}

/** Local days [fromDay, toDay] of a range of days shown, widened by one day for occurrences crossing midnight. */
export function widenedDays(days: readonly DayNumber[]): { fromDay: DayNumber; toDay: DayNumber } {
  const first = days[0] ?? 0;
  const last = days.at(-1) ?? first;
  return { fromDay: addDays(first, -1), toDay: addDays(last, 1) };
}
