// Placing what an agenda shows (appointments, opening periods, absences) in a day's column: the
// local minutes each covers that day, side-by-side lanes for overlapping appointments, and the
// CSS grid rows (15 minutes each) that draw them. Pure: zones and days are inputs.
//
// Positions follow the wall clock of the display zone: on the night clocks go forward an event
// from 01:30 to 03:30 is drawn over two hours although it lasts one; its text always gives the
// real times. On the night they go back, an event whose end reads earlier than its start is drawn
// with its real duration from its start.
import { MINUTES_PER_DAY, addDays, epochMinutesToLocal, startOfLocalDay, type DayNumber, type EpochMinutes } from '../../../shared/time/index.js';

/** Anything with an instant range. */
export interface TimedEntry {
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
}

/** The part of an entry that falls on one local day, in minutes of that day. */
export interface DaySegment<T> {
  readonly entry: T;
  readonly startMinute: number;
  readonly endMinute: number;
  /** The entry began on an earlier day / goes on after this day. */
  readonly continuesBefore: boolean;
  readonly continuesAfter: boolean;
}

/** A segment with its lane: `lane` (0-based) and the number of lanes it spans to its right. */
export interface LaidOutSegment<T> extends DaySegment<T> {
  readonly lane: number;
  readonly laneSpan: number;
}

/** Side-by-side lanes drawn at most (the CSS has classes for these); more overlap in the last one. */
export const MAX_LANES = 6;
/** Minutes per grid row. */
export const ROW_MINUTES = 15;
/** Hours shown when nothing lies outside them. */
export const DEFAULT_WINDOW = { startMinute: 8 * 60, endMinute: 18 * 60 } as const;

function minuteOn(timeZone: string, day: DayNumber, at: EpochMinutes): number | null {
  const local = epochMinutesToLocal(timeZone, at);
  return local.dayNumber === day ? local.minuteOfDay : null;
}

/** The segments of the entries that touch a local day, sorted by start then longest first. */
export function segmentsOfDay<T extends TimedEntry>(entries: readonly T[], day: DayNumber, timeZone: string): DaySegment<T>[] {
  const dayStart = startOfLocalDay(timeZone, day);
  const dayEnd = startOfLocalDay(timeZone, addDays(day, 1));
  const segments: DaySegment<T>[] = [];
  for (const entry of entries) {
    if (entry.startsAtEpochMinutes >= dayEnd || entry.endsAtEpochMinutes <= dayStart) continue;
    const continuesBefore = entry.startsAtEpochMinutes < dayStart;
    const continuesAfter = entry.endsAtEpochMinutes > dayEnd;
    const startMinute = continuesBefore ? 0 : (minuteOn(timeZone, day, entry.startsAtEpochMinutes) ?? 0);
    let endMinute = continuesAfter ? MINUTES_PER_DAY : (minuteOn(timeZone, day, entry.endsAtEpochMinutes) ?? MINUTES_PER_DAY);
    if (entry.endsAtEpochMinutes === dayEnd) endMinute = MINUTES_PER_DAY;
    // The hour repeated in autumn: the end's wall clock may read before the start's.
    if (endMinute <= startMinute) endMinute = Math.min(MINUTES_PER_DAY, startMinute + Math.max(1, entry.endsAtEpochMinutes - entry.startsAtEpochMinutes));
    segments.push({ entry, startMinute, endMinute, continuesBefore, continuesAfter });
  }
  return segments.sort((a, b) => a.startMinute - b.startMinute || b.endMinute - a.endMinute);
}

function overlaps(a: { startMinute: number; endMinute: number }, b: { startMinute: number; endMinute: number }): boolean {
  return a.startMinute < b.endMinute && b.startMinute < a.endMinute;
}

/**
 * Lanes for overlapping segments (sorted as `segmentsOfDay` returns them): each takes the first
 * free lane of its group of overlapping segments, then widens to the right over the lanes where
 * nothing overlaps it. `laneCount` is the column's number of lanes (at most `maxLanes`).
 */
export function layOutLanes<T>(segments: readonly DaySegment<T>[], maxLanes: number = MAX_LANES): { items: LaidOutSegment<T>[]; laneCount: number } {
  const lanes: number[] = [];
  let laneEnds: number[] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  let laneCount = segments.length === 0 ? 0 : 1;
  for (const segment of segments) {
    if (segment.startMinute >= groupEnd) {
      laneEnds = [];
      groupEnd = segment.endMinute;
    } else {
      groupEnd = Math.max(groupEnd, segment.endMinute);
    }
    let lane = laneEnds.findIndex((end) => end <= segment.startMinute);
    if (lane === -1) {
      if (laneEnds.length < maxLanes) {
        lane = laneEnds.length;
        laneEnds.push(0);
      } else {
        // Every lane is taken: share the one that frees first.
        lane = laneEnds.indexOf(Math.min(...laneEnds));
      }
    }
    laneEnds[lane] = Math.max(laneEnds[lane] ?? 0, segment.endMinute);
    lanes.push(lane);
    laneCount = Math.max(laneCount, laneEnds.length);
  }
  const items = segments.map((segment, index) => {
    const lane = lanes[index] ?? 0;
    let laneSpan = 1;
    for (let next = lane + 1; next < laneCount; next += 1) {
      const blocked = segments.some((other, otherIndex) => lanes[otherIndex] === next && overlaps(segment, other));
      if (blocked) break;
      laneSpan += 1;
    }
    return { ...segment, lane, laneSpan };
  });
  return { items, laneCount };
}

/** The hours the grid shows: the default hours, widened to whole hours around every segment. */
export function visibleWindow(segments: readonly { startMinute: number; endMinute: number }[]): { startMinute: number; endMinute: number } {
  let startMinute: number = DEFAULT_WINDOW.startMinute;
  let endMinute: number = DEFAULT_WINDOW.endMinute;
  for (const segment of segments) {
    startMinute = Math.min(startMinute, Math.floor(segment.startMinute / 60) * 60);
    endMinute = Math.max(endMinute, Math.ceil(segment.endMinute / 60) * 60);
  }
  return { startMinute: Math.max(0, startMinute), endMinute: Math.min(MINUTES_PER_DAY, endMinute) };
}

/** Grid row (1-based) and number of rows of a segment in a window; at least one row. */
export function gridRows(segment: { startMinute: number; endMinute: number }, window: { startMinute: number; endMinute: number }): { row: number; rowSpan: number } {
  const start = Math.max(segment.startMinute, window.startMinute);
  const end = Math.min(Math.max(segment.endMinute, start), window.endMinute);
  const row = Math.floor((start - window.startMinute) / ROW_MINUTES) + 1;
  const lastRow = Math.ceil((end - window.startMinute) / ROW_MINUTES) + 1;
  const maxRow = (window.endMinute - window.startMinute) / ROW_MINUTES;
  return { row: Math.min(row, maxRow), rowSpan: Math.max(1, Math.min(lastRow, maxRow + 1) - Math.min(row, maxRow)) };
}
