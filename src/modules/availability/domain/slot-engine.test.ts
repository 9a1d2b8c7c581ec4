import { describe, expect, it } from 'vitest';
import { epochMinutesToIso } from '../../../shared/time/index.js';
import type { CollectiveAppointment, OpeningPeriod, SlotSearchInput } from './availability.types.js';
import {
  CAYENNE,
  PARIS,
  REUNION,
  at,
  buildAbsence,
  buildAppointmentType,
  buildOpeningPeriod,
  buildOrganisation,
  buildSearch,
  localDays,
  localStarts,
  localTimes,
} from './availability.test-builders.js';
import { HOLIDAY_KEYS } from './holidays.js';
import {
  computeJointSlots,
  computeSlots,
  dedupePublicSlots,
  findNextAvailability,
  listCollectiveSlots,
} from './slot-engine.js';

function slotTimesOn(day: string, overrides: Partial<SlotSearchInput> = {}, timeZone = PARIS): string[] {
  return localTimes(computeSlots(buildSearch({ window: localDays(timeZone, day, day), ...overrides })));
}

describe('computeSlots — daylight saving time in Paris', () => {
  it('keeps the slots of an 08:00–12:00 opening at 08:00 local on the last Sunday of March', () => {
    const slots = computeSlots(buildSearch({ window: localDays(PARIS, '2025-03-30', '2025-03-30') }));
    expect(localTimes(slots)).toEqual(['08:00', '09:00', '10:00', '11:00']);
    expect(epochMinutesToIso(slots[0]?.startsAtEpochMinutes ?? 0)).toBe('2025-03-30T06:00:00.000Z');
  });

  it('keeps the slots of an 08:00–12:00 opening at 08:00 local on the last Sunday of October', () => {
    const slots = computeSlots(buildSearch({ window: localDays(PARIS, '2025-10-26', '2025-10-26') }));
    expect(localTimes(slots)).toEqual(['08:00', '09:00', '10:00', '11:00']);
    expect(epochMinutesToIso(slots[0]?.startsAtEpochMinutes ?? 0)).toBe('2025-10-26T07:00:00.000Z');
  });

  it('keeps 08:00 local on the Saturday before and the Monday after each change', () => {
    for (const day of ['2025-03-29', '2025-03-31', '2025-10-25', '2025-10-27']) {
      expect(slotTimesOn(day)[0]).toBe('08:00');
    }
  });

  it('loses the missing hour of a 01:00–04:00 opening on the spring-forward night', () => {
    const night = { openingPeriods: [buildOpeningPeriod({ startTime: '01:00', endTime: '04:00' })] };
    expect(slotTimesOn('2025-03-30', night)).toEqual(['01:00', '03:00']);
    expect(slotTimesOn('2025-03-23', night)).toEqual(['01:00', '02:00', '03:00']);
  });

  it('keeps the real elapsed time of a 01:00–04:00 opening on the fall-back night (the hour repeats)', () => {
    const night = { openingPeriods: [buildOpeningPeriod({ startTime: '01:00', endTime: '04:00' })] };
    expect(slotTimesOn('2025-10-26', night)).toEqual(['01:00', '02:00', '02:00', '03:00']);
  });
});

describe('computeSlots — overseas zones', () => {
  it.each([
    [REUNION, '2025-03-30', '2025-03-30T04:00:00.000Z'],
    [REUNION, '2025-10-26', '2025-10-26T04:00:00.000Z'],
    [CAYENNE, '2025-03-30', '2025-03-30T11:00:00.000Z'],
    [CAYENNE, '2025-07-01', '2025-07-01T11:00:00.000Z'],
  ] as const)('keeps 08:00 local in %s on %s (no DST)', (timeZone, day, firstUtc) => {
    const slots = computeSlots(
      buildSearch({
        openingPeriods: [buildOpeningPeriod({ timeZone })],
        window: localDays(timeZone, day, day),
      }),
    );
    expect(localTimes(slots)).toEqual(['08:00', '09:00', '10:00', '11:00']);
    expect(slots[0]?.timeZone).toBe(timeZone);
    expect(epochMinutesToIso(slots[0]?.startsAtEpochMinutes ?? 0)).toBe(firstUtc);
  });
});

