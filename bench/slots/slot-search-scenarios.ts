// The agent's "Trouver un créneau" page (issue 10 §4): one motif, 10 agents of a large
// organisation, a week page plus the next availability per place over six months, and the
// page's HTML — alone, or with a partner ("binôme") who must be present too. Timed by calling the
// use case and the view directly (no HTTP). The engine's slots are compared with the baseline by
// `agent_search_50_agents_week`; these scenarios are timed only.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';
import { renderDocument } from '../../src/platform/views/jsx.js';
import { dateToEpochMinutes, dayNumberToIsoDate, localDayOf } from '../../src/shared/time/index.js';
import { loadAgentPrincipal, type AgentPrincipal } from '../../src/modules/agents/index.js';
import { searchAgentSlots, SlotSearchPage } from '../../src/modules/slot-search/index.js';
import { TIME_ZONE } from './generate.js';
import type { Prng } from './prng.js';
import type { DrawContext, ScenarioInput } from './scenarios.js';

interface Candidate {
  readonly appointment_type_id: number;
  readonly organisation_id: number;
  /** Agents with an opening period of the motif. */
  readonly agent_ids: number[];
  /** Every agent of the organisation with an opening period (partners). */
  readonly staff_ids: number[];
}

type CandidateRow = { [Key in keyof Candidate]: Candidate[Key] | null };

async function candidates(db: Kysely<Database>, territoryIds: readonly number[]): Promise<Candidate[]> {
  const rows = (
    await sql<CandidateRow>`
      SELECT t.id AS appointment_type_id, t.organisation_id,
             (SELECT array_agg(DISTINCT op.agent_id)::int4[] FROM opening_periods op JOIN opening_period_appointment_types l ON l.opening_period_id = op.id
               WHERE l.appointment_type_id = t.id) AS agent_ids,
             (SELECT array_agg(DISTINCT op.agent_id)::int4[] FROM opening_periods op WHERE op.organisation_id = t.organisation_id) AS staff_ids
        FROM appointment_types t JOIN organisations o ON o.id = t.organisation_id
       WHERE o.territory_id = ANY(${[...territoryIds]}::int8[]) AND NOT t.is_collective AND t.location_type = 'public_office'
       ORDER BY t.id`.execute(db)
  ).rows;
  const usable = rows.flatMap((row): Candidate[] =>
    row.appointment_type_id !== null && row.organisation_id !== null && row.agent_ids !== null && row.agent_ids.length >= 10
      ? [{ appointment_type_id: row.appointment_type_id, organisation_id: row.organisation_id, agent_ids: row.agent_ids, staff_ids: row.staff_ids ?? [] }]
      : [],
  );
  if (usable.length === 0) throw new Error('The data set has no motif offered by 10 agents');
  return usable;
}

/** Draws searches of the page; with `joint`, each has a partner from the organisation's other agents. */
export async function drawSlotSearchWeek(db: Kysely<Database>, rng: Prng, { territoryIds, now }: DrawContext, count: number, joint: boolean): Promise<ScenarioInput[]> {
  const motifs = await candidates(db, territoryIds);
  const today = localDayOf(TIME_ZONE, dateToEpochMinutes(now));
  const principals = new Map<number, AgentPrincipal>();
  const inputs: ScenarioInput[] = [];
  for (let index = 0; index < count; index += 1) {
    const motif = rng.pick(motifs);
    let principal = principals.get(motif.organisation_id);
    if (principal === undefined) {
      const loaded = await loadAgentPrincipal(db, motif.agent_ids[0] ?? 0);
      if (loaded === undefined) throw new Error('agent missing');
      // As the organisation's secretariat sees it: every agenda, every motif.
      principal = { ...loaded, roles: loaded.roles.map((role) => (role.organisationId === motif.organisation_id ? { ...role, accessLevel: 'admin' as const } : role)) };
      principals.set(motif.organisation_id, principal);
    }
    const agentIds = rng.sample(motif.agent_ids, 10).sort((a, b) => a - b);
    const others = motif.staff_ids.filter((id) => !agentIds.includes(id));
    const partnerId = joint && others.length > 0 ? rng.pick(others) : undefined;
    const fromDay = today + rng.int(0, 60);
    const query = { submitted: true, motifId: motif.appointment_type_id, agentIds, teamIds: [], placeIds: [], partnerId, fromDay };
    const organisationId = motif.organisation_id;
    const searcher = principal;
    inputs.push({
      label: `type ${String(query.motifId)}, 10 agents of organisation ${String(organisationId)}${partnerId === undefined ? '' : ` with partner ${String(partnerId)}`}, week of ${dayNumberToIsoDate(fromDay)}`,
      run: async () => {
        const model = await searchAgentSlots(db, { principal: searcher, organisationId, query, now });
        const html = renderDocument(SlotSearchPage({ principal: searcher, csrfToken: 'bench', model }));
        if (html.length === 0 || model.result === null) throw new Error(`no result: ${JSON.stringify(model.errors)}`);
        const slots = model.result.groups.reduce((sum, group) => sum + group.days.reduce((daySum, day) => daySum + day.slots.length, 0), 0);
        return new Set([`places ${String(model.result.groups.length)}`, `slots ${String(slots)}`]);
      },
    });
  }
  return inputs;
}
