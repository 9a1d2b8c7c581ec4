// The agenda's week page as an agent opens it (issue 8): the read model (appointments, opening
// periods expanded, absences, holidays) and the page's HTML, timed by calling the use case and
// the view directly (no HTTP: session, guards and the socket are not in the measure). There is
// no baseline to compare with: these scenarios are timed only.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';
import { renderDocument } from '../../src/platform/views/jsx.js';
import { dateToEpochMinutes, dayNumberToIsoDate, localDayOf } from '../../src/shared/time/index.js';
import { AgendaPage, loadAgenda } from '../../src/modules/agenda/index.js';
import { loadAgentPrincipal, type AgentPrincipal } from '../../src/modules/agents/index.js';
import { TIME_ZONE } from './generate.js';
import type { Prng } from './prng.js';
import type { DrawContext, ScenarioInput } from './scenarios.js';

/** Runs the week page once; its "result" is the number of appointments and openings drawn. */
function weekInput(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, agentIds: readonly number[], date: number, now: Date): ScenarioInput {
  return {
    label: `week of ${dayNumberToIsoDate(date)}, organisation ${organisationId}, agents ${agentIds.join(',')}`,
    run: async () => {
      const model = await loadAgenda(db, { principal, organisationId, view: 'semaine', date, agentIds, now });
      const html = renderDocument(AgendaPage({ principal, csrfToken: 'bench', model }));
      if (html.length === 0) throw new Error('empty page');
      return new Set([`appointments ${model.appointments.length}`, `openings ${model.openings.length}`, `absences ${model.absences.length}`]);
    },
  };
}

/** The principal as `requireAgent` loads it, acting in `organisationId` with the given level. */
async function principalIn(db: Kysely<Database>, agentId: number, organisationId: number, accessLevel: 'admin' | 'basic'): Promise<AgentPrincipal> {
  const principal = await loadAgentPrincipal(db, agentId);
  if (principal === undefined) throw new Error(`agent ${agentId} missing`);
  return { ...principal, roles: principal.roles.map((role) => (role.organisationId === organisationId ? { ...role, accessLevel } : role)) };
}

/** One agent's own week (a basic agent: their services' appointments and their own). */
export async function drawAgendaWeekOneAgent(db: Kysely<Database>, rng: Prng, { territoryIds, now }: DrawContext, count: number): Promise<ScenarioInput[]> {
  const agents = (
    await sql<{ agent_id: number; organisation_id: number }>`
      SELECT DISTINCT op.agent_id, op.organisation_id FROM opening_periods op JOIN organisations o ON o.id = op.organisation_id
       WHERE o.territory_id = ANY(${[...territoryIds]}::int8[]) ORDER BY 1, 2`.execute(db)
  ).rows;
  if (agents.length === 0) throw new Error('The data set has no agent with opening periods');
  const today = localDayOf(TIME_ZONE, dateToEpochMinutes(now));
  const inputs: ScenarioInput[] = [];
  const principals = new Map<string, AgentPrincipal>();
  for (let index = 0; index < count; index += 1) {
    const agent = rng.pick(agents);
    const key = `${agent.agent_id}/${agent.organisation_id}`;
    let principal = principals.get(key);
    if (principal === undefined) {
      principal = await principalIn(db, agent.agent_id, agent.organisation_id, 'basic');
      principals.set(key, principal);
    }
    inputs.push(weekInput(db, principal, agent.organisation_id, [agent.agent_id], today + rng.int(-28, 56), now));
  }
  return inputs;
}

/** Ten agents of a large organisation side by side, as its secretariat opens them (sees everything). */
export async function drawAgendaWeekTenAgents(db: Kysely<Database>, rng: Prng, { territoryIds, now }: DrawContext, count: number): Promise<ScenarioInput[]> {
  const organisations = (
    await sql<{ organisation_id: number; agent_ids: number[] }>`
      SELECT r.organisation_id, array_agg(r.agent_id ORDER BY r.agent_id)::int4[] AS agent_ids
        FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
       WHERE o.territory_id = ANY(${[...territoryIds]}::int8[])
       GROUP BY r.organisation_id HAVING count(*) >= 10 ORDER BY 1`.execute(db)
  ).rows;
  if (organisations.length === 0) throw new Error('The data set has no organisation with 10 agents');
  const today = localDayOf(TIME_ZONE, dateToEpochMinutes(now));
  const inputs: ScenarioInput[] = [];
  const principals = new Map<number, AgentPrincipal>();
  for (let index = 0; index < count; index += 1) {
    const organisation = rng.pick(organisations);
    let principal = principals.get(organisation.organisation_id);
    if (principal === undefined) {
      principal = await principalIn(db, organisation.agent_ids[0] ?? 0, organisation.organisation_id, 'admin');
      principals.set(organisation.organisation_id, principal);
    }
    const agentIds = rng.sample(organisation.agent_ids, 10).sort((a, b) => a - b);
    inputs.push(weekInput(db, principal, organisation.organisation_id, agentIds, today + rng.int(-28, 56), now));
  }
  return inputs;
}
