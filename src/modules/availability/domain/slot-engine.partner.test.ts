// The joint ("binôme") intersection of the agent-side search (ADR 0023): the lead offers the
// motif, the partner is present (an opening of any motif) and free. Examples, then a property
// against a brute-force reference built on computeSlots.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusyInterval, OpeningPeriod, PartnerSlotSearchInput } from './availability.types.js';
import { PARIS, at, buildAbsence, buildAppointmentType, buildOpeningPeriod, buildSearch, localDays, localStarts, localTimes } from './availability.test-builders.js';
import { computePartnerSlots, computeSlots } from './slot-engine.js';

const LEAD = 1;
const PARTNER = 2;
const MONDAY = '2025-01-06';

/** Alice (lead) offers motif 1 at place 1, 08:00–12:00 every day; the partner works 09:00–12:00 at place 1 for motif 9. */
function partnerSearch(overrides: Partial<PartnerSlotSearchInput> = {}): PartnerSlotSearchInput {
  return {
    ...buildSearch({ openingPeriods: [buildOpeningPeriod({ id: 1, agentId: LEAD, placeId: 1 })] }),
    partnerAgentId: PARTNER,
    partnerOpeningPeriods: [buildOpeningPeriod({ id: 2, agentId: PARTNER, placeId: 1, startTime: '09:00', appointmentTypeIds: [9] })],
    ...overrides,
  };
}

function busy(agentId: number, from: string, to: string, day = MONDAY): BusyInterval {
  return { agentId, startsAtEpochMinutes: at(PARIS, day, from), endsAtEpochMinutes: at(PARIS, day, to) };
}

