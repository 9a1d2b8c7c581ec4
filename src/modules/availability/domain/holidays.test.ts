import { describe, expect, it } from 'vitest';
import { isoDateToDayNumber } from '../../../shared/time/index.js';
import { HOLIDAY_KEYS, closedHolidayDays, isLocalClosureDay, listPublicHolidays, resolveHolidayRegion } from './holidays.js';
import { HolidayClosures } from './occurrences.js';
import { buildOrganisation } from './availability.test-builders.js';

function holidayDates(departementNumber: string, year: number): string[] {
  return listPublicHolidays({ departementNumber }, year).map((holiday) => holiday.date);
}

describe('public holidays by territory', () => {
  it.each([
    ['77', { country: 'FR', state: null }],
    ['2A', { country: 'FR', state: null }],
    ['57', { country: 'FR', state: '57' }],
    ['67', { country: 'FR', state: '67' }],
    ['68', { country: 'FR', state: '68' }],
    ['971', { country: 'FR', state: 'GP' }],
    ['972', { country: 'FR', state: 'MQ' }],
    ['973', { country: 'FR', state: 'GF' }],
    ['974', { country: 'FR', state: 'RE' }],
    ['975', { country: 'PM', state: null }],
    ['976', { country: 'FR', state: 'YT' }],
  ] as const)('maps département %s to its date-holidays région', (departementNumber, region) => {
    expect(resolveHolidayRegion(departementNumber)).toEqual(region);
  });

  it('lets a territory override the région explicitly', () => {
    expect(resolveHolidayRegion('99', 'fr-gf')).toEqual({ country: 'FR', state: 'GF' });
  });

  it('keeps the 11 national public holidays in metropolitan France and no observance', () => {
    expect(holidayDates('77', 2025)).toEqual([
      '2025-01-01',
      '2025-04-21',
      '2025-05-01',
      '2025-05-08',
      '2025-05-29',
      '2025-06-09',
      '2025-07-14',
      '2025-08-15',
      '2025-11-01',
      '2025-11-11',
      '2025-12-25',
    ]);
  });

  it.each(['57', '67', '68'])('adds Good Friday and 26 December in Alsace-Moselle (%s)', (departementNumber) => {
    const dates = holidayDates(departementNumber, 2025);
    expect(dates).toContain('2025-04-18');
    expect(dates).toContain('2025-12-26');
    expect(dates).toHaveLength(13);
  });

  it.each([
    ['971', '2025-05-27'],
    ['972', '2025-05-22'],
    ['973', '2025-06-10'],
    ['974', '2025-12-20'],
    ['976', '2025-04-27'],
  ] as const)('adds the abolition of slavery day overseas (%s on %s)', (departementNumber, date) => {
    const holiday = listPublicHolidays({ departementNumber }, 2025).find((candidate) => candidate.date === date);
    expect(holiday?.name).toMatch(/esclavage/i);
    expect(holidayDates('77', 2025)).not.toContain(date);
  });

  it('computes movable feasts for any year (Easter Monday 2026 is 6 April)', () => {
    expect(holidayDates('77', 2026)).toContain('2026-04-06');
  });

  it('keys holidays by their date-holidays rule', () => {
    const keys = listPublicHolidays({ departementNumber: '67' }, 2025).map((holiday) => holiday.key);
    expect(keys).toContain(HOLIDAY_KEYS.whitMonday);
    expect(keys).toContain(HOLIDAY_KEYS.goodFriday);
    expect(keys).toContain(HOLIDAY_KEYS.stStephensDay);
  });

  it('keeps an organisation open on the holidays it lists (Whit Monday)', () => {
    const whitMonday = isoDateToDayNumber('2025-06-09');
    expect(closedHolidayDays(buildOrganisation(), 2025).has(whitMonday)).toBe(true);
    const open = buildOrganisation({ openOnHolidays: [HOLIDAY_KEYS.whitMonday] });
    expect(closedHolidayDays(open, 2025).has(whitMonday)).toBe(false);
    expect(closedHolidayDays(open, 2025).has(isoDateToDayNumber('2025-05-01'))).toBe(true);
  });
});

describe('local closures of a territory (ADR 0030)', () => {
  const closures = [
    { firstDay: '2026-12-24', lastDay: '2026-12-24', label: 'Fermeture exceptionnelle' },
    { firstDay: '2027-05-07', lastDay: '2027-05-09', label: 'Pont de l’Ascension' },
  ];

  it('covers every day from the first to the last, both included', () => {
    const days = ['2026-12-23', '2026-12-24', '2026-12-25', '2027-05-06', '2027-05-07', '2027-05-09', '2027-05-10'].map((date) => isLocalClosureDay(closures, isoDateToDayNumber(date)));
    expect(days).toEqual([false, true, false, false, true, true, false]);
  });

  it('closes the organisation in the slot engine like a public holiday', () => {
    const engine = new HolidayClosures([{ ...buildOrganisation({ id: 7 }), closures }]);
    expect(engine.isClosed(7, isoDateToDayNumber('2026-12-24'))).toBe(true);
    expect(engine.isClosed(7, isoDateToDayNumber('2026-12-23'))).toBe(false);
    expect(engine.isClosed(7, isoDateToDayNumber('2026-12-25'))).toBe(true); // Christmas still closes it
    expect(new HolidayClosures([buildOrganisation({ id: 7 })]).isClosed(7, isoDateToDayNumber('2026-12-24'))).toBe(false);
  });
});
