// Public holidays of a territory, from the `date-holidays` data set (never a hard-coded list).
//
// Région mapping (checked against date-holidays 3.37 data/countries/FR.yaml):
//   metropolitan départements, 2A, 2B → FR              (11 national public holidays)
//   57, 67, 68 (Alsace-Moselle)       → FR state 57/67/68 (+ Good Friday, + 26 December)
//   971 → FR-GP, 972 → FR-MQ, 973 → FR-GF, 974 → FR-RE, 976 → FR-YT, 977 → FR-BL, 978 → FR-MF
//                                        (+ abolition of slavery day; GP/MQ also Good Friday)
//   975 (Saint-Pierre-et-Miquelon)    → country PM
// A territory may override the mapping with its `holiday_region` column ('FR', 'FR-GF', 'PM').
// Only holidays of type 'public' close an organisation (not 'observance', 'optional', 'bank').
//
// Holiday KEYS (organisations.open_on_holidays) are the date-holidays rule strings, the
// library's own stable reference for a holiday, independent of language and year:
//   'easter 50' Whit Monday, 'easter -2' Good Friday, '12-26' St Stephen's day, '05-27'
//   abolition of slavery in Guadeloupe, '01-01', '05-01', '07-14'… (listPublicHolidays shows them).

import Holidays from 'date-holidays';
import { isoDateToDayNumber, type DayNumber } from '../../../shared/time/index.js';
import type { IsoDate, LocalClosure, OrganisationCalendar } from './availability.types.js';

/** A public holiday of a territory on one date. */
export interface PublicHoliday {
  readonly date: IsoDate;
  /** Stable key: the date-holidays rule ('easter 50' = Whit Monday). */
  readonly key: string;
  /** French name, for admin screens. */
  readonly name: string;
}

/** Holiday keys worth naming in code and tests. */
export const HOLIDAY_KEYS = {
  newYearsDay: '01-01',
  goodFriday: 'easter -2',
  easterMonday: 'easter 1',
  labourDay: '05-01',
  victoryDay: '05-08',
  ascensionDay: 'easter 39',
  whitMonday: 'easter 50',
  bastilleDay: '07-14',
  assumption: '08-15',
  allSaints: '11-01',
  armisticeDay: '11-11',
  christmasDay: '12-25',
  stStephensDay: '12-26',
} as const;

export interface HolidayRegion {
  readonly country: string;
  readonly state: string | null;
}

const OVERSEAS_STATES: Readonly<Record<string, string>> = {
  '971': 'GP',
  '972': 'MQ',
  '973': 'GF',
  '974': 'RE',
  '976': 'YT',
  '977': 'BL',
  '978': 'MF',
};

/** date-holidays country/state for a département number, or for an explicit region override. */
export function resolveHolidayRegion(departementNumber: string, holidayRegion: string | null = null): HolidayRegion {
  if (holidayRegion !== null && holidayRegion.trim() !== '') {
    const [country = 'FR', state] = holidayRegion.trim().toUpperCase().split('-');
    return { country, state: state ?? null };
  }
  const number = departementNumber.trim().toUpperCase();
  if (number === '57' || number === '67' || number === '68') return { country: 'FR', state: number };
  if (number === '975') return { country: 'PM', state: null };
  const overseas = OVERSEAS_STATES[number];
  return { country: 'FR', state: overseas ?? null };
}

const calendars = new Map<string, Holidays>();
const holidaysByRegionYear = new Map<string, readonly PublicHoliday[]>();
const closedDaysCache = new Map<string, ReadonlySet<DayNumber>>();
const CACHE_LIMIT = 10_000;

function regionKey(region: HolidayRegion): string {
  return region.state === null ? region.country : `${region.country}-${region.state}`;
}

function calendarOf(region: HolidayRegion): Holidays {
  const key = regionKey(region);
  let calendar = calendars.get(key);
  if (calendar === undefined) {
    calendar =
      region.state === null
        ? new Holidays(region.country, { languages: ['fr'], types: ['public'] })
        : new Holidays(region.country, region.state, { languages: ['fr'], types: ['public'] });
    calendars.set(key, calendar);
  }
  return calendar;
}

/** Public holidays of a région in a year (cached per région and year). */
export function listPublicHolidaysOfRegion(region: HolidayRegion, year: number): readonly PublicHoliday[] {
  const key = `${regionKey(region)}|${year}`;
  const cached = holidaysByRegionYear.get(key);
  if (cached !== undefined) return cached;
  const holidays = calendarOf(region)
    .getHolidays(year, 'fr')
    .filter((holiday) => holiday.type === 'public')
    // `date` is 'YYYY-MM-DD hh:mm:ss' in the région's own calendar: the local day is its prefix.
    .map((holiday) => ({ date: holiday.date.slice(0, 10), key: holiday.rule, name: holiday.name }));
  if (holidaysByRegionYear.size >= CACHE_LIMIT) holidaysByRegionYear.clear();
  holidaysByRegionYear.set(key, holidays);
  return holidays;
}

/** Public holidays of a territory (by département number) in a year. */
export function listPublicHolidays(
  territory: { readonly departementNumber: string; readonly holidayRegion?: string | null },
  year: number,
): readonly PublicHoliday[] {
  return listPublicHolidaysOfRegion(resolveHolidayRegion(territory.departementNumber, territory.holidayRegion ?? null), year);
}

/** Local days of a year on which an organisation is closed for a public holiday (cached). */
export function closedHolidayDays(organisation: OrganisationCalendar, year: number): ReadonlySet<DayNumber> {
  const region = resolveHolidayRegion(organisation.departementNumber, organisation.holidayRegion);
  const key = `${regionKey(region)}|${year}|${[...organisation.openOnHolidays].sort().join(',')}`;
  const cached = closedDaysCache.get(key);
  if (cached !== undefined) return cached;
  const openOn = new Set(organisation.openOnHolidays);
  const days = new Set<DayNumber>();
  for (const holiday of listPublicHolidaysOfRegion(region, year)) {
    if (!openOn.has(holiday.key)) days.add(isoDateToDayNumber(holiday.date));
  }
  if (closedDaysCache.size >= CACHE_LIMIT) closedDaysCache.clear();
  closedDaysCache.set(key, days);
  return days;
}

/** Whether a local day falls in one of the territory's local closures (ADR 0030). */
export function isLocalClosureDay(closures: readonly LocalClosure[], dayNumber: DayNumber): boolean {
  for (const closure of closures) {
    if (dayNumber >= isoDateToDayNumber(closure.firstDay) && dayNumber <= isoDateToDayNumber(closure.lastDay)) return true;
  }
  return false;
}
