// The working time of agents around an instant, as concrete intervals: the occurrences of their
// opening periods for a motif and of their absences. The appointments core uses it to warn an
// agent who books outside opening hours or during an absence (ADR 0016); the slot engine stays
// the only place that computes slots.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { dateToEpochMinutes, dateToEpochMinutesCeil, type EpochMinutes } from '../../shared/time/index.js';
import { daysAround, findAbsences, findOpeningPeriods, findOrganisationCalendars, findPresenceOpeningPeriods } from './availability.repository.js';
import type { OpeningPeriod } from './domain/availability.types.js';
import { HolidayClosures, expandAbsence, nextOpeningDay, occurrenceOn, prepareOpeningPeriod } from './domain/occurrences.js';

/** An interval of an agent's time, [startsAt, endsAt) in epoch minutes. */
export interface AgentInterval {
  readonly agentId: number;
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
}

export interface AgentWorkingTimeRequest {
  readonly appointmentTypeId: number;
  readonly organisationId: number;
  readonly agentIds: readonly number[];
  readonly from: Date;
  readonly to: Date;
}

/** The occurrences of the periods that touch [from, to), holidays closed. */
function occurrencesTouching(periods: readonly OpeningPeriod[], closures: HolidayClosures, fromDay: number, toDay: number, from: number, to: number): AgentInterval[] {
  const intervals: AgentInterval[] = [];
  for (const period of periods) {
    const prepared = prepareOpeningPeriod(period);
    if (prepared === null) continue;
    for (let day = nextOpeningDay(prepared, fromDay, closures); day !== null && day <= toDay; day = nextOpeningDay(prepared, day + 1, closures)) {
      const occurrence = occurrenceOn(prepared, day);
      if (occurrence.startsAtEpochMinutes < to && occurrence.endsAtEpochMinutes > from) {
        intervals.push({ agentId: period.agentId, startsAtEpochMinutes: occurrence.startsAtEpochMinutes, endsAtEpochMinutes: occurrence.endsAtEpochMinutes });
      }
    }
  }
  return intervals;
}

/**
 * Occurrences of the agents' opening periods for the motif in the organisation (holidays closed,
 * excluded days and moved occurrences applied) and of their absences (any organisation) that
 * touch [from, to). With several agents, also `presence`: the occurrences of their periods of any
 * motif in the organisation (a joint appointment's second agent, ADR 0023).
 */
export async function findAgentWorkingTime(
  db: Kysely<Database>,
  request: AgentWorkingTimeRequest,
): Promise<{ openings: AgentInterval[]; presence: AgentInterval[]; absences: AgentInterval[] }> {
  if (request.agentIds.length === 0) return { openings: [], presence: [], absences: [] };
  const from = dateToEpochMinutes(request.from);
  const to = dateToEpochMinutesCeil(request.to);
  const { fromDay, toDay } = daysAround(from, to);
  const [periods, presencePeriods, absenceRows, calendars] = await Promise.all([
    findOpeningPeriods(db, { appointmentTypeIds: [request.appointmentTypeId], fromDay, toDay, agentIds: request.agentIds, organisationIds: [request.organisationId] }),
    request.agentIds.length > 1 ? findPresenceOpeningPeriods(db, request.agentIds, fromDay, toDay) : Promise.resolve([]),
    findAbsences(db, request.agentIds, fromDay, toDay),
    findOrganisationCalendars(db, [request.organisationId]),
  ]);
  const closures = new HolidayClosures(calendars);
  const openings = occurrencesTouching(periods, closures, fromDay, toDay, from, to);
  const presence = occurrencesTouching(
    presencePeriods.filter((period) => period.organisationId === request.organisationId),
    closures,
    fromDay,
    toDay,
    from,
    to,
  );
  const absences: AgentInterval[] = [];
  for (const absence of absenceRows) {
    const pairs: number[] = [];
    expandAbsence(absence, fromDay, toDay, pairs);
    for (let index = 0; index + 1 < pairs.length; index += 2) {
      const startsAt = pairs[index] ?? 0;
      const endsAt = pairs[index + 1] ?? 0;
      if (startsAt < to && endsAt > from) absences.push({ agentId: absence.agentId, startsAtEpochMinutes: startsAt, endsAtEpochMinutes: endsAt });
    }
  }
  return { openings, presence, absences };
}
