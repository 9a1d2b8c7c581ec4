// Reads of the collective appointment pages, each answering what one page needs, with the
// agents module's policies applied (a route only turns `undefined` into a 404). The writes are
// the appointments core's collective commands, called by the routes.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { findOrganisationAgents, findPlaces } from '../agent-appointments/index.js';
import { agentDisplayName, canSeeAppointment, canUseMotif, roleIn, visibleAppointmentsScope, type AgentPrincipal } from '../agents/index.js';
import { STATUS_TRANSITIONS, statusChangeRefusal, type AppointmentStatus } from '../appointments/index.js';
import { recordRead } from '../read-journal/index.js';
import { isKnownUser, searchAndJournalUsers, usersScopeOf } from '../users/index.js';
import {
  findCollectiveAppointment,
  findCollectiveAppointments,
  findCollectiveMotifs,
  findScopedUser,
  type AgentChoice,
  type CollectiveDetail,
  type CollectiveMotif,
  type CollectiveSummary,
  type PlaceChoice,
  type UserMatch,
} from './collective-appointments.repository.js';

/** Sessions shown on one page of the list. */
export const LIST_LIMIT = 100;
/** Usagers shown for one search. */
export const SEARCH_LIMIT = 20;

/** The sessions the agent sees in the organisation: upcoming (soonest first) or past (latest first). */
export async function listCollectives(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, period: 'upcoming' | 'past', now: Date): Promise<CollectiveSummary[]> {
  return findCollectiveAppointments(db, visibleAppointmentsScope(principal, organisationId), { period, now, limit: LIST_LIMIT });
}

/** One session if the agent may see it (same organisation, visible scope), else undefined. */
export async function loadVisibleCollective(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, appointmentId: number): Promise<CollectiveDetail | undefined> {
  const detail = await findCollectiveAppointment(db, visibleAppointmentsScope(principal, organisationId), organisationId, appointmentId);
  if (detail === undefined) return undefined;
  return canSeeAppointment(principal, { organisationId, serviceId: detail.serviceId, agentIds: detail.agentIds }) ? detail : undefined;
}

/** The collective motifs the agent may use in the organisation. */
export async function listUsableCollectiveMotifs(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number): Promise<CollectiveMotif[]> {
  return (await findCollectiveMotifs(db, organisationId)).filter((motif) => canUseMotif(principal, { organisationId, serviceId: motif.serviceId }));
}

export interface CollectiveFormOptions {
  readonly places: readonly PlaceChoice[];
  readonly agents: readonly AgentChoice[];
}

/** Places and agents of the organisation, for the creation and edit forms. */
export async function loadFormOptions(db: Kysely<Database>, organisationId: number): Promise<CollectiveFormOptions> {
  const [places, agentOptions] = await Promise.all([findPlaces(db, organisationId), findOrganisationAgents(db, organisationId)]);
  const agents: AgentChoice[] = agentOptions.map((agent) => ({ id: agent.id, name: agentDisplayName(agent) }));
  return { places, agents };
}

/**
 * Usagers the agent may add (the users directory's scope), matching the search: the users
 * module's indexed search (prefixes, accents and typos, phone, e-mail, n°), erased usagers never;
 * the search and its results are journaled (ids and a count, never the text typed).
 */
export async function searchParticipants(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, text: string): Promise<UserMatch[]> {
  const scope = await usersScopeOf(db, principal, organisationId);
  if (scope === undefined) return [];
  const { results } = await searchAndJournalUsers(db, principal, scope, text, { limit: SEARCH_LIMIT, details: { page: 'collective_appointment' } });
  return results.map((user) => ({ id: user.id, firstName: user.firstName, lastName: user.lastName, birthDate: user.birthDate, phoneNumber: user.phoneNumber, email: user.email }));
}

/**
 * The usager the agent just created from the session's page (the users module's creation form
 * returns with their id), offered for adding; undefined outside the agent's scope (→ 404). Their
 * name and contact are shown: journaled as a view.
 */
export async function loadCreatedParticipant(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, userId: number): Promise<UserMatch | undefined> {
  const scope = await usersScopeOf(db, principal, organisationId);
  if (scope === undefined) return undefined;
  const user = await findScopedUser(db, scope, userId);
  if (user === undefined) return undefined;
  await recordRead(db, {
    territoryId: scope.territoryId,
    organisationId,
    agentId: principal.agentId,
    kind: 'user_view',
    userIds: [user.id],
    details: { page: 'collective_appointment', created: true },
  });
  return user;
}

/** Whether the agent may add this usager (in the users directory's scope). */
export async function mayAddUser(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number, userId: number): Promise<boolean> {
  const scope = await usersScopeOf(db, principal, organisationId);
  return scope !== undefined && (await isKnownUser(db, scope, userId));
}

/** Journals that the agent opened the session's list of participants (SECURITY.md, "Data"; ADR 0019). */
export async function journalCollectiveView(db: Kysely<Database>, principal: AgentPrincipal, detail: CollectiveDetail): Promise<void> {
  const territoryId = roleIn(principal, detail.organisationId)?.territoryId;
  if (territoryId === undefined || detail.participants.length === 0) return;
  await recordRead(db, {
    territoryId,
    organisationId: detail.organisationId,
    agentId: principal.agentId,
    kind: 'user_view',
    userIds: detail.participants.map((participant) => participant.userId),
    details: { page: 'collective_appointment', appointmentId: detail.id },
  });
}

/** The statuses the machine allows a participant to move to now (service side). */
export function participantStatusTargets(status: AppointmentStatus, startsAt: Date, now: Date): AppointmentStatus[] {
  return STATUS_TRANSITIONS[status].filter((to) => statusChangeRefusal({ from: status, to, changer: 'service', startsAt, now }) === null);
}
