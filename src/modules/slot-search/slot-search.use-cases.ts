// The agent's slot search ("Trouver un créneau"): checks every id asked for against what the
// principal may see (a foreign or hidden id is a 404), then asks the availability module for the
// week's slots and the next availability per place — of the chosen agents alone, or of each with
// the chosen partner ("binôme", ADR 0023). Agent side: no booking notice, never the past.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/errors.js';
import { addDays, dateToEpochMinutes, epochMinutesToDate, localDayOf, startOfLocalDay, type DayNumber, type EpochMinutes } from '../../shared/time/index.js';
import { canSeeAgenda, canUseMotif, type AgentPrincipal } from '../agents/index.js';
import { findNextAvailabilities, searchPartnerSlots, searchSlots, type Slot } from '../availability/index.js';
import { checkSearchForm, groupSlots, NEXT_AVAILABILITY_HORIZON_DAYS, weekPage, type FoundSlot, type SlotGroup } from './domain/slot-search.js';
import {
  findSearchAgents,
  findSearchMotifs,
  findSearchOrganisation,
  findSearchPlaces,
  findSearchTeams,
  type SearchAgent,
  type SearchMotif,
  type SearchPlace,
  type SearchTeam,
} from './slot-search.repository.js';

/** The search as the route read it (ids well formed, not yet checked). */
export interface SlotSearchQuery {
  /** False on the first visit (no field sent): the form alone, no error. */
  readonly submitted: boolean;
  readonly motifId?: number;
  readonly agentIds: readonly number[];
  readonly teamIds: readonly number[];
  readonly placeIds: readonly number[];
  readonly partnerId?: number;
  readonly fromDay?: DayNumber;
}

export interface SlotSearchResult {
  readonly motif: SearchMotif;
  readonly partner: SearchAgent | null;
  readonly fromDay: DayNumber;
  readonly previousFromDay: DayNumber | null;
  readonly nextFromDay: DayNumber | null;
  readonly groups: readonly SlotGroup[];
}

export interface SlotSearchModel {
  readonly organisationId: number;
  readonly timeZone: string;
  readonly today: DayNumber;
  readonly fromDay: DayNumber;
  readonly motifs: readonly SearchMotif[];
  /** Agents whose agenda the principal may see: the only ones searchable. */
  readonly agents: readonly SearchAgent[];
  readonly teams: readonly SearchTeam[];
  readonly places: readonly SearchPlace[];
  readonly query: SlotSearchQuery;
  readonly errors: Record<string, string>;
  /** Null before a search or when the form has errors. */
  readonly result: SlotSearchResult | null;
}

