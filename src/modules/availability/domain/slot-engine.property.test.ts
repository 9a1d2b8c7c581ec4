// Invariants of the engine checked on random schedules (fast-check), against a brute-force
// reference expansion that shares nothing with the engine but the zone conversion.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatTimeOfDay,
  isoDateToDayNumber,
  localDayOf,
  localToEpochMinutes,
  weekdayOf,
  dayNumberToIsoDate,
  type EpochMinutes,
} from '../../../shared/time/index.js';
import type { Absence, BusyInterval, OpeningPeriod, Slot, SlotSearchInput } from './availability.types.js';
import { CAYENNE, PARIS, REUNION, buildAppointmentType, buildOrganisation, localDays } from './availability.test-builders.js';
import { listPublicHolidays } from './holidays.js';
import { computeSlots, findNextAvailability, slotGroupKey } from './slot-engine.js';

const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const WINDOW_DAYS = 14;

interface Scenario {
  readonly input: SlotSearchInput;
  readonly windowFirstDay: number;
  readonly departementNumber: string;
  readonly extraBusy: readonly BusyInterval[];
}

const periodArbitrary = (baseDay: number, timeZone: string, index: number): fc.Arbitrary<OpeningPeriod> =>
  fc
    .record({
      agentId: fc.integer({ min: 1, max: 3 }),
      placeId: fc.integer({ min: 1, max: 2 }),
      weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      interval: fc.integer({ min: 1, max: 2 }),
      startQuarter: fc.integer({ min: 0, max: 88 }),
      lengthQuarters: fc.integer({ min: 1, max: 24 }),
      firstDayOffset: fc.integer({ min: -10, max: 10 }),
      excludedOffsets: fc.uniqueArray(fc.integer({ min: 0, max: WINDOW_DAYS }), { maxLength: 3 }),
    })
    .map((raw) => ({
      id: index + 1,
      organisationId: 1,
      agentId: raw.agentId,
      placeId: raw.placeId,
      firstDay: dayNumberToIsoDate(baseDay + raw.firstDayOffset),
      lastDay: null,
      startTime: formatTimeOfDay(raw.startQuarter * 15),
      endTime: formatTimeOfDay(Math.min(raw.startQuarter + raw.lengthQuarters, 96) * 15),
      recurrence: `FREQ=WEEKLY;INTERVAL=${raw.interval};BYDAY=${raw.weekdays.map((day) => WEEKDAY_CODES[day] ?? 'MO').join(',')}`,
      excludedDates: raw.excludedOffsets.map((offset) => dayNumberToIsoDate(baseDay + offset)),
      overrides: [],
      appointmentTypeIds: [1],
      timeZone,
    }));

const busyArbitrary = (windowStart: EpochMinutes): fc.Arbitrary<BusyInterval> =>
  fc
    .record({
      agentId: fc.integer({ min: 1, max: 3 }),
      startOffset: fc.integer({ min: -120, max: WINDOW_DAYS * 1440 }),
      length: fc.integer({ min: 5, max: 300 }),
    })
    .map((raw) => ({
      agentId: raw.agentId,
      startsAtEpochMinutes: windowStart + raw.startOffset,
      endsAtEpochMinutes: windowStart + raw.startOffset + raw.length,
    }));