describe('computeSlots — public holidays', () => {
  it.each([
    ['974', REUNION, '2025-12-20', 0],
    ['974', REUNION, '2025-12-19', 4],
    ['77', PARIS, '2025-12-20', 4],
    ['67', PARIS, '2025-04-18', 0],
    ['57', PARIS, '2025-12-26', 0],
    ['68', PARIS, '2025-12-26', 0],
    ['77', PARIS, '2025-04-18', 4],
    ['77', PARIS, '2025-12-26', 4],
    ['971', 'America/Guadeloupe', '2025-05-27', 0],
    ['972', 'America/Martinique', '2025-05-22', 0],
    ['973', CAYENNE, '2025-06-10', 0],
    ['976', 'Indian/Mayotte', '2025-04-27', 0],
    ['976', 'Indian/Mayotte', '2025-05-27', 4],
    ['77', PARIS, '2025-07-14', 0],
    ['974', REUNION, '2025-07-14', 0],
  ] as const)('in département %s (%s) on %s offers %i slots', (departementNumber, timeZone, day, count) => {
    const slots = computeSlots(
      buildSearch({
        openingPeriods: [buildOpeningPeriod({ timeZone })],
        organisations: [buildOrganisation({ departementNumber })],
        window: localDays(timeZone, day, day),
      }),
    );
    expect(slots).toHaveLength(count);
  });

  it('refuses slots on Whit Monday unless the organisation stays open that day', () => {
    expect(slotTimesOn('2025-06-09')).toEqual([]);
    const open = { organisations: [buildOrganisation({ openOnHolidays: [HOLIDAY_KEYS.whitMonday] })] };
    expect(slotTimesOn('2025-06-09', open)).toEqual(['08:00', '09:00', '10:00', '11:00']);
  });

  it('closes an organisation on its own territory’s holidays only, not another organisation’s', () => {
    const search = buildSearch({
      openingPeriods: [
        buildOpeningPeriod({ id: 1, organisationId: 1, placeId: 1, startTime: '08:00', endTime: '09:00' }),
        buildOpeningPeriod({ id: 2, organisationId: 2, placeId: 2, startTime: '10:00', endTime: '11:00' }),
      ],
      organisations: [buildOrganisation({ id: 1, departementNumber: '67' }), buildOrganisation({ id: 2, departementNumber: '77' })],
      window: localDays(PARIS, '2025-04-18', '2025-04-18'),
    });
    expect(computeSlots(search).map((slot) => slot.organisationId)).toEqual([2]);
  });
});