/** Loads the form's choices, checks the query and, when it is complete, searches. */
export async function searchAgentSlots(db: Kysely<Database>, request: { principal: AgentPrincipal; organisationId: number; query: SlotSearchQuery; now: Date }): Promise<SlotSearchModel> {
  const { principal, organisationId, query } = request;
  const organisation = await findSearchOrganisation(db, organisationId);
  if (organisation === undefined) throw new NotFoundError();
  const [allMotifs, allAgents, places, allTeams] = await Promise.all([
    findSearchMotifs(db, organisationId),
    findSearchAgents(db, organisationId),
    findSearchPlaces(db, organisationId),
    findSearchTeams(db, organisation.territoryId, organisationId),
  ]);
  const motifs = allMotifs.filter((motif) => canUseMotif(principal, { organisationId, serviceId: motif.serviceId }));
  const agents = allAgents.filter((agent) => canSeeAgenda(principal, organisationId, { agentId: agent.id, belongsToOrganisation: true, serviceIds: agent.serviceIds }));
  const visible = new Set(agents.map((agent) => agent.id));
  const teams = allTeams.map((team) => ({ ...team, agentIds: team.agentIds.filter((id) => visible.has(id)) }));

  // Ids that are not the principal's to use: 404, never 403, never a hint.
  const motif = query.motifId === undefined ? undefined : motifs.find((candidate) => candidate.id === query.motifId);
  if (query.motifId !== undefined && motif === undefined) throw new NotFoundError();
  if (query.agentIds.some((id) => !visible.has(id))) throw new NotFoundError();
  if (query.partnerId !== undefined && !visible.has(query.partnerId)) throw new NotFoundError();
  if (query.placeIds.some((id) => !places.some((place) => place.id === id))) throw new NotFoundError();
  const chosenTeams = query.teamIds.map((id) => teams.find((team) => team.id === id));
  if (chosenTeams.some((team) => team === undefined)) throw new NotFoundError();

  const nowMinutes = dateToEpochMinutes(request.now);
  const today = localDayOf(organisation.timeZone, nowMinutes);
  const fromDay = query.fromDay ?? today;
  // Agents and teams add up; neither chosen = every agent the principal may see.
  const chosen = new Set<number>([...query.agentIds, ...chosenTeams.flatMap((team) => team?.agentIds ?? [])]);
  const leadAgentIds = query.agentIds.length === 0 && query.teamIds.length === 0 ? null : [...chosen];
  const base = { organisationId, timeZone: organisation.timeZone, today, fromDay, motifs, agents, teams, places, query };
  if (!query.submitted) return { ...base, errors: {}, result: null };
  const errors = checkSearchForm({ motifId: motif?.id, fromDay, today, leadAgentIds, partnerId: query.partnerId });
  if (motif === undefined || Object.keys(errors).length > 0) return { ...base, errors, result: null };

  const page = weekPage(fromDay, today);
  const from = Math.max(nowMinutes, startOfLocalDay(organisation.timeZone, fromDay));
  const to = startOfLocalDay(organisation.timeZone, page.toDayExclusive);
  const horizon = startOfLocalDay(organisation.timeZone, addDays(fromDay, NEXT_AVAILABILITY_HORIZON_DAYS));
  const leads = (leadAgentIds ?? [...visible]).filter((id) => id !== query.partnerId);
  const placeIds = query.placeIds.length === 0 ? null : query.placeIds;
  const partner = query.partnerId === undefined ? null : (agents.find((agent) => agent.id === query.partnerId) ?? null);
  let weekSlots: Slot[] = [];
  const nextSlots: Slot[] = [];
  if (leads.length > 0) {
    const search = { db, motif, leads, partner, now: request.now, organisationId };
    weekSlots = await searchWindow(search, 'every', placeIds, from, to);
    // The next availability of the places without a slot this week only (most have one).
    let remaining = motif.locationType === 'public_office' ? (placeIds ?? places.map((place) => place.id)).filter((id) => !weekSlots.some((slot) => slot.placeId === id)) : weekSlots.length > 0 ? [] : null;
    for (const [windowFrom, windowTo] of laterWindows(to, horizon)) {
      if (remaining !== null && remaining.length === 0) break;
      const later = await searchWindow(search, 'first', remaining, windowFrom, windowTo);
      nextSlots.push(...later);
      remaining = remaining === null ? (later.length > 0 ? [] : null) : remaining.filter((id) => !later.some((slot) => slot.placeId === id));
    }
  }
  const found = (slots: readonly Slot[]): FoundSlot[] => slots.filter((slot) => slot.startsAtEpochMinutes >= nowMinutes);
  return {
    ...base,
    errors: {},
    result: {
      motif,
      partner,
      fromDay,
      previousFromDay: page.previousFromDay,
      nextFromDay: page.nextFromDay,
      groups: groupSlots({ weekSlots: found(weekSlots), nextSlots: found(nextSlots), fromDay, timeZone: organisation.timeZone }),
    },
  };
}

interface WindowSearch {
  readonly db: Kysely<Database>;
  readonly motif: SearchMotif;
  readonly leads: readonly number[];
  readonly partner: SearchAgent | null;
  readonly now: Date;
  readonly organisationId: number;
}

/** After the week: four weeks, then the rest of the horizon (the second only for places still without a slot). */
function laterWindows(weekEnd: EpochMinutes, horizon: EpochMinutes): [EpochMinutes, EpochMinutes][] {
  const monthEnd = Math.min(horizon, weekEnd + 28 * 1440);
  const windows: [EpochMinutes, EpochMinutes][] = [];
  if (weekEnd < monthEnd) windows.push([weekEnd, monthEnd]);
  if (monthEnd < horizon) windows.push([monthEnd, horizon]);
  return windows;
}

/**
 * Slots of [from, to) at the places (null = every place) — every slot (`every`), or at least the
 * first per place (`first`, for next availability: without a partner the engine's next-availability
 * search stops at it) — of the leads, or their joint slots with the partner.
 */
async function searchWindow(search: WindowSearch, wanted: 'every' | 'first', placeIds: readonly number[] | null, from: EpochMinutes, to: EpochMinutes): Promise<Slot[]> {
  const { db, motif, leads, partner, now, organisationId } = search;
  const window = { from: epochMinutesToDate(from), to: epochMinutesToDate(to) };
  if (partner !== null) {
    return searchPartnerSlots(db, { appointmentTypeId: motif.id, leadAgentIds: leads, partnerAgentId: partner.id, now, placeIds, organisationIds: [organisationId], ...window });
  }
  const filters = { agentIds: leads, placeIds, organisationIds: [organisationId] };
  if (wanted === 'every') return searchSlots(db, { appointmentTypeId: motif.id, audience: 'agent', ...window, now, filters });
  const first = await findNextAvailabilities(db, { appointmentTypeId: motif.id, appointmentTypeIds: [motif.id], audience: 'agent', now: window.from, until: window.to, filters });
  return [...first.values()];
}
