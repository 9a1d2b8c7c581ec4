import { describe, expect, it } from 'vitest';
import { localToEpochMinutes, parseIsoDate } from '../../../shared/time/index.js';
import { gridRows, layOutLanes, segmentsOfDay, visibleWindow } from './agenda-layout.js';

const PARIS = 'Europe/Paris';
const REUNION = 'Indian/Reunion';

function day(iso: string): number {
  const parsed = parseIsoDate(iso);
  if (parsed === null) throw new Error(iso);
  return parsed;
}

/** An entry from local wall-clock times ('HH:MM') on a day in a zone. */
function entry(name: string, zone: string, iso: string, start: string, end: string, endIso = iso) {
  const minutes = (text: string): number => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
  return { name, startsAtEpochMinutes: localToEpochMinutes(zone, day(iso), minutes(start)), endsAtEpochMinutes: localToEpochMinutes(zone, day(endIso), minutes(end)) };
}

describe('segmentsOfDay', () => {
  it('places an entry at its local minutes, sorted by start then longest first', () => {
    const segments = segmentsOfDay([entry('b', PARIS, '2026-11-23', '10:00', '10:30'), entry('a', PARIS, '2026-11-23', '09:00', '12:00'), entry('c', PARIS, '2026-11-23', '09:00', '09:30')], day('2026-11-23'), PARIS);
    expect(segments.map((segment) => [segment.entry.name, segment.startMinute, segment.endMinute])).toEqual([
      ['a', 540, 720],
      ['c', 540, 570],
      ['b', 600, 630],
    ]);
  });

  it('cuts an absence over several days into whole days in the middle', () => {
    const leave = entry('congés', PARIS, '2026-12-14', '14:00', '12:00', '2026-12-16');
    const [first] = segmentsOfDay([leave], day('2026-12-14'), PARIS);
    const [middle] = segmentsOfDay([leave], day('2026-12-15'), PARIS);
    const [last] = segmentsOfDay([leave], day('2026-12-16'), PARIS);
    expect(first).toMatchObject({ startMinute: 840, endMinute: 1440, continuesBefore: false, continuesAfter: true });
    expect(middle).toMatchObject({ startMinute: 0, endMinute: 1440, continuesBefore: true, continuesAfter: true });
    expect(last).toMatchObject({ startMinute: 0, endMinute: 720, continuesBefore: true, continuesAfter: false });
    expect(segmentsOfDay([leave], day('2026-12-17'), PARIS)).toEqual([]);
  });

  it('keeps the days of the week of the spring change (2027-03-28 in Paris) at their wall-clock times', () => {
    // Sunday 28 March 2027 lasts 23 hours in Paris: 10:00 CEST is 08:00 UTC.
    const sunday = entry('dimanche', PARIS, '2027-03-28', '10:00', '11:00');
    expect(new Date(sunday.startsAtEpochMinutes * 60_000).toISOString()).toBe('2027-03-28T08:00:00.000Z');
    expect(segmentsOfDay([sunday], day('2027-03-28'), PARIS)).toMatchObject([{ startMinute: 600, endMinute: 660 }]);
    // An opening across the missing hour is drawn from 01:00 to 04:00 though it lasts two hours.
    const night = entry('nuit', PARIS, '2027-03-28', '01:00', '04:00');
    expect(night.endsAtEpochMinutes - night.startsAtEpochMinutes).toBe(120);
    expect(segmentsOfDay([night], day('2027-03-28'), PARIS)).toMatchObject([{ startMinute: 60, endMinute: 240 }]);
    // Monday 29 March 00:30 belongs to the next week, not to Sunday.
    const monday = entry('lundi', PARIS, '2027-03-29', '00:30', '01:00');
    expect(segmentsOfDay([monday], day('2027-03-28'), PARIS)).toEqual([]);
    expect(segmentsOfDay([monday], day('2027-03-29'), PARIS)).toMatchObject([{ startMinute: 30, endMinute: 60 }]);
  });

  it('draws an entry across the autumn change with its real duration from its start', () => {
    // 31 October 2027: 02:30 CEST (00:30 UTC) to 02:15 CET (01:15 UTC) lasts 45 minutes.
    const start = Date.UTC(2027, 9, 31, 0, 30) / 60_000;
    const segments = segmentsOfDay([{ startsAtEpochMinutes: start, endsAtEpochMinutes: start + 45 }], day('2027-10-31'), PARIS);
    expect(segments).toMatchObject([{ startMinute: 150, endMinute: 195 }]);
  });

  it('reads La Réunion’s days in their own zone (UTC+4, no summer time)', () => {
    const morning = entry('matin', REUNION, '2027-03-28', '08:00', '09:00');
    expect(new Date(morning.startsAtEpochMinutes * 60_000).toISOString()).toBe('2027-03-28T04:00:00.000Z');
    expect(segmentsOfDay([morning], day('2027-03-28'), REUNION)).toMatchObject([{ startMinute: 480, endMinute: 540 }]);
    // In Paris the same instant is 06:00 on Sunday (summer time has begun at 01:00 UTC).
    expect(segmentsOfDay([morning], day('2027-03-28'), PARIS)).toMatchObject([{ startMinute: 360, endMinute: 420 }]);
  });
});

