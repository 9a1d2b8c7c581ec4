// Public holidays for the baseline, from `date-holidays` (as the engine does; RDV-Service-Public
// used a hard-coded metropolitan list). The département → région mapping is the one documented in
// src/modules/availability/domain/holidays.ts: metropolitan FR, Alsace-Moselle FR/57|67|68,
// overseas FR/GP|MQ|GF|RE|YT|BL|MF, 975 → PM; `territories.holiday_region` overrides it.
// Only type 'public' closes; organisations.open_on_holidays lists the date-holidays rules
// ('easter 50' = Whit Monday) on which an organisation stays open.

import Holidays from 'date-holidays';
import { isoDateToDayNumber, type DayNumber } from '../../src/shared/time/index.js';

const OVERSEAS: Readonly<Record<string, string>> = {
  '971': 'GP',
  '972': 'MQ',
  '973': 'GF',
  '974': 'RE',
  '976': 'YT',
  '977': 'BL',
  '978': 'MF',
};

function regionOf(departementNumber: string, holidayRegion: string | null): { country: string; state: string | null } {
  if (holidayRegion !== null && holidayRegion.trim() !== '') {
    const [country = 'FR', state] = holidayRegion.trim().toUpperCase().split('-');
    return { country, state: state ?? null };
  }
  if (['57', '67', '68'].includes(departementNumber)) return { country: 'FR', state: departementNumber };
  if (departementNumber === '975') return { country: 'PM', state: null };
  return { country: 'FR', state: OVERSEAS[departementNumber] ?? null };
}

const cache = new Map<string, ReadonlySet<DayNumber>>();

/** Local days of a year on which an organisation of this territory is closed. */
export function closedDays(
  departementNumber: string,
  holidayRegion: string | null,
  openOnHolidays: readonly string[],
  year: number,
): ReadonlySet<DayNumber> {
  const key = `${departementNumber}|${holidayRegion ?? ''}|${[...openOnHolidays].sort().join(',')}|${year}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const region = regionOf(departementNumber, holidayRegion);
  const calendar =
    region.state === null
      ? new Holidays(region.country, { languages: ['fr'], types: ['public'] })
      : new Holidays(region.country, region.state, { languages: ['fr'], types: ['public'] });
  const days = new Set<DayNumber>();
  for (const holiday of calendar.getHolidays(year, 'fr')) {
    if (holiday.type === 'public' && !openOnHolidays.includes(holiday.rule)) {
      days.add(isoDateToDayNumber(holiday.date.slice(0, 10)));
    }
  }
  cache.set(key, days);
  return days;
}