describe('computeSlots — appointment type rules', () => {
  it('steps by the duration by default (45 min in 09:00–12:00 → 4 slots)', () => {
    const search = {
      appointmentType: buildAppointmentType({ durationMinutes: 45 }),
      openingPeriods: [buildOpeningPeriod({ startTime: '09:00', endTime: '12:00' })],
    };
    expect(slotTimesOn('2025-01-06', search)).toEqual(['09:00', '09:45', '10:30', '11:15']);
  });

  it('steps independently of the duration when a slot step is set', () => {
    const search = {
      appointmentType: buildAppointmentType({ durationMinutes: 45, slotStepMinutes: 15 }),
      openingPeriods: [buildOpeningPeriod({ startTime: '09:00', endTime: '10:30' })],
    };
    expect(slotTimesOn('2025-01-06', search)).toEqual(['09:00', '09:15', '09:30', '09:45']);
  });

  it('refuses a slot overlapping an appointment and realigns on the grid after it', () => {
    const busy = [{ agentId: 1, startsAtEpochMinutes: at(PARIS, '2025-01-06', '09:00'), endsAtEpochMinutes: at(PARIS, '2025-01-06', '09:30') }];
    expect(slotTimesOn('2025-01-06', { busyIntervals: busy })).toEqual(['08:00', '10:00', '11:00']);
  });

  it('keeps slots of other agents when one agent is busy', () => {
    const busy = [{ agentId: 1, startsAtEpochMinutes: at(PARIS, '2025-01-06', '08:00'), endsAtEpochMinutes: at(PARIS, '2025-01-06', '12:00') }];
    const periods = [buildOpeningPeriod({ id: 1, agentId: 1 }), buildOpeningPeriod({ id: 2, agentId: 2 })];
    const slots = computeSlots(buildSearch({ busyIntervals: busy, openingPeriods: periods }));
    expect(slots.map((slot) => slot.agentIds)).toEqual([[2], [2], [2], [2]]);
  });

  it('refuses slots whose buffers overlap busy time, but lets buffers exceed the opening', () => {
    const busy = [{ agentId: 1, startsAtEpochMinutes: at(PARIS, '2025-01-06', '10:00'), endsAtEpochMinutes: at(PARIS, '2025-01-06', '10:30') }];
    const search = {
      busyIntervals: busy,
      appointmentType: buildAppointmentType({ durationMinutes: 30, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 }),
    };
    expect(slotTimesOn('2025-01-06', search)).toEqual(['08:00', '08:30', '09:00', '11:00', '11:30']);
  });

  it('refuses slots before the minimum booking notice on the public side', () => {
    const search = {
      audience: 'public' as const,
      nowEpochMinutes: at(PARIS, '2025-01-06', '09:10'),
      appointmentType: buildAppointmentType({ minBookingNoticeMinutes: 60 }),
    };
    expect(slotTimesOn('2025-01-06', search)).toEqual(['11:00']);
  });

  it('refuses slots beyond the maximum booking notice on the public side', () => {
    const search = buildSearch({
      audience: 'public',
      nowEpochMinutes: at(PARIS, '2025-01-06', '10:00'),
      appointmentType: buildAppointmentType({ maxBookingNoticeMinutes: 24 * 60 }),
      window: localDays(PARIS, '2025-01-06', '2025-01-10'),
    });
    expect(localStarts(computeSlots(search))).toEqual(['2025-01-06T10:00', '2025-01-06T11:00', '2025-01-07T08:00', '2025-01-07T09:00', '2025-01-07T10:00']);
  });

  it('ignores booking notice on the agent side but never offers the past', () => {
    const search = {
      audience: 'agent' as const,
      nowEpochMinutes: at(PARIS, '2025-01-06', '09:10'),
      appointmentType: buildAppointmentType({ minBookingNoticeMinutes: 24 * 60, maxBookingNoticeMinutes: 60 }),
    };
    expect(slotTimesOn('2025-01-06', search)).toEqual(['10:00', '11:00']);
  });

  it('refuses office visits at a period without a place, but keeps phone appointments there', () => {
    const periods = [buildOpeningPeriod({ placeId: null })];
    expect(slotTimesOn('2025-01-06', { openingPeriods: periods })).toEqual([]);
    const phone = { openingPeriods: periods, appointmentType: buildAppointmentType({ locationType: 'phone' }) };
    expect(slotTimesOn('2025-01-06', phone)).toEqual(['08:00', '09:00', '10:00', '11:00']);
  });

  it('refuses periods not linked to the appointment type', () => {
    expect(slotTimesOn('2025-01-06', { openingPeriods: [buildOpeningPeriod({ appointmentTypeIds: [2] })] })).toEqual([]);
  });

  it('returns no individual slots for a collective type', () => {
    expect(slotTimesOn('2025-01-06', { appointmentType: buildAppointmentType({ isCollective: true }) })).toEqual([]);
  });
});