describe('layOutLanes', () => {
  function lanes(entries: ReturnType<typeof entry>[], maxLanes?: number) {
    const { items, laneCount } = layOutLanes(segmentsOfDay(entries, day('2026-11-23'), PARIS), maxLanes);
    return { laneCount, placed: Object.fromEntries(items.map((item) => [item.entry.name, [item.lane, item.laneSpan]])) };
  }

  it('gives a lone appointment the whole width', () => {
    expect(lanes([entry('seul', PARIS, '2026-11-23', '09:00', '09:30')])).toEqual({ laneCount: 1, placed: { seul: [0, 1] } });
  });

  it('puts overlapping appointments side by side and lets others widen where nothing overlaps them', () => {
    const result = lanes([
      entry('a', PARIS, '2026-11-23', '09:00', '10:00'),
      entry('b', PARIS, '2026-11-23', '09:30', '10:30'),
      entry('c', PARIS, '2026-11-23', '09:45', '10:15'),
      entry('d', PARIS, '2026-11-23', '10:00', '11:00'),
      entry('e', PARIS, '2026-11-23', '14:00', '15:00'),
    ]);
    expect(result.laneCount).toBe(3);
    // a, b, c overlap: three lanes; d starts when a ends and takes its lane; e is alone and spans all three.
    expect(result.placed).toEqual({ a: [0, 1], b: [1, 1], c: [2, 1], d: [0, 1], e: [0, 3] });
  });

  it('treats touching appointments as not overlapping', () => {
    expect(lanes([entry('a', PARIS, '2026-11-23', '09:00', '09:30'), entry('b', PARIS, '2026-11-23', '09:30', '10:00')]).placed).toEqual({ a: [0, 1], b: [0, 1] });
  });

  it('never draws more lanes than the stylesheet has', () => {
    const many = Array.from({ length: 9 }, (_, index) => entry(`r${String(index)}`, PARIS, '2026-11-23', '09:00', '10:00'));
    const result = lanes(many, 6);
    expect(result.laneCount).toBe(6);
    expect(Math.max(...Object.values(result.placed).map(([lane]) => lane ?? 0))).toBe(5);
  });
});

describe('visibleWindow and gridRows', () => {
  it('shows 8h–18h by default, widened to whole hours around what lies outside', () => {
    expect(visibleWindow([])).toEqual({ startMinute: 480, endMinute: 1080 });
    expect(visibleWindow([{ startMinute: 7 * 60 + 30, endMinute: 8 * 60 }, { startMinute: 18 * 60, endMinute: 19 * 60 + 10 }])).toEqual({ startMinute: 420, endMinute: 1200 });
    expect(visibleWindow([{ startMinute: 0, endMinute: 1440 }])).toEqual({ startMinute: 0, endMinute: 1440 });
  });

  it('turns minutes into 15-minute rows, at least one, clipped to the window', () => {
    const window = { startMinute: 480, endMinute: 1080 };
    expect(gridRows({ startMinute: 540, endMinute: 585 }, window)).toEqual({ row: 5, rowSpan: 3 });
    expect(gridRows({ startMinute: 545, endMinute: 550 }, window)).toEqual({ row: 5, rowSpan: 1 });
    expect(gridRows({ startMinute: 0, endMinute: 1440 }, window)).toEqual({ row: 1, rowSpan: 40 });
  });
});