const absenceArbitrary = (baseDay: number, timeZone: string): fc.Arbitrary<Absence> =>
  fc
    .record({
      agentId: fc.integer({ min: 1, max: 3 }),
      dayOffset: fc.integer({ min: -1, max: WINDOW_DAYS }),
      spanDays: fc.integer({ min: 0, max: 2 }),
      startQuarter: fc.integer({ min: 0, max: 95 }),
      endQuarter: fc.integer({ min: 1, max: 96 }),
    })
    .filter((raw) => raw.spanDays > 0 || raw.endQuarter > raw.startQuarter)
    .map((raw) => ({
      agentId: raw.agentId,
      firstDay: dayNumberToIsoDate(baseDay + raw.dayOffset),
      startTime: formatTimeOfDay(raw.startQuarter * 15),
      endDay: dayNumberToIsoDate(baseDay + raw.dayOffset + raw.spanDays),
      endTime: formatTimeOfDay(raw.endQuarter * 15),
      lastDay: dayNumberToIsoDate(baseDay + raw.dayOffset + raw.spanDays),
      recurrence: null,
      excludedDates: [],
      timeZone,
    }));

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    // around both DST changes, an ordinary summer fortnight, and holidays of December / May
    windowFirstDay: fc.constantFrom('2025-03-24', '2025-10-20', '2025-06-02', '2025-12-15', '2025-05-19', '2025-04-14'),
    timeZone: fc.constantFrom(PARIS, REUNION, CAYENNE),
    departementNumber: fc.constantFrom('77', '67', '974', '971'),
  })
  .chain(({ windowFirstDay, timeZone, departementNumber }) => {
    const baseDay = isoDateToDayNumber(windowFirstDay);
    const window = localDays(timeZone, windowFirstDay, dayNumberToIsoDate(baseDay + WINDOW_DAYS - 1));
    return fc
      .record({
        periods: fc.integer({ min: 1, max: 5 }).chain((count) =>
          fc.tuple(...Array.from({ length: count }, (_, index) => periodArbitrary(baseDay, timeZone, index))),
        ),
        busy: fc.array(busyArbitrary(window.startsAtEpochMinutes), { maxLength: 12 }),
        extraBusy: fc.array(busyArbitrary(window.startsAtEpochMinutes), { minLength: 1, maxLength: 6 }),
        absences: fc.array(absenceArbitrary(baseDay, timeZone), { maxLength: 3 }),
        durationMinutes: fc.integer({ min: 10, max: 120 }),
        slotStepMinutes: fc.option(fc.integer({ min: 5, max: 60 })),
        bufferBeforeMinutes: fc.integer({ min: 0, max: 30 }),
        bufferAfterMinutes: fc.integer({ min: 0, max: 30 }),
        minBookingNoticeMinutes: fc.integer({ min: 0, max: 3 * 1440 }),
        maxBookingNoticeMinutes: fc.integer({ min: 3 * 1440 + 1, max: 12 * 1440 }),
        audience: fc.constantFrom('public' as const, 'agent' as const),
        nowOffset: fc.integer({ min: -2 * 1440, max: 5 * 1440 }),
        locationType: fc.constantFrom('public_office' as const, 'phone' as const),
      })
      .map((raw) => ({
        windowFirstDay: baseDay,
        departementNumber,
        extraBusy: raw.extraBusy,
        input: {
          audience: raw.audience,
          nowEpochMinutes: window.startsAtEpochMinutes + raw.nowOffset,
          appointmentType: buildAppointmentType({
            durationMinutes: raw.durationMinutes,
            slotStepMinutes: raw.slotStepMinutes,
            bufferBeforeMinutes: raw.bufferBeforeMinutes,
            bufferAfterMinutes: raw.bufferAfterMinutes,
            minBookingNoticeMinutes: raw.minBookingNoticeMinutes,
            maxBookingNoticeMinutes: raw.maxBookingNoticeMinutes,
            locationType: raw.locationType,
          }),
          openingPeriods: raw.periods,
          absences: raw.absences,
          busyIntervals: raw.busy,
          organisations: [buildOrganisation({ departementNumber })],
          window,
        },
      }));
  });

/** Brute-force occurrences of the weekly periods generated above: every day, every rule re-checked. */
function referenceOccurrences(period: OpeningPeriod, fromDay: number, toDay: number): { startsAt: number; endsAt: number }[] {
  const firstDay = isoDateToDayNumber(period.firstDay);
  const interval = Number(/INTERVAL=(\d+)/.exec(period.recurrence ?? '')?.[1] ?? '1');
  const codes = /BYDAY=([A-Z,]+)/.exec(period.recurrence ?? '')?.[1]?.split(',') ?? [];
  const [startHours = 0, startMinutes = 0] = period.startTime.split(':').map(Number);
  const [endHours = 0, endMinutes = 0] = period.endTime.split(':').map(Number);
  const result: { startsAt: number; endsAt: number }[] = [];
  for (let day = Math.max(fromDay, firstDay); day <= toDay; day += 1) {
    const weekIndex = Math.floor((day - (firstDay - weekdayOf(firstDay))) / 7);
    if (weekIndex % interval !== 0 || !codes.includes(WEEKDAY_CODES[weekdayOf(day)])) continue;
    if (period.excludedDates.includes(dayNumberToIsoDate(day))) continue;
    result.push({
      startsAt: localToEpochMinutes(period.timeZone, day, startHours * 60 + startMinutes),
      endsAt: localToEpochMinutes(period.timeZone, day, endHours * 60 + endMinutes),
    });
  }
  return result;
}

function busyOf(input: SlotSearchInput, agentId: number): { startsAt: number; endsAt: number }[] {
  const fromAppointments = input.busyIntervals
    .filter((busy) => busy.agentId === agentId)
    .map((busy) => ({ startsAt: busy.startsAtEpochMinutes, endsAt: busy.endsAtEpochMinutes }));
  const fromAbsences = input.absences
    .filter((absence) => absence.agentId === agentId)
    .map((absence) => {
      const [startHours = 0, startMinutes = 0] = absence.startTime.split(':').map(Number);
      const [endHours = 0, endMinutes = 0] = absence.endTime.split(':').map(Number);
      return {
        startsAt: localToEpochMinutes(absence.timeZone, isoDateToDayNumber(absence.firstDay), startHours * 60 + startMinutes),
        endsAt: localToEpochMinutes(absence.timeZone, isoDateToDayNumber(absence.endDay), endHours * 60 + endMinutes),
      };
    });
  return [...fromAppointments, ...fromAbsences];
}

