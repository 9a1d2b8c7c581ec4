import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../../shared/time/index.js';
import { absenceIntervals, appointmentsCovered, applyOccurrenceEdit, findMotifsTooLong, findOverlaps, listOccurrences, type PeriodSchedule } from './occurrence-edits.js';

// Mondays and Thursdays, every other week, from Monday 7 December 2026.
const period: PeriodSchedule = {
  firstDay: '2026-12-07',
  lastDay: null,
  startTime: '09:00',
  endTime: '12:00',
  recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH',
  placeId: 1,
  timeZone: 'Europe/Paris',
  excludedDates: [],
  overrides: [],
};
const day = (iso: string): number => parseIsoDate(iso) ?? 0;

describe('occurrences of a period', () => {
  it('lists the rule’s days with their hours', () => {
    expect(listOccurrences(period, day('2026-12-01'), day('2026-12-31')).map((occurrence) => occurrence.date)).toEqual(['2026-12-07', '2026-12-10', '2026-12-21', '2026-12-24']);
  });

  it('marks cancelled and moved occurrences', () => {
    const edited = { ...period, excludedDates: ['2026-12-10'], overrides: [{ occurrenceDate: '2026-12-21', startTime: '14:00', endTime: '16:00', placeId: 2 }] };
    const [, cancelled, moved] = listOccurrences(edited, day('2026-12-01'), day('2026-12-31'));
    expect(cancelled).toMatchObject({ date: '2026-12-10', cancelled: true, moved: false });
    expect(moved).toEqual({ date: '2026-12-21', cancelled: false, moved: true, startTime: '14:00', endTime: '16:00', placeId: 2 });
  });
});

describe('editing one occurrence', () => {
  it('cancels an occurrence by excluding its date, and restores it', () => {
    const cancelled = applyOccurrenceEdit(period, '2026-12-10', { kind: 'cancel' });
    expect(cancelled).toEqual({ ok: true, excludedDates: ['2026-12-10'], overrides: [] });
    if (!cancelled.ok) return;
    const again = applyOccurrenceEdit({ ...period, excludedDates: cancelled.excludedDates }, '2026-12-10', { kind: 'cancel' });
    expect(again).toEqual({ ok: false, reason: 'ALREADY_CANCELLED' });
    expect(applyOccurrenceEdit({ ...period, excludedDates: cancelled.excludedDates }, '2026-12-10', { kind: 'restore' })).toEqual({ ok: true, excludedDates: [], overrides: [] });
  });

  it('refuses a day that is not an occurrence (wrong weekday, off week, before the first day)', () => {
    for (const date of ['2026-12-08', '2026-12-14', '2026-11-30']) {
      expect(applyOccurrenceEdit(period, date, { kind: 'cancel' })).toEqual({ ok: false, reason: 'NOT_AN_OCCURRENCE' });
    }
  });

  it('refuses to restore an occurrence that is not cancelled', () => {
    expect(applyOccurrenceEdit(period, '2026-12-07', { kind: 'restore' })).toEqual({ ok: false, reason: 'NOT_CANCELLED' });
  });

  it('moves an occurrence to other hours and place, and back to the usual ones', () => {
    const moved = applyOccurrenceEdit(period, '2026-12-21', { kind: 'move', startTime: '14:00', endTime: '16:00', placeId: 2 });
    expect(moved).toEqual({ ok: true, excludedDates: [], overrides: [{ occurrenceDate: '2026-12-21', startTime: '14:00', endTime: '16:00', placeId: 2 }] });
    if (!moved.ok) return;
    const withMove = { ...period, overrides: moved.overrides };
    expect(applyOccurrenceEdit(withMove, '2026-12-21', { kind: 'reset' })).toEqual({ ok: true, excludedDates: [], overrides: [] });
    expect(applyOccurrenceEdit(withMove, '2026-12-21', { kind: 'move', startTime: '09:00', endTime: '12:00', placeId: 1 })).toEqual({ ok: true, excludedDates: [], overrides: [] });
    expect(applyOccurrenceEdit(period, '2026-12-21', { kind: 'reset' })).toEqual({ ok: false, reason: 'NOT_MOVED' });
  });

  it('records only hours when the place stays the same', () => {
    const moved = applyOccurrenceEdit(period, '2026-12-07', { kind: 'move', startTime: '10:00', endTime: '11:00', placeId: 1 });
    expect(moved).toEqual({ ok: true, excludedDates: [], overrides: [{ occurrenceDate: '2026-12-07', startTime: '10:00', endTime: '11:00', placeId: null }] });
  });

  it('refuses a move ending before it starts, and a move of a cancelled occurrence', () => {
    expect(applyOccurrenceEdit(period, '2026-12-07', { kind: 'move', startTime: '11:00', endTime: '10:00', placeId: null })).toEqual({ ok: false, reason: 'ENDS_BEFORE_START' });
    expect(applyOccurrenceEdit({ ...period, excludedDates: ['2026-12-07'] }, '2026-12-07', { kind: 'move', startTime: '10:00', endTime: '11:00', placeId: null })).toEqual({
      ok: false,
      reason: 'CANCELLED',
    });
  });

  it('drops the move of an occurrence when it is cancelled', () => {
    const edited = { ...period, overrides: [{ occurrenceDate: '2026-12-07', startTime: '10:00', endTime: '11:00', placeId: null }] };
    expect(applyOccurrenceEdit(edited, '2026-12-07', { kind: 'cancel' })).toEqual({ ok: true, excludedDates: ['2026-12-07'], overrides: [] });
  });

  it('edits the single day of a one-off period, and nothing else', () => {
    const oneOff = { ...period, recurrence: null, lastDay: '2026-12-07' };
    expect(applyOccurrenceEdit(oneOff, '2026-12-07', { kind: 'cancel' }).ok).toBe(true);
    expect(applyOccurrenceEdit(oneOff, '2026-12-10', { kind: 'cancel' })).toEqual({ ok: false, reason: 'NOT_AN_OCCURRENCE' });
  });
});

