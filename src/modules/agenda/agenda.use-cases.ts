// Use cases of the agenda: the calendar views (day, week, month) of agents or of a place, the
// appointment list with its filters, the printable day sheet of a place and the motifs'
// stylesheet. Each loads what the page shows in a few queries (agenda.repository.ts), checks the
// ids asked for against what the principal may see (a foreign or hidden id is a 404), and expands
// opening periods and absences with the availability module's occurrence code.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/errors.js';
import { addDays, dateToEpochMinutes, dayNumberToIsoDate, localDayOf, startOfLocalDay, type DayNumber, type EpochMinutes } from '../../shared/time/index.js';
import { canSeeAgenda, visibleAppointmentsScope, type AgentPrincipal, type AppointmentScope } from '../agents/index.js';
import {
  countAgendaAppointmentsByDay,
  countAppointmentsToFill,
  findAgendaAbsences,
  findAgendaAppointments,
  findAgendaOpeningPeriods,
  findAgendaOrganisation,
  findAppointmentPage,
  findOrganisationAgents,
  findOrganisationMotifs,
  findOrganisationPlaces,
  type AgendaAppointment,
  type AgendaMotif,
  type AgendaOrganisation,
  type AgendaPlace,
  type AgendaTarget,
  type AppointmentListFilters,
  type OrganisationAgent,
} from './agenda.repository.js';
import {
  expandAbsenceOccurrences,
  expandOpeningOccurrences,
  holidaysBetween,
  widenedDays,
  type AbsenceOccurrence,
  type AgendaHoliday,
  type OpeningOccurrence,
} from './agenda-schedule.js';
import { agendaRange, type AgendaRange, type CalendarView } from './domain/agenda-range.js';
import type { AppointmentListSelection } from './appointment-list-filters.js';
import { motifStylesheet } from './domain/motif-colors.js';

/** Agents whose agendas can be shown together (the query's bound). */
export const MAX_AGENDA_AGENTS = 20;
/** Appointments per page of the list. */
export const APPOINTMENTS_PER_PAGE = 50;

/** Whose agenda a page shows. */
export type AgendaSubject = { readonly kind: 'agents'; readonly agents: readonly OrganisationAgent[] } | { readonly kind: 'place'; readonly place: AgendaPlace };

/** Everything an agenda page (day, week or month) shows. */
export interface AgendaModel {
  readonly organisation: AgendaOrganisation;
  readonly range: AgendaRange;
  /** The zone of every time shown: the place's, or the organisation's. */
  readonly timeZone: string;
  readonly nowEpochMinutes: EpochMinutes;
  readonly subject: AgendaSubject;
  /** Agents the principal may open the agenda of (the selector's choices), by name. */
  readonly visibleAgents: readonly OrganisationAgent[];
  readonly places: readonly AgendaPlace[];
  readonly appointments: readonly AgendaAppointment[];
  readonly openings: readonly OpeningOccurrence[];
  readonly absences: readonly AbsenceOccurrence[];
  readonly holidays: readonly AgendaHoliday[];
  /** Month view: appointments per local day ('YYYY-MM-DD'). */
  readonly dayCounts: ReadonlyMap<string, { total: number; cancelled: number }>;
}

export interface AgendaRequest {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly view: CalendarView;
  /** The day asked for; default: today in the organisation's zone. */
  readonly date?: DayNumber;
  /** Agents asked for; default: the principal. Ignored when a place is asked for. */
  readonly agentIds?: readonly number[];
  readonly placeId?: number;
  readonly now: Date;
}

async function requireOrganisation(db: Kysely<Database>, organisationId: number): Promise<AgendaOrganisation> {
  const organisation = await findAgendaOrganisation(db, organisationId);
  if (organisation === undefined) throw new NotFoundError();
  return organisation;
}

/** The organisation's agents whose agenda the principal may see (`canSeeAgenda`), intervenants included. */
export function agentsVisibleTo(principal: AgentPrincipal, organisationId: number, agents: readonly OrganisationAgent[]): OrganisationAgent[] {
  return agents.filter((agent) => canSeeAgenda(principal, organisationId, { agentId: agent.id, belongsToOrganisation: true, serviceIds: agent.serviceIds }));
}

