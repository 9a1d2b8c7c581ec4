import { describe, expect, it } from 'vitest';
import { isoDateToDayNumber, localToEpochMinutes } from '../../src/shared/time/index.js';
import { cutSlots, subtractBusy } from './baseline.js';
import { closedDays } from './holidays.js';
import { Prng } from './prng.js';
import { matchesRule, occurrenceDays, parseRule } from './recurrence.js';

const day = (iso: string): number => isoDateToDayNumber(iso);

describe('baseline interval arithmetic', () => {
  it('subtracts busy ranges sorted by start, keeping what lies between them', () => {
    expect(subtractBusy(0, 100, [[10, 20], [15, 30], [50, 60], [90, 120]])).toEqual([[0, 10], [30, 50], [60, 90]]);
  });

  it('keeps the whole range when busy times only touch it', () => {
    expect(subtractBusy(10, 20, [[0, 10], [20, 30]])).toEqual([[10, 20]]);
  });

  it('cuts slots on the occurrence grid, not from the start of the free range', () => {
    // Occurrence from 0, 45-minute slots; free from 50 to 200: 90 and 135 fit, 180 does not.
    expect(cutSlots(0, [50, 200], 45, 45, { minStart: 0, maxStartExclusive: 1000 })).toEqual([90, 135]);
  });

  it('honours the earliest and the latest allowed start', () => {
    expect(cutSlots(0, [0, 300], 30, 30, { minStart: 61, maxStartExclusive: 150 })).toEqual([90, 120]);
  });
});

describe('baseline recurrence expansion', () => {
  it('repeats every other week from the first day’s week', () => {
    const days = occurrenceDays(
      { firstDay: day('2026-11-02'), lastDay: null, recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', excludedDays: new Set([day('2026-11-19')]) },
      day('2026-11-01'),
      day('2026-11-30'),
    );
    expect(days).toEqual([day('2026-11-02'), day('2026-11-05'), day('2026-11-16'), day('2026-11-30')]);
  });

  it('finds the last Friday and the second Tuesday of a month', () => {
    expect(matchesRule(parseRule('FREQ=MONTHLY;BYDAY=-1FR'), day('2026-01-01'), day('2026-10-30'))).toBe(true);
    expect(matchesRule(parseRule('FREQ=MONTHLY;BYDAY=-1FR'), day('2026-01-01'), day('2026-10-23'))).toBe(false);
    expect(matchesRule(parseRule('FREQ=MONTHLY;BYDAY=2TU'), day('2026-01-01'), day('2026-11-10'))).toBe(true);
  });

  it('stops at UNTIL, at the stored last day and after COUNT occurrences', () => {
    const weekly = (recurrence: string, lastDay: number | null): number[] =>
      occurrenceDays({ firstDay: day('2026-11-02'), lastDay, recurrence, excludedDays: new Set() }, day('2026-11-01'), day('2026-12-31'));
    expect(weekly('FREQ=WEEKLY;BYDAY=MO;UNTIL=20261116', null).at(-1)).toBe(day('2026-11-16'));
    expect(weekly('FREQ=WEEKLY;BYDAY=MO', day('2026-11-09')).at(-1)).toBe(day('2026-11-09'));
    expect(weekly('FREQ=WEEKLY;BYDAY=MO;COUNT=3', null)).toHaveLength(3);
  });
});

describe('baseline holidays', () => {
  it('closes Good Friday in Alsace-Moselle only, and Whit Monday unless the organisation stays open', () => {
    expect(closedDays('67', null, [], 2027).has(day('2027-03-26'))).toBe(true);
    expect(closedDays('77', null, [], 2027).has(day('2027-03-26'))).toBe(false);
    expect(closedDays('77', null, [], 2027).has(day('2027-05-17'))).toBe(true);
    expect(closedDays('77', null, ['easter 50'], 2027).has(day('2027-05-17'))).toBe(false);
  });
});

describe('benchmark inputs', () => {
  it('draws the same numbers from the same seed', () => {
    const draw = (): number[] => Array.from({ length: 5 }, (_, index) => new Prng(42).fork(index).int(0, 1_000_000));
    expect(draw()).toEqual(draw());
  });

  it('converts wall-clock times across the spring-forward night with the shared helpers', () => {
    // The baseline relies on src/shared/time for DST: 09:00 stays 09:00 local on both sides.
    expect(localToEpochMinutes('Europe/Paris', day('2027-03-29'), 540) - localToEpochMinutes('Europe/Paris', day('2027-03-26'), 540)).toBe(
      3 * 1440 - 60,
    );
  });
});