describe('warnings', () => {
  it('finds another period of the agent open at the same time on some occurrence', () => {
    const other = { ...period, id: 9, title: 'Permanence', recurrence: 'FREQ=WEEKLY;BYDAY=TH', startTime: '11:00', endTime: '13:00', firstDay: '2026-12-01' };
    const [warning] = findOverlaps(period, [other], day('2026-12-01'));
    expect(warning).toMatchObject({ kind: 'OVERLAP', otherPeriodId: 9, otherTitle: 'Permanence', firstDate: '2026-12-10' });
  });

  it('ignores back-to-back periods and cancelled occurrences', () => {
    const afternoon = { ...period, id: 9, title: 'Après-midi', startTime: '12:00', endTime: '14:00' };
    expect(findOverlaps(period, [afternoon], day('2026-12-01'))).toEqual([]);
    const oneOff = { ...period, id: 10, title: 'Exceptionnelle', recurrence: null, lastDay: '2026-12-10', firstDay: '2026-12-10' };
    expect(findOverlaps({ ...period, excludedDates: ['2026-12-10'] }, [oneOff], day('2026-12-01'))).toEqual([]);
    expect(findOverlaps(period, [oneOff], day('2026-12-01'))).toHaveLength(1);
  });

  it('names the motifs longer than the period', () => {
    expect(findMotifsTooLong({ startTime: '09:00', endTime: '10:00' }, [{ name: 'Court', durationMinutes: 30 }, { name: 'Bilan', durationMinutes: 90 }])).toEqual([
      { kind: 'MOTIF_TOO_LONG', motifName: 'Bilan', durationMinutes: 90, periodMinutes: 60 },
    ]);
  });

  it('finds the appointments an absence covers, recurring or multi-day', () => {
    const meeting = { firstDay: '2026-12-04', startTime: '14:00', endDay: '2026-12-04', endTime: '16:00', lastDay: null, recurrence: 'FREQ=WEEKLY;BYDAY=FR', excludedDates: [], timeZone: 'Europe/Paris' };
    const intervals = absenceIntervals(meeting, day('2026-12-01'), day('2026-12-31'));
    expect(intervals).toHaveLength(4);
    // Friday 11 December 2026, 15:00–15:30 in Paris (UTC+1) is covered; 16:00–16:30 is not.
    const at = (iso: string): number => Date.parse(iso) / 60_000;
    const appointments = [
      { id: 1, startsAtEpochMinutes: at('2026-12-11T14:00:00Z'), endsAtEpochMinutes: at('2026-12-11T14:30:00Z') },
      { id: 2, startsAtEpochMinutes: at('2026-12-11T15:00:00Z'), endsAtEpochMinutes: at('2026-12-11T15:30:00Z') },
    ];
    expect(appointmentsCovered(intervals, appointments).map((appointment) => appointment.id)).toEqual([1]);
    const leave = { ...meeting, recurrence: null, endDay: '2026-12-12', endTime: '00:00', startTime: '00:00', firstDay: '2026-12-07', lastDay: '2026-12-12' };
    expect(absenceIntervals(leave, day('2026-12-01'), day('2026-12-31'))).toEqual([[at('2026-12-06T23:00:00Z'), at('2026-12-11T23:00:00Z')]]);
  });
});