describe('computePartnerSlots', () => {
  it('keeps the lead’s slots the partner’s opening of another motif covers, with both agents, lead first', () => {
    const slots = computePartnerSlots(partnerSearch());
    expect(localTimes(slots)).toEqual(['09:00', '10:00', '11:00']);
    expect(slots.every((slot) => slot.agentIds.join() === `${String(LEAD)},${String(PARTNER)}`)).toBe(true);
  });

  it('drops a slot when either agent has an appointment over part of it', () => {
    expect(localTimes(computePartnerSlots(partnerSearch({ busyIntervals: [busy(PARTNER, '10:30', '10:45')] })))).toEqual(['09:00', '11:00']);
    expect(localTimes(computePartnerSlots(partnerSearch({ busyIntervals: [busy(LEAD, '09:00', '10:00')] })))).toEqual(['10:00', '11:00']);
  });

  it('drops a slot when either agent is absent', () => {
    expect(localTimes(computePartnerSlots(partnerSearch({ absences: [buildAbsence({ agentId: PARTNER, startTime: '11:00', endTime: '11:30' })] })))).toEqual(['09:00', '10:00']);
    expect(localTimes(computePartnerSlots(partnerSearch({ absences: [buildAbsence({ agentId: LEAD, startTime: '09:00', endTime: '10:00' })] })))).toEqual(['10:00', '11:00']);
  });

  it('drops every slot on a public holiday of the partner’s organisation, even when the lead’s stays open', () => {
    const easterMonday = { window: localDays(PARIS, '2025-04-21', '2025-04-21') };
    // The lead's organisation is not described (no holidays known); the partner's is in Seine-et-Marne.
    const leadOpen = [{ id: 2, departementNumber: '77', holidayRegion: null, openOnHolidays: [] }];
    const search = partnerSearch({
      ...easterMonday,
      organisations: leadOpen,
      partnerOpeningPeriods: [buildOpeningPeriod({ id: 2, agentId: PARTNER, organisationId: 2, placeId: 1, startTime: '09:00', appointmentTypeIds: [] })],
    });
    expect(computeSlots({ ...search, window: easterMonday.window }).length).toBe(4);
    expect(computePartnerSlots(search)).toEqual([]);
  });

  it('needs the partner at the same place for office visits, and only in the same organisation for remote motifs', () => {
    const elsewhere = [buildOpeningPeriod({ id: 2, agentId: PARTNER, placeId: 2, startTime: '09:00', appointmentTypeIds: [9] })];
    expect(computePartnerSlots(partnerSearch({ partnerOpeningPeriods: elsewhere }))).toEqual([]);
    const phone = buildAppointmentType({ locationType: 'phone' });
    expect(localTimes(computePartnerSlots(partnerSearch({ appointmentType: phone, partnerOpeningPeriods: elsewhere })))).toEqual(['09:00', '10:00', '11:00']);
    const otherOrganisation = [buildOpeningPeriod({ id: 2, agentId: PARTNER, organisationId: 7, placeId: 2, startTime: '09:00', appointmentTypeIds: [9] })];
    expect(computePartnerSlots(partnerSearch({ appointmentType: phone, partnerOpeningPeriods: otherOrganisation }))).toEqual([]);
  });

  it('applies the motif’s buffers to the partner’s busy time too', () => {
    const buffered = buildAppointmentType({ bufferAfterMinutes: 15 });
    expect(localTimes(computePartnerSlots(partnerSearch({ appointmentType: buffered, busyIntervals: [busy(PARTNER, '11:05', '11:10')] })))).toEqual(['09:00']);
  });

  it('never offers the past, and ignores the booking notice of the public side', () => {
    const now = at(PARIS, MONDAY, '09:30');
    const noticed = buildAppointmentType({ minBookingNoticeMinutes: 3 * 24 * 60 });
    expect(localTimes(computePartnerSlots(partnerSearch({ nowEpochMinutes: now, appointmentType: noticed })))).toEqual(['10:00', '11:00']);
  });

  it('needs one opening of the partner covering the whole slot, and no slot without any', () => {
    const split = [
      buildOpeningPeriod({ id: 2, agentId: PARTNER, placeId: 1, startTime: '09:00', endTime: '10:30', appointmentTypeIds: [] }),
      buildOpeningPeriod({ id: 3, agentId: PARTNER, placeId: 1, startTime: '10:30', endTime: '12:00', appointmentTypeIds: [] }),
    ];
    expect(localTimes(computePartnerSlots(partnerSearch({ partnerOpeningPeriods: split })))).toEqual(['09:00', '11:00']);
    expect(computePartnerSlots(partnerSearch({ partnerOpeningPeriods: [] }))).toEqual([]);
  });

  it('leaves the partner out of the leads and keeps one slot per start, place and lead', () => {
    const periods = [
      buildOpeningPeriod({ id: 1, agentId: LEAD, placeId: 1 }),
      buildOpeningPeriod({ id: 3, agentId: LEAD, placeId: 1, startTime: '09:00' }),
      buildOpeningPeriod({ id: 4, agentId: PARTNER, placeId: 1 }),
      buildOpeningPeriod({ id: 5, agentId: 3, placeId: 1 }),
    ];
    const slots = computePartnerSlots(partnerSearch({ openingPeriods: periods }));
    expect(slots.map((slot) => `${localTimes([slot]).join()} ${slot.agentIds.join('+')}`)).toEqual([
      '09:00 1+2',
      '09:00 3+2',
      '10:00 1+2',
      '10:00 3+2',
      '11:00 1+2',
      '11:00 3+2',
    ]);
  });
});

