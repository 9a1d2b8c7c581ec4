// Reads of the agent appointment pages, each answering what one page needs; the writes are the
// appointments core's commands, called by the routes. Visibility is decided here (policies of the
// agents module), so a route only has to turn `undefined` into a 404.
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/schema.js';
import { formatDayLong, formatTime, zoneLabel } from '../../platform/views/format.js';
import { dateToEpochMinutes, epochMinutesToLocal } from '../../shared/time/index.js';
import { canSeeAppointment, canUseMotif, roleIn, visibleAppointmentsScope, type AgentPrincipal } from '../agents/index.js';
import { STATUS_TRANSITIONS, statusChangeRefusal, type AppointmentStatus } from '../appointments/index.js';
import { organisationUsersScopeOf, searchAndJournalUsers } from '../users/index.js';
import {
  findAgentNames,
  findAppointmentHistory,
  findMotifs,
  findOrganisationAgents,
  findPlaces,
  findVisibleAppointment,
  type AgentOption,
  type AppointmentDetail,
  type MotifOption,
  type PlaceOption,
  type UserSummary,
} from './agent-appointments.repository.js';
import { describeActor, describeHistoryEntry } from './domain/descriptions.js';

/** "mardi 1er décembre 2026 à 9h30 (heure de Paris)": always with the zone's name. */
export function formatInstantIn(timeZone: string, at: Date): string {
  const minutes = dateToEpochMinutes(at);
  const { dayNumber } = epochMinutesToLocal(timeZone, minutes);
  return `${formatDayLong(dayNumber)} à ${formatTime(timeZone, minutes)} (${zoneLabel(timeZone)})`;
}

/** Usagers shown for one search of participants. */
export const PARTICIPANT_SEARCH_LIMIT = 20;

/**
 * The organisation's usagers matching the search, best first (the users module's indexed search:
 * prefixes, accents and typos, phone, e-mail, n°), at most 20; erased usagers never. The
 * organisation only, even where the territory's directory reaches further: a participant must be
 * known to the organisation (`findOrganisationUsers`). Journaled like every search that returns
 * usagers (ADR 0019): ids, a count and the page, never the text.
 */
export async function searchParticipants(
  db: Kysely<Database>,
  principal: AgentPrincipal,
  organisationId: number,
  text: string,
  page: 'agent_appointment_wizard' | 'agent_appointment_edit',
): Promise<UserSummary[]> {
  const scope = await organisationUsersScopeOf(db, principal, organisationId);
  if (scope === undefined) return [];
  const { results } = await searchAndJournalUsers(db, principal, scope, text, { limit: PARTICIPANT_SEARCH_LIMIT, details: { page } });
  return results.map((user) => ({
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    birthDate: user.birthDate,
    email: user.email,
    phoneNumber: user.phoneNumber,
    responsibleId: user.responsible?.id ?? null,
  }));
}

/** The motifs the agent may book with in the organisation. */
export async function listUsableMotifs(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number): Promise<MotifOption[]> {
  const motifs = await findMotifs(db, organisationId);
  return motifs.filter((motif) => canUseMotif(principal, { organisationId, serviceId: motif.serviceId }));
}

/** One usable motif, or undefined (unknown, archived, collective, another organisation's, another service's). */
export async function findUsableMotif(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, motifId: number): Promise<MotifOption | undefined> {
  return (await listUsableMotifs(db, principal, organisationId)).find((motif) => motif.id === motifId);
}

export interface SchedulingOptions {
  readonly agents: readonly AgentOption[];
  readonly places: readonly PlaceOption[];
}

/** Agents and places of the organisation, for the details step and the edit page. */
export async function loadSchedulingOptions(db: Kysely<Database>, organisationId: number): Promise<SchedulingOptions> {
  const [agents, places] = await Promise.all([findOrganisationAgents(db, organisationId), findPlaces(db, organisationId)]);
  return { agents, places };
}

/** The appointment if the agent may see it (same organisation, visible scope), else undefined. */
export async function loadVisibleAppointment(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, appointmentId: number): Promise<AppointmentDetail | undefined> {
  const detail = await findVisibleAppointment(db, organisationId, appointmentId, visibleAppointmentsScope(principal, organisationId));
  if (detail === undefined) return undefined;
  const facts = { organisationId: detail.organisationId, serviceId: detail.serviceId, agentIds: detail.agents.map((agent) => agent.id) };
  return canSeeAppointment(principal, facts) ? detail : undefined;
}

/** The statuses the machine allows from the current one at `now` (service side). */
export function allowedStatusTargets(detail: Pick<AppointmentDetail, 'status' | 'startsAt'>, now: Date): AppointmentStatus[] {
  return STATUS_TRANSITIONS[detail.status].filter(
    (to) => statusChangeRefusal({ from: detail.status, to, changer: 'service', startsAt: detail.startsAt, now }) === null,
  );
}

export interface HistoryItem {
  readonly when: string;
  readonly who: string;
  readonly what: readonly string[];
}

/** The history of changes in French, oldest first. */
export async function loadHistory(db: Kysely<Database>, detail: AppointmentDetail): Promise<HistoryItem[]> {
  const rows = await findAppointmentHistory(db, detail.id);
  const agentIds = new Set<number>();
  for (const row of rows) {
    for (const key of ['agentIds', 'previousAgentIds']) {
      const value = row.details[key];
      if (typeof value === 'string') for (const id of value.split(',')) if (/^\d+$/.test(id)) agentIds.add(Number(id));
    }
  }
  const agents = await findAgentNames(db, [...agentIds]);
  const names = { agents, users: new Map<number, string>() };
  return rows.map((row) => ({
    when: formatInstantIn(detail.timeZone, row.occurredAt),
    who: describeActor({ type: row.actorType, agentName: row.actorAgentName }),
    what: describeHistoryEntry(row, (iso) => formatInstantIn(detail.timeZone, new Date(iso)), names),
  }));
}

/** Journals that the agent opened the appointment and its participants' details (SECURITY.md, "Data"). */
export async function journalAppointmentView(db: Kysely<Database>, principal: AgentPrincipal, detail: AppointmentDetail): Promise<void> {
  await insertAuditEntry(db, {
    actor: { type: 'agent', agentId: principal.agentId },
    action: 'read',
    subjectType: 'appointment',
    subjectId: detail.id,
    territoryId: roleIn(principal, detail.organisationId)?.territoryId ?? null,
    details: { page: 'agent_appointment_detail', userIds: detail.participants.map((participant) => participant.id).join(',') },
  });
}
