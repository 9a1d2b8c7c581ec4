import { describe, expect, it } from 'vitest';
import { dayNumberToIsoDate, parseIsoDate } from '../../../shared/time/index.js';
import { agendaRange, monthWeeks } from './agenda-range.js';

function day(iso: string): number {
  const parsed = parseIsoDate(iso);
  if (parsed === null) throw new Error(iso);
  return parsed;
}
const iso = (minutes: number): string => new Date(minutes * 60_000).toISOString();

describe('agendaRange', () => {
  it('runs a week from Monday’s local midnight to the next Monday’s, 167 hours across the spring change', () => {
    const week = agendaRange('semaine', day('2027-03-25'), 'Europe/Paris');
    expect(week.days.map(dayNumberToIsoDate)).toEqual(['2027-03-22', '2027-03-23', '2027-03-24', '2027-03-25', '2027-03-26', '2027-03-27', '2027-03-28']);
    expect(iso(week.from)).toBe('2027-03-21T23:00:00.000Z');
    expect(iso(week.to)).toBe('2027-03-28T22:00:00.000Z');
    expect(week.to - week.from).toBe(7 * 1440 - 60);
    expect(dayNumberToIsoDate(week.previousDate)).toBe('2027-03-15');
    expect(dayNumberToIsoDate(week.nextDate)).toBe('2027-03-29');
  });

  it('uses La Réunion’s midnight for its days', () => {
    const today = agendaRange('jour', day('2027-03-28'), 'Indian/Reunion');
    expect(iso(today.from)).toBe('2027-03-27T20:00:00.000Z');
    expect(iso(today.to)).toBe('2027-03-28T20:00:00.000Z');
    expect(dayNumberToIsoDate(today.previousDate)).toBe('2027-03-27');
  });

  it('covers a month’s days and moves by months', () => {
    const month = agendaRange('mois', day('2027-02-14'), 'Europe/Paris');
    expect(month.days).toHaveLength(28);
    expect(dayNumberToIsoDate(month.previousDate)).toBe('2027-01-01');
    expect(dayNumberToIsoDate(month.nextDate)).toBe('2027-03-01');
    const weeks = monthWeeks(month.days);
    // February 2027 starts on a Monday and ends on a Sunday: four full weeks.
    expect(weeks).toHaveLength(4);
    expect(weeks.every((week) => week.every((cell) => cell !== null))).toBe(true);
    const november = monthWeeks(agendaRange('mois', day('2026-11-24'), 'Europe/Paris').days);
    expect(november[0]?.slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(dayNumberToIsoDate(november[0]?.[6] ?? 0)).toBe('2026-11-01');
    expect(november).toHaveLength(6);
  });
});
