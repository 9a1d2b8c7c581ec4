import { describe, expect, it } from 'vitest';
import { computeLastDay, validateAbsence, validateOpeningPeriod, type OpeningPeriodDraft } from './schedule-validation.js';

const weekly: OpeningPeriodDraft = {
  firstDay: '2025-01-06',
  startTime: '08:00',
  endTime: '12:00',
  recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH',
  timeZone: 'Europe/Paris',
};

describe('validateOpeningPeriod', () => {
  it('keeps a valid endless weekly period with no last day', () => {
    expect(validateOpeningPeriod(weekly)).toEqual({ ok: true, value: { lastDay: null } });
  });

  it('keeps a one-off period whose last day is its first day', () => {
    expect(validateOpeningPeriod({ ...weekly, recurrence: null, lastDay: '2025-02-01' })).toEqual({
      ok: true,
      value: { lastDay: '2025-01-06' },
    });
  });

  it.each([
    ['an end before the start', { startTime: '12:00', endTime: '08:00' }, 'endTime'],
    ['a zero duration', { startTime: '08:00', endTime: '08:00' }, 'endTime'],
    ['a malformed time', { startTime: '8h' }, 'startTime'],
    ['an unreal first day', { firstDay: '2025-02-30' }, 'firstDay'],
    ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, 'timeZone'],
    ['an offset instead of a zone', { timeZone: '+02:00' }, 'timeZone'],
    ['an unsupported recurrence', { recurrence: 'FREQ=DAILY' }, 'recurrence'],
    ['a last day before the first day', { lastDay: '2025-01-01' }, 'lastDay'],
    ['a recurrence ending before its first occurrence', { recurrence: 'FREQ=WEEKLY;BYDAY=FR;UNTIL=20250108' }, 'recurrence'],
    ['a malformed excluded date', { excludedDates: ['2025-13-01'] }, 'excludedDates.0'],
    [
      'an override ending before it starts',
      { overrides: [{ occurrenceDate: '2025-01-09', startTime: '10:00', endTime: '09:00', placeId: null }] },
      'overrides.0.endTime',
    ],
  ] as const)('refuses %s', (_label, changes, field) => {
    const result = validateOpeningPeriod({ ...weekly, ...changes });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((error) => error.field)).toContain(field);
      for (const error of result.errors) expect(error.message.length).toBeGreaterThan(5);
    }
  });

  it('reports every error at once, in French', () => {
    const result = validateOpeningPeriod({ ...weekly, startTime: 'x', timeZone: 'Nowhere/City' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'startTime', message: "L'heure de début n'est pas une heure valide (HH:MM)." },
        { field: 'timeZone', message: 'Le fuseau horaire « Nowhere/City » est inconnu.' },
      ],
    });
  });
});

describe('computeLastDay', () => {
  it.each([
    ['2025-01-06', null, {}, '2025-01-06'],
    ['2025-01-06', 'FREQ=WEEKLY', {}, null],
    ['2025-01-06', 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20250201', {}, '2025-01-27'],
    ['2025-01-06', 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=3', {}, '2025-01-13'],
    ['2025-01-06', 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=2', {}, '2025-02-28'],
    ['2025-01-06', 'FREQ=WEEKLY;BYDAY=MO', { chosenLastDay: '2025-01-15' }, '2025-01-13'],
    ['2025-01-06', 'FREQ=WEEKLY;BYDAY=MO;COUNT=2', { chosenLastDay: '2025-03-01' }, '2025-01-13'],
    ['2025-01-06', null, { spanDays: 2 }, '2025-01-08'],
    ['2025-01-06', 'FREQ=WEEKLY;BYDAY=MO;COUNT=2', { spanDays: 2 }, '2025-01-15'],
  ] as const)('fills last_day of %s %s %j with %s', (firstDay, recurrence, options, expected) => {
    expect(computeLastDay(firstDay, recurrence, options)).toBe(expected);
  });
});

describe('validateAbsence', () => {
  it('keeps a three-day absence and covers its last day', () => {
    expect(
      validateAbsence({
        firstDay: '2025-01-06',
        startTime: '14:00',
        endDay: '2025-01-08',
        endTime: '12:00',
        recurrence: null,
        timeZone: 'Indian/Reunion',
      }),
    ).toEqual({ ok: true, value: { lastDay: '2025-01-08' } });
  });

  it('covers the end of the last occurrence of a recurring multi-day absence', () => {
    expect(
      validateAbsence({
        firstDay: '2025-01-06',
        startTime: '08:00',
        endDay: '2025-01-07',
        endTime: '18:00',
        recurrence: 'FREQ=WEEKLY;COUNT=3',
        timeZone: 'Europe/Paris',
      }),
    ).toEqual({ ok: true, value: { lastDay: '2025-01-21' } });
  });

  it.each([
    ['ending before it starts on the same day', { endDay: '2025-01-06', endTime: '08:00' }, 'endTime'],
    ['ending on an earlier day', { endDay: '2025-01-05' }, 'endDay'],
    ['in an unknown zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['with an unreadable recurrence', { recurrence: 'FREQ=WEEKLY;INTERVAL=-1' }, 'recurrence'],
  ] as const)('refuses an absence %s', (_label, changes, field) => {
    const result = validateAbsence({
      firstDay: '2025-01-06',
      startTime: '09:00',
      endDay: '2025-01-06',
      endTime: '10:00',
      recurrence: null,
      timeZone: 'Europe/Paris',
      ...changes,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.field)).toContain(field);
  });
});
