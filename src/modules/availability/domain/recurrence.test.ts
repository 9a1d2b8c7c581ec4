import { describe, expect, it } from 'vitest';
import { dayNumberToIsoDate, isoDateToDayNumber } from '../../../shared/time/index.js';
import { compileRecurrence, lastOccurrenceDay, nextOccurrenceDay, parseRecurrence } from './recurrence.js';

function occurrences(rule: string, firstDay: string, untilDay: string): string[] {
  const parsed = parseRecurrence(rule);
  if (!parsed.ok) throw new Error(parsed.message);
  const compiled = compileRecurrence(parsed.rule, isoDateToDayNumber(firstDay));
  const days: string[] = [];
  const last = isoDateToDayNumber(untilDay);
  for (
    let day = nextOccurrenceDay(compiled, compiled.firstDay);
    day !== null && day <= last;
    day = nextOccurrenceDay(compiled, day + 1)
  ) {
    days.push(dayNumberToIsoDate(day));
  }
  return days;
}

describe('recurrence expansion on local days', () => {
  it.each([
    ['FREQ=WEEKLY', '2025-01-06', '2025-01-27', ['2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27']],
    ['FREQ=WEEKLY;BYDAY=MO,TH', '2025-01-06', '2025-01-16', ['2025-01-06', '2025-01-09', '2025-01-13', '2025-01-16']],
    ['FREQ=WEEKLY;BYDAY=SA,SU', '2025-01-06', '2025-01-13', ['2025-01-11', '2025-01-12']],
    // every other week, counted from the week of the first day (weeks start on Monday)
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR', '2025-01-08', '2025-02-01', ['2025-01-10', '2025-01-21', '2025-01-24']],
    ['FREQ=WEEKLY;INTERVAL=3', '2025-01-06', '2025-02-28', ['2025-01-06', '2025-01-27', '2025-02-17']],
    ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20250120', '2025-01-06', '2025-03-01', ['2025-01-06', '2025-01-13', '2025-01-20']],
    ['FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3', '2025-01-06', '2025-03-01', ['2025-01-06', '2025-01-08', '2025-01-13']],
    ['FREQ=MONTHLY;BYDAY=2TU', '2025-01-01', '2025-04-30', ['2025-01-14', '2025-02-11', '2025-03-11', '2025-04-08']],
    ['FREQ=MONTHLY;BYDAY=-1FR', '2025-01-01', '2025-04-30', ['2025-01-31', '2025-02-28', '2025-03-28', '2025-04-25']],
    ['FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO', '2025-01-06', '2025-06-30', ['2025-01-06', '2025-03-03', '2025-05-05']],
    ['FREQ=MONTHLY;BYDAY=5MO', '2025-01-01', '2025-06-30', ['2025-03-31', '2025-06-30']],
    ['FREQ=MONTHLY;BYDAY=1MO;COUNT=2', '2025-01-01', '2025-12-31', ['2025-01-06', '2025-02-03']],
    ['FREQ=MONTHLY', '2025-01-31', '2025-05-31', ['2025-01-31', '2025-03-31', '2025-05-31']],
    ['FREQ=WEEKLY;BYDAY=SU;UNTIL=20250330T235959Z', '2025-03-01', '2025-12-31', ['2025-03-02', '2025-03-09', '2025-03-16', '2025-03-23', '2025-03-30']],
  ] as const)('expands %s from %s', (rule, firstDay, untilDay, expected) => {
    expect(occurrences(rule, firstDay, untilDay)).toEqual(expected);
  });

  it('fast-forwards to a day far after the first one without walking every week', () => {
    const parsed = parseRecurrence('FREQ=WEEKLY;INTERVAL=2;BYDAY=WE');
    if (!parsed.ok) throw new Error(parsed.message);
    const compiled = compileRecurrence(parsed.rule, isoDateToDayNumber('2020-01-01'));
    const next = nextOccurrenceDay(compiled, isoDateToDayNumber('2025-06-01'));
    expect(next === null ? null : dayNumberToIsoDate(next)).toBe('2025-06-11');
  });

  it.each([
    ['FREQ=DAILY', 'fréquence'],
    ['FREQ=WEEKLY;BYDAY=XX', 'inconnu'],
    ['FREQ=WEEKLY;INTERVAL=0', 'intervalle'],
    ['FREQ=WEEKLY;COUNT=2;UNTIL=20250101', 'pas les deux'],
    ['FREQ=WEEKLY;UNTIL=20251340', 'date de fin'],
    ['FREQ=WEEKLY;BYMONTH=1', 'pas pris en charge'],
    ['FREQ=WEEKLY;FREQ=MONTHLY', 'répété'],
    ['FREQ=MONTHLY;BYDAY=6MO', 'inconnu'],
    ['garbage', 'illisible'],
  ] as const)('refuses the unsupported rule %s', (rule, messagePart) => {
    const parsed = parseRecurrence(rule);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(messagePart);
  });

  it.each([
    ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20250125', '2025-01-06', '2025-01-20'],
    ['FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4', '2025-01-06', '2025-01-17'],
    ['FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', '2025-01-01', '2025-03-28'],
    ['FREQ=MONTHLY;UNTIL=20250430', '2025-01-31', '2025-03-31'],
    ['FREQ=WEEKLY', '2025-01-06', null],
  ] as const)('finds the last occurrence of %s', (rule, firstDay, expected) => {
    const parsed = parseRecurrence(rule);
    if (!parsed.ok) throw new Error(parsed.message);
    const last = lastOccurrenceDay(parsed.rule, isoDateToDayNumber(firstDay));
    expect(last === null ? null : dayNumberToIsoDate(last)).toBe(expected);
  });
});
