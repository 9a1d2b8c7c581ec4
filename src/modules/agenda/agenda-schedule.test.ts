import { describe, expect, it } from 'vitest';
import { formatLocalDateTime, parseIsoDate } from '../../shared/time/index.js';
import type { AgendaAbsenceRow, AgendaOpeningPeriodRow } from './agenda.repository.js';
import { expandAbsenceOccurrences, expandOpeningOccurrences, holidaysBetween } from './agenda-schedule.js';

const PARIS = 'Europe/Paris';
const MELUN = { id: 1, departementNumber: '77', holidayRegion: null, openOnHolidays: [] as string[] };

function day(iso: string): number {
  const parsed = parseIsoDate(iso);
  if (parsed === null) throw new Error(iso);
  return parsed;
}

const morning: AgendaOpeningPeriodRow = {
  id: 10,
  organisationId: 1,
  agentId: 5,
  placeId: 100,
  title: 'Permanence du matin',
  firstDay: '2026-11-02',
  lastDay: null,
  startTime: '09:00',
  endTime: '12:00',
  recurrence: 'FREQ=WEEKLY;BYDAY=MO,FR',
  excludedDates: ['2026-12-14'],
  overrides: [{ occurrenceDate: '2026-12-18', startTime: '13:00', endTime: '15:00', placeId: 200 }],
  timeZone: PARIS,
};

describe('expandOpeningOccurrences', () => {
  it('draws the openings the funnel offers: holidays and excluded dates skipped, a moved occurrence at its new hours and place', () => {
    const occurrences = expandOpeningOccurrences([morning], [MELUN], day('2026-12-14'), day('2026-12-27'));
    expect(occurrences.map((occurrence) => [formatLocalDateTime(PARIS, occurrence.startsAtEpochMinutes), occurrence.placeId])).toEqual([
      // 14 December excluded; 18 December moved; 25 December is Christmas (closed).
      ['2026-12-18T13:00', 200],
      ['2026-12-21T09:00', 100],
    ]);
  });

  it('keeps only the occurrences at the place asked for', () => {
    const atPlace = expandOpeningOccurrences([morning], [MELUN], day('2026-12-14'), day('2026-12-27'), 200);
    expect(atPlace.map((occurrence) => formatLocalDateTime(PARIS, occurrence.startsAtEpochMinutes))).toEqual(['2026-12-18T13:00']);
  });
});

describe('expandAbsenceOccurrences', () => {
  const meeting: AgendaAbsenceRow = {
    id: 7,
    agentId: 5,
    organisationId: 2,
    title: 'Réunion d’équipe',
    firstDay: '2026-11-06',
    startTime: '14:00',
    endDay: '2026-11-06',
    endTime: '16:00',
    lastDay: null,
    recurrence: 'FREQ=WEEKLY;BYDAY=FR',
    excludedDates: [],
    timeZone: PARIS,
  };

  it('expands a recurring absence and withholds the title another organisation gave it', () => {
    const mine = expandAbsenceOccurrences([meeting], 2, day('2026-11-23'), day('2026-11-29'));
    expect(mine.map((occurrence) => [formatLocalDateTime(PARIS, occurrence.startsAtEpochMinutes), occurrence.title])).toEqual([['2026-11-27T14:00', 'Réunion d’équipe']]);
    expect(expandAbsenceOccurrences([meeting], 1, day('2026-11-23'), day('2026-11-29'))[0]?.title).toBeNull();
  });
});

describe('holidaysBetween', () => {
  it('names the public holidays of the territory, open or closed', () => {
    expect(holidaysBetween(MELUN, day('2026-12-21'), day('2027-01-03')).map((holiday) => [holiday.name, holiday.isClosed])).toEqual([
      ['Noël', true],
      ['Nouvel An', true],
    ]);
    const whitMonday = holidaysBetween({ ...MELUN, openOnHolidays: ['easter 50'] }, day('2027-05-17'), day('2027-05-17'));
    expect(whitMonday).toMatchObject([{ isClosed: false }]);
    // La Réunion adds the abolition of slavery on 20 December.
    expect(holidaysBetween({ ...MELUN, departementNumber: '974' }, day('2026-12-20'), day('2026-12-20'))).toHaveLength(1);
  });
});

describe('local closures of the territory (ADR 0030)', () => {
  const closed = { ...MELUN, closures: [{ firstDay: '2026-12-21', lastDay: '2026-12-25', label: 'Fermeture exceptionnelle' }] };

  it('draws no opening on a closure day, like a public holiday, whatever the organisation keeps open', () => {
    const occurrences = expandOpeningOccurrences([morning], [{ ...closed, openOnHolidays: ['12-25'] }], day('2026-12-14'), day('2026-12-28'));
    expect(occurrences.map((occurrence) => formatLocalDateTime(PARIS, occurrence.startsAtEpochMinutes))).toEqual(['2026-12-18T13:00', '2026-12-28T09:00']);
  });

  it('names the closure on each of its days in the agenda’s background, instead of a holiday the same day', () => {
    const days = holidaysBetween(closed, day('2026-12-24'), day('2027-01-01'));
    expect(days.map((entry) => [entry.name, entry.isClosed, entry.isLocalClosure === true])).toEqual([
      ['Fermeture exceptionnelle', true, true],
      ['Fermeture exceptionnelle', true, true],
      ['Nouvel An', true, false],
    ]);
  });
});
