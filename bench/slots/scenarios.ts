// The four scenarios of the benchmark: how their random inputs are drawn from the generated data
// (fixed seed), how each calculator is called, and how results are normalised for comparison.

import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';
import {
  addMonths,
  dateToEpochMinutes,
  dayNumberToIsoDate,
  formatLocalDateTime,
  localDayOf,
  startOfLocalDay,
} from '../../src/shared/time/index.js';
import { drawAgendaWeekOneAgent, drawAgendaWeekTenAgents } from './agenda-scenarios.js';
import { drawSlotSearchWeek } from './slot-search-scenarios.js';
import type { BenchSlot, SlotCalculator } from './calculator.js';
import { TIME_ZONE } from './generate.js';
import type { Prng } from './prng.js';

export const SCENARIO_NAMES = [
  'public_next_availability_departement',
  'public_week_one_place',
  'agent_search_50_agents_week',
  'joint_two_agents_month',
  'agenda_week_one_agent',
  'agenda_week_ten_agents',
  'slot_search_page_ten_agents_week',
  'slot_search_page_joint_week',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** One drawn input: a label for messages and the call it makes on a calculator. */
export interface ScenarioInput {
  readonly label: string;
  /** Runs the search and returns its result as a set of comparable keys. */
  readonly run: (calculator: SlotCalculator) => Promise<ReadonlySet<string>>;
}

export interface DrawContext {
  readonly territoryIds: readonly number[];
  /** The data set's "now" (the one it was generated with). */
  readonly now: Date;
}

/** Local day of `now` and its ISO form. */
function todayOf(now: Date): { today: number; todayIso: string } {
  const today = localDayOf(TIME_ZONE, dateToEpochMinutes(now));
  return { today, todayIso: dayNumberToIsoDate(today) };
}

export interface Scenario {
  readonly name: ScenarioName;
  readonly description: string;
  /** Timed only: no baseline computes the same thing (the agenda's pages). */
  readonly timedOnly?: boolean;
  /** Draws `count` inputs; throws when the data set offers no candidate. */
  draw(db: Kysely<Database>, rng: Prng, context: DrawContext, count: number): Promise<ScenarioInput[]>;
}

const DAY = 1440;
const HORIZON_DAYS = 92;

function minutesToDate(minutes: number): Date {
  return new Date(minutes * 60_000);
}

function local(minutes: number): string {
  return formatLocalDateTime(TIME_ZONE, minutes);
}

/** Public results: one key per start and place (agents are interchangeable for a citizen). */
function publicKeys(slots: readonly BenchSlot[]): Set<string> {
  return new Set(slots.map((slot) => `${local(slot.startsAtEpochMinutes)}→${local(slot.endsAtEpochMinutes)} place ${slot.placeId ?? '-'}`));
}

/** Agent-side results: one key per start, agent(s) and place. */
function agentKeys(slots: readonly BenchSlot[]): Set<string> {
  return new Set(
    slots.map(
      (slot) =>
        `${local(slot.startsAtEpochMinutes)}→${local(slot.endsAtEpochMinutes)} agent ${slot.agentIds.join('+')} place ${slot.placeId ?? '-'}`,
    ),
  );
}

/** Joint results: one key per start and place (the agents are the requested ones). */
function jointKeys(slots: readonly BenchSlot[]): Set<string> {
  return new Set(slots.map((slot) => `${local(slot.startsAtEpochMinutes)}→${local(slot.endsAtEpochMinutes)} place ${slot.placeId ?? '-'}`));
}

function nonEmpty<T>(rows: readonly T[], what: string): readonly T[] {
  if (rows.length === 0) throw new Error(`The data set has no candidate ${what}`);
  return rows;
}

const nextAvailability: Scenario = {
  name: 'public_next_availability_departement',
  description: 'public next availability of one motif (name + office visit) at every place of a département, 3-month horizon',
  async draw(db, rng, { territoryIds, now: dataNow }, count) {
    const motifs = nonEmpty(
      (
        await sql<{ territory_id: number; name: string; ids: number[] }>`
          SELECT o.territory_id, t.name, array_agg(t.id ORDER BY t.id)::int4[] AS ids
          FROM appointment_types t JOIN organisations o ON o.id = t.organisation_id
          WHERE o.territory_id = ANY(${[...territoryIds]}::int8[]) AND t.location_type = 'public_office'
            AND t.bookable_by = 'everyone' AND NOT t.is_collective AND t.archived_at IS NULL
            AND EXISTS (SELECT 1 FROM opening_period_appointment_types opat WHERE opat.appointment_type_id = t.id)
          GROUP BY o.territory_id, t.name ORDER BY o.territory_id, t.name`.execute(db)
      ).rows,
      'public motif',
    );
    const places = await sql<{ territory_id: number; ids: number[] }>`
      SELECT o.territory_id, array_agg(p.id ORDER BY p.id)::int4[] AS ids
      FROM places p JOIN organisations o ON o.id = p.organisation_id
      WHERE o.territory_id = ANY(${[...territoryIds]}::int8[]) GROUP BY o.territory_id`.execute(db);
    const placesByTerritory = new Map(places.rows.map((row) => [row.territory_id, row.ids]));
    return Array.from({ length: count }, () => {
      const motif = rng.pick(motifs);
      // `now` moves within three days so that booking notices cut different occurrences.
      const now = dateToEpochMinutes(dataNow) + rng.int(0, 3 * DAY);
      const request = {
        audience: 'public' as const,
        territoryId: motif.territory_id,
        motifName: motif.name,
        locationType: 'public_office' as const,
        appointmentTypeIds: motif.ids,
        placeIds: placesByTerritory.get(motif.territory_id) ?? [],
        now: minutesToDate(now),
        horizonEnd: minutesToDate(now + HORIZON_DAYS * DAY),
      };
      return {
        label: `"${motif.name}" (types ${request.appointmentTypeIds.join(',')}) in territory ${request.territoryId}, now ${local(now)}`,
        run: async (calculator: SlotCalculator) => {
          const best = await calculator.findNextAvailability(request);
          return new Set([...best].map(([placeId, slot]) => `place ${placeId} first ${local(slot.startsAtEpochMinutes)}`));
        },
      };
    });
  },
};

const weekOnePlace: Scenario = {
  name: 'public_week_one_place',
  description: 'public slots of one motif at one place over 7 days',
  async draw(db, rng, { territoryIds, now: dataNow }, count) {
    const { today, todayIso } = todayOf(dataNow);
    const pairs = nonEmpty(
      (
        await sql<{ appointment_type_id: number; place_id: number }>`
          SELECT DISTINCT opat.appointment_type_id, op.place_id
          FROM opening_periods op
          JOIN opening_period_appointment_types opat ON opat.opening_period_id = op.id
          JOIN appointment_types t ON t.id = opat.appointment_type_id
          JOIN organisations o ON o.id = op.organisation_id
          WHERE o.territory_id = ANY(${[...territoryIds]}::int8[]) AND (op.last_day IS NULL OR op.last_day >= ${todayIso}::date)
            AND t.location_type = 'public_office' AND t.bookable_by = 'everyone' AND NOT t.is_collective
          ORDER BY 1, 2`.execute(db)
      ).rows,
      'motif and place',
    );
    return Array.from({ length: count }, () => {
      const pair = rng.pick(pairs);
      const firstDay = today + rng.int(0, 84);
      const request = {
        appointmentTypeId: pair.appointment_type_id,
        audience: 'public' as const,
        placeIds: [pair.place_id],
        agentIds: null,
        from: minutesToDate(startOfLocalDay(TIME_ZONE, firstDay)),
        to: minutesToDate(startOfLocalDay(TIME_ZONE, firstDay + 7)),
        now: dataNow,
      };
      return {
        label: `type ${request.appointmentTypeId} at place ${pair.place_id}, week of ${dayNumberToIsoDate(firstDay)}`,
        run: async (calculator: SlotCalculator) => publicKeys(await calculator.searchSlots(request)),
      };
    });
  },
};

const agentSearch: Scenario = {
  name: 'agent_search_50_agents_week',
  description: 'agent-side slots of one motif across 50 agents of its organisation over 7 days',
  async draw(db, rng, { territoryIds, now: dataNow }, count) {
    const { today } = todayOf(dataNow);
    // Motifs of the organisations with the most agents (50 agents need a large organisation).
    const motifs = nonEmpty(
      (
        await sql<{ appointment_type_id: number; organisation_id: number; agent_ids: number[] }>`
          WITH staff AS (
            SELECT r.organisation_id, array_agg(r.agent_id ORDER BY r.agent_id)::int4[] AS agent_ids, count(*) AS agents
            FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
            WHERE o.territory_id = ANY(${[...territoryIds]}::int8[]) GROUP BY r.organisation_id)
          SELECT t.id AS appointment_type_id, s.organisation_id, s.agent_ids
          FROM appointment_types t JOIN staff s ON s.organisation_id = t.organisation_id
          WHERE NOT t.is_collective AND s.agents >= LEAST(50, (SELECT max(agents) FROM staff))
          ORDER BY t.id`.execute(db)
      ).rows,
      'motif of a large organisation',
    );
    return Array.from({ length: count }, () => {
      const motif = rng.pick(motifs);
      const agentIds = rng.sample([...motif.agent_ids], 50).sort((a, b) => a - b);
      const firstDay = today + rng.int(-3, 60);
      const request = {
        appointmentTypeId: motif.appointment_type_id,
        audience: 'agent' as const,
        placeIds: null,
        agentIds,
        from: minutesToDate(startOfLocalDay(TIME_ZONE, firstDay)),
        to: minutesToDate(startOfLocalDay(TIME_ZONE, firstDay + 7)),
        now: dataNow,
      };
      return {
        label: `type ${request.appointmentTypeId}, ${agentIds.length} agents of organisation ${motif.organisation_id}, week of ${dayNumberToIsoDate(firstDay)}`,
        run: async (calculator: SlotCalculator) => agentKeys(await calculator.searchSlots(request)),
      };
    });
  },
};

const jointTwoAgents: Scenario = {
  name: 'joint_two_agents_month',
  description: 'agent-side common slots of two agents (same motif, same place) over one month',
  async draw(db, rng, { territoryIds, now: dataNow }, count) {
    const { today, todayIso } = todayOf(dataNow);
    // Pairs of agents with periods of the same motif at the same place, on a common weekday
    // half-day when possible (otherwise the month has no joint slot by construction).
    const pairs = nonEmpty(
      (
        await sql<{ appointment_type_id: number; lead_agent_id: number; other_agent_id: number }>`
          SELECT DISTINCT a.appointment_type_id, pa.agent_id AS lead_agent_id, pb.agent_id AS other_agent_id
          FROM opening_periods pa
          JOIN opening_period_appointment_types a ON a.opening_period_id = pa.id
          JOIN opening_periods pb ON pb.place_id = pa.place_id AND pb.agent_id <> pa.agent_id
          JOIN opening_period_appointment_types b ON b.opening_period_id = pb.id AND b.appointment_type_id = a.appointment_type_id
          JOIN organisations o ON o.id = pa.organisation_id
          WHERE o.territory_id = ANY(${[...territoryIds]}::int8[])
            AND (pa.last_day IS NULL OR pa.last_day >= ${todayIso}::date)
            AND (pb.last_day IS NULL OR pb.last_day >= ${todayIso}::date)
            AND pa.start_time < pb.end_time AND pb.start_time < pa.end_time
            AND pa.recurrence LIKE 'FREQ=WEEKLY%' AND pb.recurrence LIKE 'FREQ=WEEKLY%'
          ORDER BY 1, 2, 3`.execute(db)
      ).rows,
      'pair of agents sharing a motif and a place',
    );
    return Array.from({ length: count }, () => {
      const pair = rng.pick(pairs);
      const firstDay = today + rng.int(0, 60);
      const request = {
        appointmentTypeId: pair.appointment_type_id,
        audience: 'agent' as const,
        agentIds: [pair.lead_agent_id, pair.other_agent_id],
        from: minutesToDate(startOfLocalDay(TIME_ZONE, firstDay)),
        to: minutesToDate(startOfLocalDay(TIME_ZONE, addMonths(firstDay, 1))),
        now: dataNow,
      };
      return {
        label: `type ${request.appointmentTypeId}, agents ${request.agentIds.join(' & ')}, month from ${dayNumberToIsoDate(firstDay)}`,
        run: async (calculator: SlotCalculator) => jointKeys(await calculator.searchJointSlots(request)),
      };
    });
  },
};

const agendaWeekOneAgent: Scenario = {
  name: 'agenda_week_one_agent',
  description: 'agent agenda: the week page of one agent (read model + HTML), weeks from 4 weeks ago to 8 weeks ahead',
  timedOnly: true,
  draw: drawAgendaWeekOneAgent,
};

const agendaWeekTenAgents: Scenario = {
  name: 'agenda_week_ten_agents',
  description: 'agent agenda: the week page of 10 agents of a large organisation, as its secretariat sees it (read model + HTML)',
  timedOnly: true,
  draw: drawAgendaWeekTenAgents,
};

const slotSearchPage: Scenario = {
  name: 'slot_search_page_ten_agents_week',
  description: 'agent "Trouver un créneau" page: one motif, 10 agents, a week of slots + next availability per place over 6 months (use case + HTML)',
  timedOnly: true,
  draw: (db, rng, context, count) => drawSlotSearchWeek(db, rng, context, count, false),
};

const slotSearchJointPage: Scenario = {
  name: 'slot_search_page_joint_week',
  description: 'the same page with a partner (binôme) who must be present and free: joint slots of the week + next joint availability over 6 months',
  timedOnly: true,
  draw: (db, rng, context, count) => drawSlotSearchWeek(db, rng, context, count, true),
};

export const SCENARIOS: readonly Scenario[] = [nextAvailability, weekOnePlace, agentSearch, jointTwoAgents, agendaWeekOneAgent, agendaWeekTenAgents, slotSearchPage, slotSearchJointPage];

/** Differences between two key sets, for the failure message (a few of each side). */
export function describeDifference(creneau: ReadonlySet<string>, baseline: ReadonlySet<string>, limit = 5): string | null {
  const missing = [...baseline].filter((key) => !creneau.has(key));
  const extra = [...creneau].filter((key) => !baseline.has(key));
  if (missing.length === 0 && extra.length === 0) return null;
  const lines = [`${baseline.size} baseline results, ${creneau.size} Créneau results`];
  if (missing.length > 0) lines.push(`  only in the baseline (${missing.length}): ${missing.slice(0, limit).join(' | ')}`);
  if (extra.length > 0) lines.push(`  only in Créneau (${extra.length}): ${extra.slice(0, limit).join(' | ')}`);
  return lines.join('\n');
}