/** The agenda of agents or of a place over a day, a week or a month. */
export async function loadAgenda(db: Kysely<Database>, request: AgendaRequest): Promise<AgendaModel> {
  const { principal, organisationId } = request;
  const [organisation, agents, places] = await Promise.all([
    requireOrganisation(db, organisationId),
    findOrganisationAgents(db, organisationId),
    findOrganisationPlaces(db, organisationId),
  ]);
  const visibleAgents = agentsVisibleTo(principal, organisationId, agents);
  let subject: AgendaSubject;
  if (request.placeId !== undefined) {
    const place = places.find((candidate) => candidate.id === request.placeId);
    if (place === undefined) throw new NotFoundError();
    subject = { kind: 'place', place };
  } else {
    const wanted = request.agentIds ?? [principal.agentId];
    const chosen = visibleAgents.filter((agent) => wanted.includes(agent.id));
    // An agent of another organisation, unknown, or hidden from the principal: 404, never 403.
    if (chosen.length !== new Set(wanted).size || chosen.length === 0) throw new NotFoundError();
    subject = { kind: 'agents', agents: chosen };
  }
  const timeZone = subject.kind === 'place' ? subject.place.timeZone : organisation.timeZone;
  const date = request.date ?? localDayOf(organisation.timeZone, dateToEpochMinutes(request.now));
  const range = agendaRange(request.view, date, timeZone);
  const scope = visibleAppointmentsScope(principal, organisationId);
  const target: AgendaTarget = subject.kind === 'place' ? { kind: 'place', placeId: subject.place.id } : { kind: 'agents', agentIds: subject.agents.map((agent) => agent.id) };
  const { fromDay, toDay } = widenedDays(range.days);
  const holidays = holidaysBetween(organisation, range.days[0] ?? date, range.days.at(-1) ?? date);
  const base = { organisation, range, timeZone, nowEpochMinutes: dateToEpochMinutes(request.now), subject, visibleAgents, places, holidays };

  if (range.view === 'mois') {
    const dayCounts = await countAgendaAppointmentsByDay(db, { organisationId, scope, target, from: range.from, to: range.to, timeZone });
    return { ...base, appointments: [], openings: [], absences: [], dayCounts };
  }
  const scheduleAgentIds = subject.kind === 'place' ? visibleAgents.map((agent) => agent.id) : subject.agents.map((agent) => agent.id);
  const [appointments, periods, absences] = await Promise.all([
    findAgendaAppointments(db, { organisationId, scope, target, from: range.from, to: range.to }),
    findAgendaOpeningPeriods(db, { organisationId, agentIds: scheduleAgentIds, placeId: subject.kind === 'place' ? subject.place.id : null, fromDay, toDay }),
    subject.kind === 'place' ? Promise.resolve([]) : findAgendaAbsences(db, scheduleAgentIds, fromDay, toDay),
  ]);
  const inRange = (entry: { startsAtEpochMinutes: number; endsAtEpochMinutes: number }): boolean =>
    entry.startsAtEpochMinutes < range.to && entry.endsAtEpochMinutes > range.from;
  return {
    ...base,
    appointments,
    openings: expandOpeningOccurrences(periods, [organisation], fromDay, toDay, subject.kind === 'place' ? subject.place.id : null).filter(inRange),
    absences: expandAbsenceOccurrences(absences, organisationId, fromDay, toDay).filter(inRange),
    dayCounts: new Map(),
  };
}

/** The list's request: its checked-by-schema selection, and the page. */
export interface AppointmentListRequest extends AppointmentListSelection {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  /** 1-based. */
  readonly page: number;
  readonly now: Date;
}

export interface AppointmentListModel {
  readonly organisation: AgendaOrganisation;
  readonly visibleAgents: readonly OrganisationAgent[];
  /** Names of every agent of the organisation (an appointment may have an agent the principal cannot open). */
  readonly agentNames: ReadonlyMap<number, string>;
  readonly places: readonly AgendaPlace[];
  readonly motifs: readonly AgendaMotif[];
  readonly appointments: readonly AgendaAppointment[];
  readonly total: number;
  readonly page: number;
  readonly pageCount: number;
  /** Past appointments still "à renseigner" in the principal's scope (of the chosen agent, when one is). */
  readonly toFillCount: number;
  readonly nowEpochMinutes: EpochMinutes;
}

/** What the list's query needs, once the selection is checked against what the principal may see. */
export interface ResolvedListFilters {
  readonly organisation: AgendaOrganisation;
  readonly agents: readonly OrganisationAgent[];
  readonly visibleAgents: readonly OrganisationAgent[];
  readonly places: readonly AgendaPlace[];
  readonly motifs: readonly AgendaMotif[];
  /** The principal's visibility, for `appointmentListCondition`. */
  readonly scope: AppointmentScope;
  /** The filters as the SQL applies them (days turned into instants of the organisation's zone). */
  readonly filters: AppointmentListFilters;
}

/**
 * Checks the list's selection against what the principal may see — an agent hidden from them, a
 * place or a motif of another organisation: NotFoundError (404) — and turns its days into the
 * instants of the organisation's zone. The list and the exports both go through it.
 */
