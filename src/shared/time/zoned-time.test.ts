import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDateToDayNumber, parseTimeOfDay } from './calendar-date.js';
import {
  epochMinutesToIso,
  epochMinutesToLocal,
  formatLocalDateTime,
  isValidTimeZone,
  isoToEpochMinutes,
  localDayOf,
  localToEpochMinutes,
  offsetMinutesAt,
  startOfLocalDay,
} from './zoned-time.js';

function toUtcIso(timeZone: string, isoDate: string, time: string): string {
  const minuteOfDay = parseTimeOfDay(time);
  if (minuteOfDay === null) throw new Error(time);
  return epochMinutesToIso(localToEpochMinutes(timeZone, isoDateToDayNumber(isoDate), minuteOfDay));
}

describe('local wall-clock time to UTC', () => {
  it.each([
    // Paris, ordinary winter and summer days
    ['Europe/Paris', '2025-01-15', '08:00', '2025-01-15T07:00:00.000Z'],
    ['Europe/Paris', '2025-07-15', '08:00', '2025-07-15T06:00:00.000Z'],
    // Paris, last Sunday of March 2025: 02:00 CET jumps to 03:00 CEST (01:00Z)
    ['Europe/Paris', '2025-03-30', '01:59', '2025-03-30T00:59:00.000Z'],
    ['Europe/Paris', '2025-03-30', '02:00', '2025-03-30T01:00:00.000Z'],
    ['Europe/Paris', '2025-03-30', '02:30', '2025-03-30T01:30:00.000Z'],
    ['Europe/Paris', '2025-03-30', '03:00', '2025-03-30T01:00:00.000Z'],
    ['Europe/Paris', '2025-03-30', '03:30', '2025-03-30T01:30:00.000Z'],
    ['Europe/Paris', '2025-03-30', '08:00', '2025-03-30T06:00:00.000Z'],
    // Paris, last Sunday of October 2025: 03:00 CEST goes back to 02:00 CET (01:00Z)
    ['Europe/Paris', '2025-10-26', '01:59', '2025-10-25T23:59:00.000Z'],
    ['Europe/Paris', '2025-10-26', '02:00', '2025-10-26T00:00:00.000Z'],
    ['Europe/Paris', '2025-10-26', '02:30', '2025-10-26T00:30:00.000Z'],
    ['Europe/Paris', '2025-10-26', '03:00', '2025-10-26T02:00:00.000Z'],
    ['Europe/Paris', '2025-10-26', '08:00', '2025-10-26T07:00:00.000Z'],
    ['Europe/Paris', '2025-10-25', '23:30', '2025-10-25T21:30:00.000Z'],
    ['Europe/Paris', '2025-10-26', '24:00', '2025-10-26T23:00:00.000Z'],
    // Overseas, no DST
    ['Indian/Reunion', '2025-03-30', '08:00', '2025-03-30T04:00:00.000Z'],
    ['Indian/Reunion', '2025-10-26', '02:30', '2025-10-25T22:30:00.000Z'],
    ['Indian/Mayotte', '2025-06-01', '08:00', '2025-06-01T05:00:00.000Z'],
    ['America/Cayenne', '2025-03-30', '08:00', '2025-03-30T11:00:00.000Z'],
    ['America/Cayenne', '2025-12-31', '22:00', '2026-01-01T01:00:00.000Z'],
    ['America/Guadeloupe', '2025-10-26', '02:30', '2025-10-26T06:30:00.000Z'],
    ['UTC', '2025-03-30', '02:30', '2025-03-30T02:30:00.000Z'],
  ] as const)('maps %s %s %s to %s', (timeZone, isoDate, time, expected) => {
    expect(toUtcIso(timeZone, isoDate, time)).toBe(expected);
  });

  it('moves a time in the spring-forward gap forward by the gap (02:30 → 03:30 CEST)', () => {
    const at = localToEpochMinutes('Europe/Paris', isoDateToDayNumber('2025-03-30'), 150);
    expect(formatLocalDateTime('Europe/Paris', at)).toBe('2025-03-30T03:30');
  });

  it('resolves an ambiguous autumn time to its first, summer-time occurrence', () => {
    const at = localToEpochMinutes('Europe/Paris', isoDateToDayNumber('2025-10-26'), 150);
    expect(offsetMinutesAt('Europe/Paris', at)).toBe(120);
  });

  it('keeps the local round trip for every minute of any Paris day outside the gap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: isoDateToDayNumber('2020-01-01'), max: isoDateToDayNumber('2030-12-31') }),
        fc.integer({ min: 0, max: 1439 }),
        (dayNumber, minuteOfDay) => {
          const at = localToEpochMinutes('Europe/Paris', dayNumber, minuteOfDay);
          const back = epochMinutesToLocal('Europe/Paris', at);
          const inGap = back.dayNumber !== dayNumber || back.minuteOfDay !== minuteOfDay;
          if (inGap) {
            // only the spring-forward hour may move, and by exactly one hour
            expect(back).toEqual({ dayNumber, minuteOfDay: minuteOfDay + 60 });
            expect(minuteOfDay >= 120 && minuteOfDay < 180).toBe(true);
          }
        },
      ),
    );
  });

  it('agrees with Intl for any instant (UTC → local)', () => {
    const format = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    fc.assert(
      fc.property(fc.integer({ min: 26_000_000, max: 32_000_000 }), (at) => {
        expect(formatLocalDateTime('Europe/Paris', at)).toBe(format.format(at * 60_000).replace(' ', 'T'));
      }),
    );
  });
});

describe('local days', () => {
  it('finds the local day of an instant overseas', () => {
    const at = isoToEpochMinutes('2025-12-19T21:00:00Z');
    expect(at).not.toBeNull();
    expect(localDayOf('Indian/Reunion', at ?? 0)).toBe(isoDateToDayNumber('2025-12-20'));
    expect(localDayOf('America/Cayenne', at ?? 0)).toBe(isoDateToDayNumber('2025-12-19'));
  });

  it('starts the spring-forward day at local midnight', () => {
    expect(epochMinutesToIso(startOfLocalDay('Europe/Paris', isoDateToDayNumber('2025-03-30')))).toBe(
      '2025-03-29T23:00:00.000Z',
    );
  });

  it.each([
    ['Europe/Paris', true],
    ['Indian/Reunion', true],
    ['America/Cayenne', true],
    ['Mars/Olympus', false],
    ['', false],
  ] as const)('knows whether %s is a time zone (%s)', (timeZone, valid) => {
    expect(isValidTimeZone(timeZone)).toBe(valid);
  });
});
