import { describe, expect, it } from 'vitest';
import { isDaytime, nextAttemptAt, nextDaytime, plannedReminders, reminderInstant } from './reminder-schedule.js';

const local = (date: Date, timeZone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(date);

describe('reminder instants', () => {
  it('48 h before, when that falls in the daytime of the place', () => {
    const startsAt = new Date('2026-12-10T13:30:00Z'); // 14:30 Paris
    expect(local(reminderInstant(startsAt, 2880, 'Europe/Paris'), 'Europe/Paris')).toBe('2026-12-08 14:30');
  });

  it('moved into 09:00–20:00 of the place’s own zone', () => {
    // 08:30 → 08:30 two days before is too early: 09:00 that morning.
    expect(local(reminderInstant(new Date('2026-12-10T07:30:00Z'), 2880, 'Europe/Paris'), 'Europe/Paris')).toBe('2026-12-08 09:00');
    // 21:30 → 21:30 two days before is too late: 19:59 that evening.
    expect(local(reminderInstant(new Date('2026-12-10T20:30:00Z'), 2880, 'Europe/Paris'), 'Europe/Paris')).toBe('2026-12-08 19:59');
    // 08:00 in La Réunion is 05:00 in Paris: the Réunion morning, not Paris's.
    expect(local(reminderInstant(new Date('2026-12-10T04:00:00Z'), 2880, 'Indian/Reunion'), 'Indian/Reunion')).toBe('2026-12-08 09:00');
    // A 2-hour reminder of a 09:30 appointment would be at 07:30: 09:00, still before it.
    expect(local(reminderInstant(new Date('2026-12-10T08:30:00Z'), 120, 'Europe/Paris'), 'Europe/Paris')).toBe('2026-12-10 09:00');
    // Of a 09:00 appointment: 09:00 would be its start, so the evening before.
    expect(local(reminderInstant(new Date('2026-12-10T08:00:00Z'), 120, 'Europe/Paris'), 'Europe/Paris')).toBe('2026-12-09 19:59');
  });

  it('skips reminders whose moment passed before the booking, keeps the second one, never at or after the start', () => {
    const startsAt = new Date('2026-12-10T13:30:00Z');
    const planned = plannedReminders({ startsAt, timeZone: 'Europe/Paris', offsetsMinutes: [2880, 120], since: new Date('2026-12-09T12:00:00Z') });
    expect(planned.map((reminder) => reminder.offsetMinutes)).toEqual([120]);
    expect(plannedReminders({ startsAt, timeZone: 'Europe/Paris', offsetsMinutes: [2880, 2880], since: new Date('2026-12-01T00:00:00Z') })).toHaveLength(1);
    expect(plannedReminders({ startsAt, timeZone: 'Europe/Paris', offsetsMinutes: [0], since: new Date('2026-12-01T00:00:00Z') })).toEqual([]);
  });
});

describe('daytime and retries', () => {
  it('waits for 09:00 of the zone', () => {
    const night = new Date('2026-12-02T02:00:00Z');
    expect(isDaytime(night, 'Europe/Paris')).toBe(false);
    expect(local(nextDaytime(night, 'Europe/Paris'), 'Europe/Paris')).toBe('2026-12-02 09:00');
    expect(isDaytime(night, 'Indian/Reunion')).toBe(false); // 06:00 there
    expect(isDaytime(new Date('2026-12-02T21:00:00Z'), 'Europe/Paris')).toBe(false);
    expect(local(nextDaytime(new Date('2026-12-02T21:00:00Z'), 'Europe/Paris'), 'Europe/Paris')).toBe('2026-12-03 09:00');
  });

  it('backs off 1, 5, 15, 60, 180 minutes, then gives up', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    expect([1, 2, 3, 4, 5].map((attempt) => ((nextAttemptAt(now, attempt)?.getTime() ?? 0) - now.getTime()) / 60_000)).toEqual([1, 5, 15, 60, 180]);
    expect(nextAttemptAt(now, 6)).toBeNull();
  });
});