describe('computeSlots — recurrence, exclusions and overrides', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=SU', ['2025-01-12', '2025-01-19', '2025-01-26']],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', ['2025-01-06', '2025-01-20']],
    ['FREQ=MONTHLY;BYDAY=-1FR', ['2025-01-31']],
    ['FREQ=MONTHLY;BYDAY=3TU', ['2025-01-21']],
    ['FREQ=WEEKLY;BYDAY=MO;COUNT=2', ['2025-01-06', '2025-01-13']],
  ] as const)('opens on the days of %s', (recurrence, days) => {
    const search = buildSearch({
      openingPeriods: [buildOpeningPeriod({ recurrence, startTime: '08:00', endTime: '09:00' })],
      window: localDays(PARIS, '2025-01-01', '2025-01-31'),
    });
    expect(localStarts(computeSlots(search)).map((start) => start.slice(0, 10))).toEqual(days);
  });

  it('opens a one-off period on its single day only', () => {
    const search = buildSearch({
      openingPeriods: [buildOpeningPeriod({ recurrence: null, firstDay: '2025-01-08', lastDay: '2025-01-08', endTime: '09:00' })],
      window: localDays(PARIS, '2025-01-01', '2025-01-31'),
    });
    expect(localStarts(computeSlots(search))).toEqual(['2025-01-08T08:00']);
  });

  it('stops at the period last day', () => {
    const search = buildSearch({
      openingPeriods: [buildOpeningPeriod({ recurrence: 'FREQ=WEEKLY;BYDAY=MO', lastDay: '2025-01-13', endTime: '09:00' })],
      window: localDays(PARIS, '2025-01-01', '2025-01-31'),
    });
    expect(localStarts(computeSlots(search))).toEqual(['2025-01-06T08:00', '2025-01-13T08:00']);
  });

  it('refuses slots on an excluded date', () => {
    expect(slotTimesOn('2025-01-06', { openingPeriods: [buildOpeningPeriod({ excludedDates: ['2025-01-06'] })] })).toEqual([]);
  });

  it('moves one occurrence to other hours and another place', () => {
    const period = buildOpeningPeriod({
      overrides: [{ occurrenceDate: '2025-01-07', startTime: '14:00', endTime: '16:00', placeId: 9 }],
    });
    const slots = computeSlots(buildSearch({ openingPeriods: [period], window: localDays(PARIS, '2025-01-06', '2025-01-07') }));
    expect(slots.map((slot) => `${localStarts([slot])[0] ?? ''}@${slot.placeId ?? '-'}`)).toEqual([
      '2025-01-06T08:00@1',
      '2025-01-06T09:00@1',
      '2025-01-06T10:00@1',
      '2025-01-06T11:00@1',
      '2025-01-07T14:00@9',
      '2025-01-07T15:00@9',
    ]);
  });
});

describe('computeSlots — absences', () => {
  it('refuses slots during a one-off absence', () => {
    expect(slotTimesOn('2025-01-06', { absences: [buildAbsence()] })).toEqual(['08:00', '10:00', '11:00']);
  });

  it('refuses slots during every day of a multi-day absence', () => {
    const absence = buildAbsence({ firstDay: '2025-01-06', startTime: '11:00', endDay: '2025-01-08', endTime: '09:00', lastDay: '2025-01-08' });
    const search = buildSearch({ absences: [absence], window: localDays(PARIS, '2025-01-06', '2025-01-08') });
    expect(localStarts(computeSlots(search))).toEqual([
      '2025-01-06T08:00',
      '2025-01-06T09:00',
      '2025-01-06T10:00',
      '2025-01-08T09:00',
      '2025-01-08T10:00',
      '2025-01-08T11:00',
    ]);
  });

  it('refuses slots during each occurrence of a recurring absence, except excluded ones', () => {
    const absence = buildAbsence({
      firstDay: '2025-01-07',
      endDay: '2025-01-07',
      startTime: '08:00',
      endTime: '10:00',
      lastDay: null,
      recurrence: 'FREQ=WEEKLY;BYDAY=TU',
      excludedDates: ['2025-01-14'],
    });
    const search = buildSearch({ absences: [absence], window: localDays(PARIS, '2025-01-07', '2025-01-21') });
    const tuesdays = localStarts(computeSlots(search)).filter((start) => ['2025-01-07', '2025-01-14', '2025-01-21'].includes(start.slice(0, 10)));
    expect(tuesdays).toEqual([
      '2025-01-07T10:00',
      '2025-01-07T11:00',
      '2025-01-14T08:00',
      '2025-01-14T09:00',
      '2025-01-14T10:00',
      '2025-01-14T11:00',
      '2025-01-21T10:00',
      '2025-01-21T11:00',
    ]);
  });

  it('refuses slots during an absence recorded in another zone (same instants)', () => {
    const absence = buildAbsence({ timeZone: REUNION, startTime: '12:00', endTime: '13:00' }); // 09:00–10:00 Paris
    expect(slotTimesOn('2025-01-06', { absences: [absence] })).toEqual(['08:00', '10:00', '11:00']);
  });
});