const slotKey = (slot: Slot): string => `${slot.startsAtEpochMinutes}|${slot.agentIds.join(',')}|${slot.placeId ?? '-'}|${slot.openingPeriodId}`;

const runs = { numRuns: 300, seed: 20_250_330 };

describe('slot engine invariants', () => {
  it('refuses any slot that overlaps, with its buffers, a busy interval or absence of its agent', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ input }) => {
        const { bufferBeforeMinutes: before, bufferAfterMinutes: after } = input.appointmentType;
        for (const slot of computeSlots(input)) {
          for (const busy of busyOf(input, slot.agentIds[0] ?? 0)) {
            const overlaps = busy.startsAt < slot.endsAtEpochMinutes + after && busy.endsAt > slot.startsAtEpochMinutes - before;
            expect(overlaps).toBe(false);
          }
        }
      }),
      runs,
    );
  });

  it('keeps every slot inside an opening occurrence of its agent at its place, on its step grid', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ input, windowFirstDay }) => {
        const step = input.appointmentType.slotStepMinutes ?? input.appointmentType.durationMinutes;
        for (const slot of computeSlots(input)) {
          const period = input.openingPeriods.find((candidate) => candidate.id === slot.openingPeriodId);
          expect(period?.agentId).toBe(slot.agentIds[0]);
          expect(period?.placeId).toBe(slot.placeId);
          const occurrences = period === undefined ? [] : referenceOccurrences(period, windowFirstDay - 2, windowFirstDay + WINDOW_DAYS + 2);
          const container = occurrences.find(
            (occurrence) => occurrence.startsAt <= slot.startsAtEpochMinutes && occurrence.endsAt >= slot.endsAtEpochMinutes,
          );
          expect(container).toBeDefined();
          expect((slot.startsAtEpochMinutes - (container?.startsAt ?? 0)) % step).toBe(0);
        }
      }),
      runs,
    );
  });

  it('keeps slots within the window, after now, and within the booking notice on the public side', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ input }) => {
        const now = input.nowEpochMinutes;
        for (const slot of computeSlots(input)) {
          expect(slot.startsAtEpochMinutes).toBeGreaterThanOrEqual(input.window.startsAtEpochMinutes);
          expect(slot.startsAtEpochMinutes).toBeLessThan(input.window.endsAtEpochMinutes);
          expect(slot.startsAtEpochMinutes).toBeGreaterThanOrEqual(now);
          if (input.audience === 'public') {
            expect(slot.startsAtEpochMinutes).toBeGreaterThanOrEqual(now + input.appointmentType.minBookingNoticeMinutes);
            expect(slot.startsAtEpochMinutes).toBeLessThanOrEqual(now + input.appointmentType.maxBookingNoticeMinutes);
          }
          expect(slot.endsAtEpochMinutes - slot.startsAtEpochMinutes).toBe(input.appointmentType.durationMinutes);
        }
      }),
      runs,
    );
  });

  it('refuses any slot on a public holiday of the organisation’s territory', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ input, departementNumber }) => {
        const holidays = new Set(listPublicHolidays({ departementNumber }, 2025).map((holiday) => holiday.date));
        for (const slot of computeSlots(input)) {
          expect(holidays.has(dayNumberToIsoDate(localDayOf(slot.timeZone, slot.startsAtEpochMinutes)))).toBe(false);
        }
      }),
      runs,
    );
  });

  it('never adds a slot when busy time is added', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ input, extraBusy }) => {
        const before = new Set(computeSlots(input).map(slotKey));
        const after = computeSlots({ ...input, busyIntervals: [...input.busyIntervals, ...extraBusy] });
        for (const slot of after) expect(before.has(slotKey(slot))).toBe(true);
      }),
      runs,
    );
  });

  it('finds as next availability the earliest slot of each group, and nothing for empty groups', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ input }) => {
        const locationType = input.appointmentType.locationType;
        const earliest = new Map<number, number>();
        for (const slot of computeSlots(input)) {
          const key = slotGroupKey(slot, locationType);
          if (!earliest.has(key)) earliest.set(key, slot.startsAtEpochMinutes);
        }
        const next = findNextAvailability(input);
        expect(new Map([...next].map(([key, slot]) => [key, slot.startsAtEpochMinutes]))).toEqual(earliest);
      }),
      runs,
    );
  });
});