export async function resolveAppointmentListFilters(
  db: Kysely<Database>,
  principal: AgentPrincipal,
  organisationId: number,
  selection: AppointmentListSelection,
): Promise<ResolvedListFilters> {
  const [organisation, agents, places, motifs] = await Promise.all([
    requireOrganisation(db, organisationId),
    findOrganisationAgents(db, organisationId),
    findOrganisationPlaces(db, organisationId),
    findOrganisationMotifs(db, organisationId),
  ]);
  const visibleAgents = agentsVisibleTo(principal, organisationId, agents);
  if (selection.agentId !== undefined && !visibleAgents.some((agent) => agent.id === selection.agentId)) throw new NotFoundError();
  if (selection.placeId !== undefined && !places.some((place) => place.id === selection.placeId)) throw new NotFoundError();
  if (selection.motifId !== undefined && !motifs.some((motif) => motif.id === selection.motifId)) throw new NotFoundError();
  return {
    organisation,
    agents,
    visibleAgents,
    places,
    motifs,
    scope: visibleAppointmentsScope(principal, organisationId),
    filters: {
      agentId: selection.agentId,
      motifId: selection.motifId,
      placeId: selection.placeId,
      status: selection.status,
      from: selection.fromDay === undefined ? undefined : startOfLocalDay(organisation.timeZone, selection.fromDay),
      to: selection.toDay === undefined ? undefined : startOfLocalDay(organisation.timeZone, addDays(selection.toDay, 1)),
    },
  };
}

/** The list of appointments the principal may see, filtered, 50 per page, by start. */
export async function listAppointments(db: Kysely<Database>, request: AppointmentListRequest): Promise<AppointmentListModel> {
  const { principal, organisationId } = request;
  const { organisation, agents, visibleAgents, places, motifs, scope, filters } = await resolveAppointmentListFilters(db, principal, organisationId, request);
  const now = dateToEpochMinutes(request.now);
  const [{ appointments, total }, toFillCount] = await Promise.all([
    findAppointmentPage(db, { organisationId, scope, filters, now, offset: (request.page - 1) * APPOINTMENTS_PER_PAGE, limit: APPOINTMENTS_PER_PAGE }),
    countAppointmentsToFill(db, { organisationId, scope, agentId: request.agentId, now }),
  ]);
  return {
    organisation,
    visibleAgents,
    agentNames: new Map(agents.map((agent) => [agent.id, `${agent.firstName} ${agent.lastName}`])),
    places,
    motifs,
    appointments,
    total,
    page: request.page,
    pageCount: Math.max(1, Math.ceil(total / APPOINTMENTS_PER_PAGE)),
    toFillCount,
    nowEpochMinutes: now,
  };
}

export interface DaySheetModel {
  readonly organisation: AgendaOrganisation;
  readonly place: AgendaPlace;
  readonly day: DayNumber;
  readonly agentNames: ReadonlyMap<number, string>;
  /** The day's appointments at the place, cancelled ones left out. */
  readonly appointments: readonly AgendaAppointment[];
  readonly cancelledCount: number;
  readonly nowEpochMinutes: EpochMinutes;
}

/** The printable list of a place's appointments on a day (default: today in the place's zone). */
export async function loadDaySheet(
  db: Kysely<Database>,
  request: { principal: AgentPrincipal; organisationId: number; placeId: number; date?: DayNumber; now: Date },
): Promise<DaySheetModel> {
  const { principal, organisationId } = request;
  const [organisation, agents, places] = await Promise.all([
    requireOrganisation(db, organisationId),
    findOrganisationAgents(db, organisationId),
    findOrganisationPlaces(db, organisationId),
  ]);
  const place = places.find((candidate) => candidate.id === request.placeId);
  if (place === undefined) throw new NotFoundError();
  const day = request.date ?? localDayOf(place.timeZone, dateToEpochMinutes(request.now));
  const appointments = await findAgendaAppointments(db, {
    organisationId,
    scope: visibleAppointmentsScope(principal, organisationId),
    target: { kind: 'place', placeId: place.id },
    from: startOfLocalDay(place.timeZone, day),
    to: startOfLocalDay(place.timeZone, addDays(day, 1)),
  });
  const active = appointments.filter((appointment) => appointment.status !== 'excused' && appointment.status !== 'revoked');
  return {
    organisation,
    place,
    day,
    agentNames: new Map(agents.map((agent) => [agent.id, `${agent.firstName} ${agent.lastName}`])),
    appointments: active,
    cancelledCount: appointments.length - active.length,
    nowEpochMinutes: dateToEpochMinutes(request.now),
  };
}

/** The stylesheet of the organisation's motif colours. */
export async function loadMotifStylesheet(db: Kysely<Database>, organisationId: number): Promise<string> {
  return motifStylesheet(await findOrganisationMotifs(db, organisationId));
}

/** 'YYYY-MM-DD' of a day (the URLs' form). */
export function isoDay(day: DayNumber): string {
  return dayNumberToIsoDate(day);
}
