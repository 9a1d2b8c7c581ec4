import { describe, expect, it } from 'vitest';
import { acknowledgesExactly, computeAppointmentWarnings, overriddenOverlapAgentIds, type AgentTimeInterval, type AppointmentWarningFacts } from './agent-warnings.js';

function at(iso: string): number {
  return Math.floor(Date.parse(iso) / 60_000);
}

const AGENT = 7;
const OTHER_AGENT = 8;
const USER = 40;
const TYPE = 3;

function interval(agentId: number, from: string, to: string): AgentTimeInterval {
  return { agentId, startsAtEpochMinutes: at(from), endsAtEpochMinutes: at(to) };
}

/** Tuesday 1 December 2026, 10:00–10:30 in Paris, within a 9:00–12:00 opening, nothing else around. */
function facts(overrides: Partial<AppointmentWarningFacts> = {}): AppointmentWarningFacts {
  return {
    startsAtEpochMinutes: at('2026-12-01T09:00:00Z'),
    endsAtEpochMinutes: at('2026-12-01T09:30:00Z'),
    timeZone: 'Europe/Paris',
    appointmentTypeId: TYPE,
    agentIds: [AGENT],
    userIds: [USER],
    nowEpochMinutes: at('2026-11-24T09:00:00Z'),
    busy: [],
    openings: [interval(AGENT, '2026-12-01T08:00:00Z', '2026-12-01T11:00:00Z')],
    absences: [],
    participantAppointments: [],
    ...overrides,
  };
}

const keys = (input: AppointmentWarningFacts): string[] => computeAppointmentWarnings(input).map((warning) => warning.key);