describe('computeSlots — restrictions and filters', () => {
  const twoAgents: OpeningPeriod[] = [
    buildOpeningPeriod({ id: 1, agentId: 1, placeId: 1, organisationId: 1, endTime: '09:00' }),
    buildOpeningPeriod({ id: 2, agentId: 2, placeId: 2, organisationId: 2, endTime: '09:00' }),
  ];
  const agentsOf = (overrides: Partial<SlotSearchInput>): number[] =>
    computeSlots(buildSearch({ openingPeriods: twoAgents, organisations: [buildOrganisation({ id: 1 }), buildOrganisation({ id: 2 })], ...overrides })).flatMap(
      (slot) => slot.agentIds,
    );

  it.each([
    ['no filter', {}, [1, 2]],
    ['agent filter', { filters: { agentIds: [2] } }, [2]],
    ['place filter', { filters: { placeIds: [1] } }, [1]],
    ['organisation filter', { filters: { organisationIds: [2] } }, [2]],
    ['empty agent filter', { filters: { agentIds: [] } }, []],
  ] as const)('keeps only allowed agents with %s', (_label, overrides, expected) => {
    expect(agentsOf(overrides)).toEqual(expected);
  });

  it('refuses a follow-up type to a citizen without referents', () => {
    const appointmentType = buildAppointmentType({ isFollowUpOnly: true });
    expect(agentsOf({ audience: 'public', appointmentType })).toEqual([]);
  });

  it('keeps a follow-up type only with the user’s referents', () => {
    const appointmentType = buildAppointmentType({ isFollowUpOnly: true });
    expect(agentsOf({ audience: 'public', appointmentType, filters: { referentAgentIds: [2] } })).toEqual([2]);
    expect(agentsOf({ audience: 'public', appointmentType, filters: { referentAgentIds: [2], agentIds: [1] } })).toEqual([]);
  });

  it('keeps every agent for a follow-up type on the agent side when no user is chosen', () => {
    expect(agentsOf({ audience: 'agent', appointmentType: buildAppointmentType({ isFollowUpOnly: true }) })).toEqual([1, 2]);
  });
});

describe('dedupePublicSlots', () => {
  it('keeps one slot per start time and place', () => {
    const periods = [
      buildOpeningPeriod({ id: 1, agentId: 1, placeId: 1, endTime: '09:00' }),
      buildOpeningPeriod({ id: 2, agentId: 2, placeId: 1, endTime: '09:00' }),
      buildOpeningPeriod({ id: 3, agentId: 3, placeId: 2, endTime: '09:00' }),
    ];
    const slots = computeSlots(buildSearch({ openingPeriods: periods }));
    expect(slots).toHaveLength(3);
    expect(dedupePublicSlots(slots, 'public_office').map((slot) => slot.placeId)).toEqual([1, 2]);
  });

  it('keeps one slot per start time and organisation for phone appointments', () => {
    const periods = [
      buildOpeningPeriod({ id: 1, agentId: 1, placeId: null, endTime: '09:00' }),
      buildOpeningPeriod({ id: 2, agentId: 2, placeId: 3, endTime: '09:00' }),
    ];
    const slots = computeSlots(buildSearch({ openingPeriods: periods, appointmentType: buildAppointmentType({ locationType: 'phone' }) }));
    expect(dedupePublicSlots(slots, 'phone')).toHaveLength(1);
  });
});