describe('computePartnerSlots — against a brute-force reference', () => {
  const minutes = (quarter: number): string => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
  const periodOf = (id: number, agentId: number, placeId: number, startQuarter: number, lengthQuarters: number, days: string): OpeningPeriod =>
    buildOpeningPeriod({ id, agentId, placeId, startTime: minutes(startQuarter), endTime: minutes(Math.min(95, startQuarter + lengthQuarters)), recurrence: `FREQ=WEEKLY;BYDAY=${days}`, appointmentTypeIds: agentId === PARTNER ? [9] : [1] });
  const periodArbitrary = (agentId: number, id: number): fc.Arbitrary<OpeningPeriod> =>
    fc
      .record({ placeId: fc.integer({ min: 1, max: 2 }), start: fc.integer({ min: 28, max: 60 }), length: fc.integer({ min: 2, max: 24 }), days: fc.constantFrom('MO,TU', 'TU,WE,TH', 'MO,WE,FR', 'TH,FR') })
      .map((value) => periodOf(id, agentId, value.placeId, value.start, value.length, value.days));
  const busyArbitrary = fc
    .record({ agentId: fc.constantFrom(LEAD, PARTNER, 3), day: fc.integer({ min: 0, max: 4 }), start: fc.integer({ min: 28, max: 70 }), length: fc.integer({ min: 1, max: 8 }) })
    .map((value): BusyInterval => {
      const day = `2025-01-${String(6 + value.day).padStart(2, '0')}`;
      return { agentId: value.agentId, startsAtEpochMinutes: at(PARIS, day, minutes(value.start)), endsAtEpochMinutes: at(PARIS, day, minutes(value.start + value.length)) };
    });

  it('equals the leads’ own slots where an opening of the partner covers the slot at its place and the partner is free', () => {
    fc.assert(
      fc.property(
        fc.array(periodArbitrary(LEAD, 1), { minLength: 1, maxLength: 2 }),
        periodArbitrary(3, 10),
        fc.array(periodArbitrary(PARTNER, 20), { minLength: 0, maxLength: 3 }),
        fc.array(busyArbitrary, { maxLength: 8 }),
        fc.constantFrom(15, 30, 45),
        (leadPeriods, otherLead, partnerPeriods, busyIntervals, duration) => {
          const openingPeriods = [...leadPeriods.map((period, index) => ({ ...period, id: index + 1 })), otherLead];
          const partners = partnerPeriods.map((period, index) => ({ ...period, id: 20 + index }));
          const sorted = [...busyIntervals].sort((a, b) => a.agentId - b.agentId || a.startsAtEpochMinutes - b.startsAtEpochMinutes);
          const search = buildSearch({ appointmentType: buildAppointmentType({ durationMinutes: duration }), openingPeriods, busyIntervals: sorted, window: localDays(PARIS, MONDAY, '2025-01-10') });
          const partnerOccurrences = computeSlots({ ...search, appointmentType: buildAppointmentType({ id: 9, durationMinutes: 15 }), openingPeriods: partners, busyIntervals: [] });
          const partnerThere = (start: number, end: number, placeId: number | null): boolean => {
            // The partner's 15-minute grid of each occurrence, gathered per period and day, covers [start, end) in one occurrence.
            const byOccurrence = new Map<string, number[]>();
            for (const quarter of partnerOccurrences) {
              if (quarter.placeId !== placeId) continue;
              const key = `${String(quarter.openingPeriodId)}|${localStarts([quarter])[0]?.slice(0, 10) ?? ''}`;
              byOccurrence.set(key, [...(byOccurrence.get(key) ?? []), quarter.startsAtEpochMinutes]);
            }
            return [...byOccurrence.values()].some((starts) => {
              for (let minute = start; minute < end; minute += 15) if (!starts.includes(minute)) return false;
              return true;
            });
          };
          const partnerFree = (start: number, end: number): boolean => !sorted.some((interval) => interval.agentId === PARTNER && interval.startsAtEpochMinutes < end && interval.endsAtEpochMinutes > start);
          const expected = computeSlots(search)
            .filter((slot) => partnerThere(slot.startsAtEpochMinutes, slot.endsAtEpochMinutes, slot.placeId) && partnerFree(slot.startsAtEpochMinutes, slot.endsAtEpochMinutes))
            .map((slot) => `${String(slot.startsAtEpochMinutes)}|${String(slot.placeId)}|${String(slot.agentIds[0])}`);
          const actual = computePartnerSlots({ ...search, partnerAgentId: PARTNER, partnerOpeningPeriods: partners }).map(
            (slot) => `${String(slot.startsAtEpochMinutes)}|${String(slot.placeId)}|${String(slot.agentIds[0])}`,
          );
          expect(actual).toEqual([...new Set(expected)]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
