import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDaysToIsoDate,
  addMonths,
  civilFromDayNumber,
  dayNumberFromCivil,
  dayNumberToIsoDate,
  formatTimeOfDay,
  isoDateToDayNumber,
  parseIsoDate,
  parseTimeOfDay,
  weekdayOf,
} from './calendar-date.js';

describe('calendar dates', () => {
  it('numbers days from 1970-01-01', () => {
    expect(isoDateToDayNumber('1970-01-01')).toBe(0);
    expect(isoDateToDayNumber('2000-03-01')).toBe(11017);
    expect(dayNumberToIsoDate(-1)).toBe('1969-12-31');
  });

  it.each([
    ['2025-03-30', 6],
    ['2025-10-26', 6],
    ['2025-03-31', 0],
    ['2024-02-29', 3],
    ['1970-01-01', 3],
  ] as const)('knows %s falls on Monday-first weekday %i', (iso, weekday) => {
    expect(weekdayOf(isoDateToDayNumber(iso))).toBe(weekday);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-00-10', '2025-1-01', 'hello', '2025-04-31'])(
    'refuses the malformed or unreal date %s',
    (text) => {
      expect(parseIsoDate(text)).toBeNull();
    },
  );

  it('keeps the ISO round trip for any day of four centuries', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (dayNumber) => {
        const iso = dayNumberToIsoDate(dayNumber);
        expect(parseIsoDate(iso)).toBe(dayNumber);
        const { year, month, day } = civilFromDayNumber(dayNumber);
        expect(dayNumberFromCivil(year, month, day)).toBe(dayNumber);
      }),
    );
  });

  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2025-11-15', 3, '2026-02-15'],
    ['2025-01-15', -13, '2023-12-15'],
  ] as const)('clamps %s plus %i months to %s', (from, months, expected) => {
    expect(dayNumberToIsoDate(addMonths(isoDateToDayNumber(from), months))).toBe(expected);
  });

  it('adds days across a month and a year end', () => {
    expect(addDaysToIsoDate('2025-12-30', 3)).toBe('2026-01-02');
  });
});

describe('times of day', () => {
  it.each([
    ['08:00', 480],
    ['08:30:00', 510],
    ['23:59:59', 1439],
    ['24:00:00', 1440],
    ['00:00', 0],
  ] as const)('reads %s as %i minutes', (text, minutes) => {
    expect(parseTimeOfDay(text)).toBe(minutes);
  });

  it.each(['24:01', '12:60', '8:00', 'noon', '25:00'])('refuses the malformed time %s', (text) => {
    expect(parseTimeOfDay(text)).toBeNull();
  });

  it('formats minutes as HH:MM', () => {
    expect(formatTimeOfDay(545)).toBe('09:05');
  });
});