describe('findNextAvailability', () => {
  const places: OpeningPeriod[] = [
    buildOpeningPeriod({ id: 1, agentId: 1, placeId: 1, recurrence: 'FREQ=WEEKLY;BYDAY=MO' }),
    buildOpeningPeriod({ id: 2, agentId: 2, placeId: 2, recurrence: 'FREQ=WEEKLY;BYDAY=WE' }),
    buildOpeningPeriod({ id: 3, agentId: 3, placeId: 2, recurrence: 'FREQ=WEEKLY;BYDAY=TU', startTime: '14:00', endTime: '15:00' }),
    buildOpeningPeriod({ id: 4, agentId: 4, placeId: 3, recurrence: 'FREQ=MONTHLY;BYDAY=1FR' }),
  ];
  const horizon = localDays(PARIS, '2025-01-06', '2025-04-06');

  it('keeps the earliest slot of each place', () => {
    const next = findNextAvailability(buildSearch({ openingPeriods: places, window: horizon }));
    const byPlace = Object.fromEntries([...next].map(([placeId, slot]) => [placeId, localStarts([slot])[0]]));
    expect(byPlace).toEqual({ 1: '2025-01-06T08:00', 2: '2025-01-07T14:00', 3: '2025-02-07T08:00' });
  });

  it('looks past a fully booked first occurrence', () => {
    const busy = [{ agentId: 3, startsAtEpochMinutes: at(PARIS, '2025-01-07', '00:00'), endsAtEpochMinutes: at(PARIS, '2025-01-08', '09:30') }];
    const next = findNextAvailability(buildSearch({ openingPeriods: places, busyIntervals: busy, window: horizon }));
    expect(localStarts([next.get(2)].filter((slot) => slot !== undefined))).toEqual(['2025-01-08T08:00']);
  });

  it('prefers an earlier slot of a later-starting occurrence at the same place', () => {
    const periods = [
      buildOpeningPeriod({ id: 1, agentId: 1, placeId: 1, startTime: '08:00', endTime: '12:00' }),
      buildOpeningPeriod({ id: 2, agentId: 2, placeId: 1, startTime: '09:00', endTime: '10:00' }),
    ];
    const busy = [{ agentId: 1, startsAtEpochMinutes: at(PARIS, '2025-01-06', '08:00'), endsAtEpochMinutes: at(PARIS, '2025-01-06', '11:00') }];
    const next = findNextAvailability(buildSearch({ openingPeriods: periods, busyIntervals: busy, window: horizon }));
    expect(next.get(1)?.agentIds).toEqual([2]);
    expect(localStarts([next.get(1)].filter((slot) => slot !== undefined))).toEqual(['2025-01-06T09:00']);
  });

  it('refuses slots beyond the booking horizon on the public side', () => {
    const search = buildSearch({
      audience: 'public',
      nowEpochMinutes: at(PARIS, '2025-01-06', '00:00'),
      openingPeriods: places,
      appointmentType: buildAppointmentType({ maxBookingNoticeMinutes: 14 * 24 * 60 }),
      window: horizon,
    });
    expect([...findNextAvailability(search).keys()].sort()).toEqual([1, 2]);
  });

  it('groups phone appointments by organisation', () => {
    const periods = [
      buildOpeningPeriod({ id: 1, agentId: 1, placeId: null, organisationId: 1, recurrence: 'FREQ=WEEKLY;BYDAY=TU' }),
      buildOpeningPeriod({ id: 2, agentId: 2, placeId: null, organisationId: 1, recurrence: 'FREQ=WEEKLY;BYDAY=MO' }),
      buildOpeningPeriod({ id: 3, agentId: 3, placeId: null, organisationId: 2, recurrence: 'FREQ=WEEKLY;BYDAY=WE' }),
    ];
    const next = findNextAvailability(
      buildSearch({ openingPeriods: periods, appointmentType: buildAppointmentType({ locationType: 'phone' }), window: horizon }),
    );
    expect(next.get(1)?.agentIds).toEqual([2]);
    expect(next.get(2)?.agentIds).toEqual([3]);
  });
});

