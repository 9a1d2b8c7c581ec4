import { describe, expect, it } from 'vitest';
import { buildRecurrence, describeAbsence, describeSchedule, formatHour, recurrenceChoiceOf, type RecurrenceChoice } from './recurrence-form.js';

describe('recurrence of the form ↔ RRULE', () => {
  const cases: { name: string; choice: RecurrenceChoice; rrule: string | null; firstDay: string }[] = [
    { name: 'a one-off period', choice: { kind: 'none' }, rrule: null, firstDay: '2026-12-07' },
    {
      name: 'Mondays and Thursdays every two weeks until a date',
      choice: { kind: 'weekly', intervalWeeks: 2, weekdays: [0, 3], end: { kind: 'until', day: '2027-12-31' } },
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20271231',
      firstDay: '2026-12-07',
    },
    {
      name: 'every week on Friday, endless',
      choice: { kind: 'weekly', intervalWeeks: 1, weekdays: [4], end: { kind: 'never' } },
      rrule: 'FREQ=WEEKLY;BYDAY=FR',
      firstDay: '2026-12-04',
    },
    {
      name: 'the 2nd Tuesday of every month, 10 times',
      choice: { kind: 'monthly', intervalMonths: 1, rank: 2, weekday: 1, end: { kind: 'count', count: 10 } },
      rrule: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=10',
      firstDay: '2026-12-08',
    },
    {
      name: 'the last Friday every three months',
      choice: { kind: 'monthly', intervalMonths: 3, rank: -1, weekday: 4, end: { kind: 'never' } },
      rrule: 'FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR',
      firstDay: '2026-12-25',
    },
  ];
  for (const { name, choice, rrule, firstDay } of cases) {
    it(`builds the RRULE of ${name}, and reads it back into the same form`, () => {
      expect(buildRecurrence(choice)).toBe(rrule);
      expect(recurrenceChoiceOf(rrule, firstDay)).toEqual(choice);
    });
  }

  it('sorts and deduplicates the ticked days', () => {
    expect(buildRecurrence({ kind: 'weekly', intervalWeeks: 1, weekdays: [3, 0, 3], end: { kind: 'never' } })).toBe('FREQ=WEEKLY;BYDAY=MO,TH');
  });

  it('reads a weekly rule without BYDAY as the weekday of the first day', () => {
    expect(recurrenceChoiceOf('FREQ=WEEKLY', '2026-12-02')).toEqual({ kind: 'weekly', intervalWeeks: 1, weekdays: [2], end: { kind: 'never' } });
  });

  it('reads a monthly rule the form cannot express on the first day’s weekday and rank', () => {
    expect(recurrenceChoiceOf('FREQ=MONTHLY', '2026-12-31')).toEqual({ kind: 'monthly', intervalMonths: 1, rank: -1, weekday: 3, end: { kind: 'never' } });
  });
});

describe('the schedule in plain French', () => {
  it('says a weekly period with days, interval, hours and end date', () => {
    expect(describeSchedule({ firstDay: '2026-12-07', startTime: '09:00', endTime: '12:00', recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20271231' })).toBe(
      'Tous les lundis et jeudis, une semaine sur deux, de 9 h à 12 h, jusqu’au 31 décembre 2027',
    );
  });

  it('says a monthly period with its rank and its count', () => {
    expect(describeSchedule({ firstDay: '2026-12-08', startTime: '14:00', endTime: '17:30', recurrence: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=10' })).toBe(
      'Le 2e mardi du mois, de 14 h à 17 h 30, 10 fois',
    );
    expect(describeSchedule({ firstDay: '2026-12-05', startTime: '09:00', endTime: '12:00', recurrence: 'FREQ=MONTHLY;BYDAY=1SA' })).toBe('Le 1er samedi du mois, de 9 h à 12 h');
    expect(describeSchedule({ firstDay: '2026-12-25', startTime: '09:00', endTime: '12:00', recurrence: 'FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR' })).toBe(
      'Le dernier vendredi du mois, tous les 3 mois, de 9 h à 12 h',
    );
  });

  it('says the working week, every day, and every N weeks', () => {
    expect(describeSchedule({ firstDay: '2026-12-07', startTime: '09:00', endTime: '12:00', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' })).toBe('Du lundi au vendredi, de 9 h à 12 h');
    expect(describeSchedule({ firstDay: '2026-12-07', startTime: '09:00', endTime: '12:00', recurrence: 'FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TU,WE,TH,FR,SA,SU' })).toBe(
      'Tous les jours, toutes les 3 semaines, de 9 h à 12 h',
    );
  });

  it('says a one-off period with its date', () => {
    expect(describeSchedule({ firstDay: '2026-12-01', startTime: '09:30', endTime: '11:00', recurrence: null })).toBe('Le mardi 1er décembre 2026, de 9 h 30 à 11 h');
  });

  it('formats hours the French way', () => {
    expect(formatHour('09:05:00')).toBe('9 h 05');
    expect(formatHour('00:00')).toBe('0 h');
  });
});

describe('an absence in plain French', () => {
  const base = { firstDay: '2026-12-07', startTime: '00:00', endDay: '2026-12-08', endTime: '00:00', recurrence: null };
  it('says whole days', () => {
    expect(describeAbsence(base)).toBe('Le lundi 7 décembre 2026, toute la journée');
    expect(describeAbsence({ ...base, endDay: '2026-12-10' })).toBe('Du lundi 7 décembre 2026 au mercredi 9 décembre 2026, journées entières');
  });
  it('says hours on one day or across days', () => {
    expect(describeAbsence({ ...base, endDay: '2026-12-07', startTime: '14:00', endTime: '16:30' })).toBe('Le lundi 7 décembre 2026, de 14 h à 16 h 30');
    expect(describeAbsence({ ...base, startTime: '14:00', endTime: '12:00' })).toBe('Du lundi 7 décembre 2026 à 14 h au mardi 8 décembre 2026 à 12 h');
  });
  it('says a recurring absence', () => {
    expect(describeAbsence({ ...base, endDay: '2026-12-07', startTime: '14:00', endTime: '16:00', recurrence: 'FREQ=WEEKLY;BYDAY=FR' })).toBe('Tous les vendredis, de 14 h à 16 h');
  });
});
