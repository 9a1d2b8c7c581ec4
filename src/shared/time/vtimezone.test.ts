import { describe, expect, it } from 'vitest';
import { buildVtimezoneLines, findOffsetTransitions, formatIcsLocal, formatUtcOffset } from './vtimezone.js';

describe('findOffsetTransitions', () => {
  it('finds the two changes of Paris in 2026 at the minute (01:00 UTC, last Sundays of March and October)', () => {
    const transitions = findOffsetTransitions('Europe/Paris', 2026, 2026).map((transition) => ({ ...transition, at: new Date(transition.at * 60_000).toISOString() }));
    expect(transitions).toEqual([
      { at: '2026-03-29T01:00:00.000Z', offsetFromMinutes: 60, offsetToMinutes: 120 },
      { at: '2026-10-25T01:00:00.000Z', offsetFromMinutes: 120, offsetToMinutes: 60 },
    ]);
  });
  it('finds none in La Réunion', () => {
    expect(findOffsetTransitions('Indian/Reunion', 2025, 2027)).toEqual([]);
  });
});

describe('buildVtimezoneLines', () => {
  it('states the summer time of Paris as two yearly rules, in the local time before each change', () => {
    expect(buildVtimezoneLines('Europe/Paris', 2025, 2027)).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Paris',
      'X-LIC-LOCATION:Europe/Paris',
      'BEGIN:DAYLIGHT',
      'DTSTART:20250330T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'TZNAME:UTC+2',
      'END:DAYLIGHT',
      'BEGIN:STANDARD',
      'DTSTART:20251026T030000',
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'TZNAME:UTC+1',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
  });

  it('gives La Réunion one standard observance at +04:00 and no summer time', () => {
    expect(buildVtimezoneLines('Indian/Reunion', 2025, 2027)).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:Indian/Reunion',
      'X-LIC-LOCATION:Indian/Reunion',
      'BEGIN:STANDARD',
      'DTSTART:20250101T000000',
      'TZOFFSETFROM:+0400',
      'TZOFFSETTO:+0400',
      'TZNAME:UTC+4',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
  });

  it('names the nth weekday of a month (Saint-Pierre-et-Miquelon: second Sunday of March, first of November)', () => {
    const lines = buildVtimezoneLines('America/Miquelon', 2025, 2027);
    expect(lines).toContain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU');
    expect(lines).toContain('RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU');
    expect(lines).toContain('TZOFFSETFROM:-0300');
    expect(lines).toContain('TZOFFSETTO:-0200');
  });
});

describe('formatting', () => {
  it('writes UTC offsets with sign, hours and minutes', () => {
    expect(formatUtcOffset(120)).toBe('+0200');
    expect(formatUtcOffset(-210)).toBe('-0330');
    expect(formatUtcOffset(0)).toBe('+0000');
  });
  it('writes local date-times without zone', () => {
    expect(formatIcsLocal(Date.UTC(2026, 2, 29, 2, 0) / 60_000)).toBe('20260329T020000');
  });
});