describe('computeJointSlots', () => {
  const periods = [
    buildOpeningPeriod({ id: 1, agentId: 1, placeId: 1, startTime: '08:00', endTime: '12:00' }),
    buildOpeningPeriod({ id: 2, agentId: 2, placeId: 1, startTime: '09:00', endTime: '12:00' }),
    buildOpeningPeriod({ id: 3, agentId: 3, placeId: 2, startTime: '08:00', endTime: '12:00' }),
  ];

  it('keeps slots where both agents are open at the same place and free', () => {
    const busy = [{ agentId: 2, startsAtEpochMinutes: at(PARIS, '2025-01-06', '10:00'), endsAtEpochMinutes: at(PARIS, '2025-01-06', '10:30') }];
    const slots = computeJointSlots({ ...buildSearch({ openingPeriods: periods, busyIntervals: busy }), jointAgentIds: [1, 2] });
    expect(localTimes(slots)).toEqual(['09:00', '11:00']);
    expect(slots[0]?.agentIds).toEqual([1, 2]);
  });

  it('refuses office visits when the agents are open at different places', () => {
    expect(computeJointSlots({ ...buildSearch({ openingPeriods: periods }), jointAgentIds: [1, 3] })).toEqual([]);
  });

  it('keeps phone appointments whatever the places', () => {
    const slots = computeJointSlots({
      ...buildSearch({ openingPeriods: periods, appointmentType: buildAppointmentType({ locationType: 'phone' }) }),
      jointAgentIds: [1, 3],
    });
    expect(localTimes(slots)).toEqual(['08:00', '09:00', '10:00', '11:00']);
  });

  it('refuses a joint search with a single agent', () => {
    expect(computeJointSlots({ ...buildSearch({ openingPeriods: periods }), jointAgentIds: [1] })).toEqual([]);
  });
});

describe('listCollectiveSlots', () => {
  const collective = buildAppointmentType({ isCollective: true, minBookingNoticeMinutes: 60 });
  const session = (overrides: Partial<CollectiveAppointment>): CollectiveAppointment => ({
    id: 1,
    appointmentTypeId: 1,
    organisationId: 1,
    placeId: 1,
    agentIds: [1],
    startsAtEpochMinutes: at(PARIS, '2025-01-06', '14:00'),
    endsAtEpochMinutes: at(PARIS, '2025-01-06', '16:00'),
    maxParticipants: 10,
    participantCount: 3,
    timeZone: PARIS,
    ...overrides,
  });

  it('keeps sessions with seats left and refuses full ones and those within the notice', () => {
    const slots = listCollectiveSlots({
      audience: 'public',
      nowEpochMinutes: at(PARIS, '2025-01-06', '10:00'),
      appointmentType: collective,
      window: localDays(PARIS, '2025-01-06', '2025-01-12'),
      collectiveAppointments: [
        session({ id: 1 }),
        session({ id: 2, participantCount: 10 }),
        session({ id: 3, maxParticipants: null, participantCount: 50 }),
        session({ id: 4, startsAtEpochMinutes: at(PARIS, '2025-01-06', '10:30') }),
        session({ id: 5, appointmentTypeId: 2 }),
      ],
    });
    expect(slots.map((slot) => [slot.appointmentId, slot.seatsLeft])).toEqual([
      [1, 7],
      [3, null],
    ]);
  });
});