describe('computeAppointmentWarnings', () => {
  it('finds nothing to warn about for an appointment within opening hours, free and in the future', () => {
    expect(computeAppointmentWarnings(facts())).toEqual([]);
  });

  it('warns about an overlap with another appointment of the agent, naming the agent', () => {
    const warnings = computeAppointmentWarnings(facts({ busy: [interval(AGENT, '2026-12-01T09:15:00Z', '2026-12-01T09:45:00Z')] }));
    expect(warnings).toEqual([{ kind: 'overlap', key: `overlap:${String(AGENT)}`, agentId: AGENT, userId: null }]);
  });

  it('does not count back-to-back appointments or another agent’s appointment as an overlap', () => {
    expect(
      keys(facts({ busy: [interval(AGENT, '2026-12-01T08:30:00Z', '2026-12-01T09:00:00Z'), interval(AGENT, '2026-12-01T09:30:00Z', '2026-12-01T10:00:00Z'), interval(OTHER_AGENT, '2026-12-01T09:00:00Z', '2026-12-01T09:30:00Z')] })),
    ).toEqual([]);
  });

  it('warns outside the opening periods, also when the appointment runs past their end', () => {
    expect(keys(facts({ openings: [] }))).toEqual([`outside_opening:${String(AGENT)}`]);
    expect(keys(facts({ openings: [interval(AGENT, '2026-12-01T08:00:00Z', '2026-12-01T09:15:00Z')] }))).toEqual([`outside_opening:${String(AGENT)}`]);
    // another agent's opening does not count
    expect(keys(facts({ openings: [interval(OTHER_AGENT, '2026-12-01T08:00:00Z', '2026-12-01T11:00:00Z')] }))).toEqual([`outside_opening:${String(AGENT)}`]);
  });

  it('accepts an appointment covered by two consecutive openings', () => {
    expect(keys(facts({ openings: [interval(AGENT, '2026-12-01T09:15:00Z', '2026-12-01T10:00:00Z'), interval(AGENT, '2026-12-01T08:00:00Z', '2026-12-01T09:15:00Z')] }))).toEqual([]);
  });

  it('warns during an absence of the agent', () => {
    expect(keys(facts({ absences: [interval(AGENT, '2026-12-01T09:20:00Z', '2026-12-01T15:00:00Z')] }))).toEqual([`absence:${String(AGENT)}`]);
  });

  it('warns for each agent of a multi-agent appointment separately', () => {
    expect(keys(facts({ agentIds: [AGENT, OTHER_AGENT], busy: [interval(OTHER_AGENT, '2026-12-01T09:00:00Z', '2026-12-01T09:30:00Z')] }))).toEqual([
      `overlap:${String(OTHER_AGENT)}`,
      `outside_opening:${String(OTHER_AGENT)}`,
    ]);
  });

  it('accepts a second agent at work (an opening of any motif) beside an agent open for the motif: a joint appointment', () => {
    const partnerAtWork = interval(OTHER_AGENT, '2026-12-01T08:00:00Z', '2026-12-01T11:00:00Z');
    expect(keys(facts({ agentIds: [AGENT, OTHER_AGENT], presence: [partnerAtWork] }))).toEqual([]);
    // Presence that leaves a hole in the slot is not enough.
    expect(keys(facts({ agentIds: [AGENT, OTHER_AGENT], presence: [interval(OTHER_AGENT, '2026-12-01T09:10:00Z', '2026-12-01T11:00:00Z')] }))).toEqual([`outside_opening:${String(OTHER_AGENT)}`]);
    // Nobody open for the motif: both are outside opening hours, whatever their presence.
    expect(keys(facts({ agentIds: [AGENT, OTHER_AGENT], openings: [], presence: [partnerAtWork, interval(AGENT, '2026-12-01T08:00:00Z', '2026-12-01T11:00:00Z')] }))).toEqual([
      `outside_opening:${String(AGENT)}`,
      `outside_opening:${String(OTHER_AGENT)}`,
    ]);
    // Alone, presence without the motif does not count.
    expect(keys(facts({ openings: [], presence: [interval(AGENT, '2026-12-01T08:00:00Z', '2026-12-01T11:00:00Z')] }))).toEqual([`outside_opening:${String(AGENT)}`]);
  });

  it('warns when the participant has the same motif the same local day, not another motif or another day', () => {
    const same = { userId: USER, appointmentTypeId: TYPE, startsAtEpochMinutes: at('2026-12-01T15:00:00Z') };
    expect(keys(facts({ participantAppointments: [same] }))).toEqual([`same_motif_same_day:${String(USER)}`]);
    expect(keys(facts({ participantAppointments: [{ ...same, appointmentTypeId: TYPE + 1 }] }))).toEqual([]);
    expect(keys(facts({ participantAppointments: [{ ...same, startsAtEpochMinutes: at('2026-12-02T09:00:00Z') }] }))).toEqual([]);
    expect(keys(facts({ participantAppointments: [{ ...same, userId: USER + 1 }] }))).toEqual([]);
  });

  it('warns about a start in the past, unless the start does not change', () => {
    expect(keys(facts({ nowEpochMinutes: at('2026-12-01T09:10:00Z') }))).toEqual(['in_past']);
    expect(keys(facts({ nowEpochMinutes: null }))).toEqual([]);
    expect(keys(facts({ nowEpochMinutes: at('2026-12-01T09:00:00Z') }))).toEqual([]);
  });

  it('counts the local day across the spring DST change in Paris (23:30 on the 28th and 00:30 on the 29th are two days)', () => {
    // 28 March 2026 23:30 CET = 22:30Z; 29 March 00:30 CET = 23:30Z; 29 March 23:30 CEST = 21:30Z (same day as 00:30)
    const base = facts({
      startsAtEpochMinutes: at('2026-03-29T21:30:00Z'),
      endsAtEpochMinutes: at('2026-03-29T22:00:00Z'),
      nowEpochMinutes: null,
      openings: [interval(AGENT, '2026-03-29T20:00:00Z', '2026-03-29T22:00:00Z')],
    });
    expect(keys({ ...base, participantAppointments: [{ userId: USER, appointmentTypeId: TYPE, startsAtEpochMinutes: at('2026-03-28T23:30:00Z') }] })).toEqual([
      `same_motif_same_day:${String(USER)}`,
    ]);
    expect(keys({ ...base, participantAppointments: [{ userId: USER, appointmentTypeId: TYPE, startsAtEpochMinutes: at('2026-03-28T22:30:00Z') }] })).toEqual([]);
  });

  it('counts the local day in La Réunion’s zone, not in Paris', () => {
    // 24 November 2026 20:30Z is 00:30 on the 25th in La Réunion (UTC+4), 21:30 on the 24th in Paris
    const reunion = facts({
      timeZone: 'Indian/Reunion',
      startsAtEpochMinutes: at('2026-11-24T20:30:00Z'),
      endsAtEpochMinutes: at('2026-11-24T21:00:00Z'),
      nowEpochMinutes: null,
      openings: [interval(AGENT, '2026-11-24T20:00:00Z', '2026-11-24T22:00:00Z')],
      participantAppointments: [{ userId: USER, appointmentTypeId: TYPE, startsAtEpochMinutes: at('2026-11-24T19:30:00Z') }],
    });
    expect(keys(reunion)).toEqual([]);
    expect(keys({ ...reunion, timeZone: 'Europe/Paris' })).toEqual([`same_motif_same_day:${String(USER)}`]);
  });
});

describe('acknowledgements', () => {
  const warnings = computeAppointmentWarnings(facts({ openings: [], nowEpochMinutes: at('2026-12-02T00:00:00Z'), busy: [interval(AGENT, '2026-12-01T09:00:00Z', '2026-12-01T09:30:00Z')] }));

  it('accepts exactly the warnings’ keys in any order, and nothing else', () => {
    expect(warnings.map((warning) => warning.key)).toEqual(['in_past', `overlap:${String(AGENT)}`, `outside_opening:${String(AGENT)}`]);
    expect(acknowledgesExactly(warnings, [`outside_opening:${String(AGENT)}`, 'in_past', `overlap:${String(AGENT)}`])).toBe(true);
    expect(acknowledgesExactly(warnings, ['in_past', `overlap:${String(AGENT)}`])).toBe(false);
    expect(acknowledgesExactly(warnings, ['in_past', `overlap:${String(AGENT)}`, `outside_opening:${String(AGENT)}`, 'absence:7'])).toBe(false);
    expect(acknowledgesExactly([], [])).toBe(true);
    expect(acknowledgesExactly([], ['in_past'])).toBe(false);
  });

  it('lifts the exclusion constraint only for the agents whose overlap was acknowledged', () => {
    expect([...overriddenOverlapAgentIds(warnings)]).toEqual([AGENT]);
  });
});
