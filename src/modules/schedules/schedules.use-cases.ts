// Use cases of opening periods and absences: load what a decision needs in a few queries, decide
// with the pure rules (domain/), write in one transaction with its audit entry. Authorisation is
// the agents module's policies: `canSeeAgenda` to read an agent's schedule, `canManageScheduleOf`
// to change it. Anything refused or foreign comes back `undefined` (the routes answer 404).
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { insertAuditEntry, type AuditEntry } from '../../platform/audit/audit-log.js';
import { addDays, parseIsoDate, type DayNumber } from '../../shared/time/index.js';
import { canManageScheduleOf, canSeeAgenda, roleIn, type AgentPrincipal } from '../agents/index.js';
import {
  absenceIntervals,
  appointmentsCovered,
  applyOccurrenceEdit,
  findMotifsTooLong,
  findOverlaps,
  listOccurrences,
  OVERLAP_HORIZON_DAYS,
  type OccurrenceEdit,
  type OccurrenceEditRefusal,
  type OccurrenceView,
  type PeriodWarning,
} from './domain/occurrence-edits.js';
import { describeAbsence, describeSchedule } from './domain/recurrence-form.js';
import { checkAbsenceForm, checkOpeningPeriodForm, type AbsenceFormFields, type FormErrors, type PeriodFormFields } from './domain/schedule-forms.js';
import {
  deleteAbsence,
  deletePeriod,
  findAbsence,
  findAbsencesOfAgent,
  findAgentAppointments,
  findEnabledPlaces,
  findMotifNames,
  findOrganisationAgents,
  findPeriod,
  findPeriodMotifs,
  findPeriodsOfAgent,
  findPlaceNames,
  insertAbsences,
  insertPeriod,
  lockPeriod,
  saveOccurrenceState,
  updateAbsence,
  updatePeriod,
  type AbsenceRow,
  type AgentAppointment,
  type MotifOption,
  type OpeningPeriodRow,
  type OrganisationAgent,
  type PlaceOption,
} from './schedules.repository.js';

/** Who acts, where, and when (the organisation's local day is "today"). */
export interface ScheduleActor {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly now: Date;
  readonly today: DayNumber;
}

/** An agent of the organisation, with what the principal may do with their schedule. */
export interface AgentChoice extends OrganisationAgent {
  readonly canSee: boolean;
  readonly canManage: boolean;
}

function ownerFacts(agent: OrganisationAgent): { agentId: number; belongsToOrganisation: boolean; serviceIds: readonly number[] } {
  return { agentId: agent.id, belongsToOrganisation: true, serviceIds: agent.serviceIds };
}

/** The organisation's agents whose agenda the principal sees, with whether they manage it. */
export async function loadAgentChoices(db: Kysely<Database>, actor: ScheduleActor): Promise<AgentChoice[]> {
  const agents = await findOrganisationAgents(db, actor.organisationId);
  return agents
    .map((agent) => ({
      ...agent,
      canSee: canSeeAgenda(actor.principal, actor.organisationId, ownerFacts(agent)),
      canManage: canManageScheduleOf(actor.principal, actor.organisationId, ownerFacts(agent)),
    }))
    .filter((agent) => agent.canSee);
}

function territoryOf(actor: ScheduleActor): number | null {
  return roleIn(actor.principal, actor.organisationId)?.territoryId ?? null;
}

function organisationTimeZone(actor: ScheduleActor): string {
  return roleIn(actor.principal, actor.organisationId)?.timeZone ?? 'Europe/Paris';
}

async function audit(db: Kysely<Database>, actor: ScheduleActor, entry: Omit<AuditEntry, 'actor' | 'territoryId'>): Promise<void> {
  await insertAuditEntry(db, { ...entry, actor: { type: 'agent', agentId: actor.principal.agentId }, territoryId: territoryOf(actor) });
}

// ---------------------------------------------------------------------------------------------
// Opening periods: lists
// ---------------------------------------------------------------------------------------------

export interface PeriodView {
  readonly period: OpeningPeriodRow;
  readonly description: string;
  readonly placeName: string | null;
  readonly motifNames: readonly string[];
  /** The next occurrences from today (cancelled ones included, marked). */
  readonly nextOccurrences: readonly OccurrenceView[];
}

export interface PeriodListPage {
  readonly owner: AgentChoice;
  readonly agents: readonly AgentChoice[];
  readonly periods: readonly PeriodView[];
  readonly placeNames: ReadonlyMap<number, string>;
}

const NEXT_OCCURRENCES_SHOWN = 3;

function viewOfPeriod(period: OpeningPeriodRow, placeNames: ReadonlyMap<number, string>, motifs: ReadonlyMap<number, { name: string }>, today: DayNumber): PeriodView {
  return {
    period,
    description: describeSchedule(period),
    placeName: period.placeId === null ? null : (placeNames.get(period.placeId) ?? null),
    motifNames: period.appointmentTypeIds.map((id) => motifs.get(id)?.name ?? '').filter((name) => name !== ''),
    nextOccurrences: listOccurrences(period, today, addDays(today, OVERLAP_HORIZON_DAYS), NEXT_OCCURRENCES_SHOWN),
  };
}

/** The periods of an agent (default: the principal); undefined when the agent is not seen. */
export async function listPeriodsOfAgent(db: Kysely<Database>, actor: ScheduleActor, agentId: number | undefined): Promise<PeriodListPage | undefined> {
  const agents = await loadAgentChoices(db, actor);
  const owner = agents.find((agent) => agent.id === (agentId ?? actor.principal.agentId));
  if (owner === undefined) return undefined;
  const [periods, placeNames, motifs] = await Promise.all([
    findPeriodsOfAgent(db, actor.organisationId, owner.id),
    findPlaceNames(db, actor.organisationId),
    findMotifNames(db, actor.organisationId),
  ]);
  return { owner, agents, placeNames, periods: periods.map((period) => viewOfPeriod(period, placeNames, motifs, actor.today)) };
}

export interface SeenPeriod {
  readonly view: PeriodView;
  readonly owner: AgentChoice;
  readonly placeNames: ReadonlyMap<number, string>;
  readonly places: readonly PlaceOption[];
}

/** One period the principal sees (with `owner.canManage` saying whether they may change it). */
export async function findSeenPeriod(db: Kysely<Database>, actor: ScheduleActor, periodId: number): Promise<SeenPeriod | undefined> {
  const period = await findPeriod(db, actor.organisationId, periodId);
  if (period === undefined) return undefined;
  const agents = await loadAgentChoices(db, actor);
  const owner = agents.find((agent) => agent.id === period.agentId);
  if (owner === undefined) return undefined;
  const [placeNames, motifs, places] = await Promise.all([findPlaceNames(db, actor.organisationId), findMotifNames(db, actor.organisationId), findEnabledPlaces(db, actor.organisationId)]);
  return { view: viewOfPeriod(period, placeNames, motifs, actor.today), owner, placeNames, places };
}

/** The occurrences of a period over [fromDay, toDay] (at most 200). */
export function occurrencesBetween(period: OpeningPeriodRow, fromDay: DayNumber, toDay: DayNumber): OccurrenceView[] {
  return listOccurrences(period, fromDay, toDay, 200);
}

// ---------------------------------------------------------------------------------------------
// Opening periods: the form and its writes
// ---------------------------------------------------------------------------------------------

export interface PeriodFormData {
  /** Agents whose schedule the principal manages. */
  readonly agents: readonly AgentChoice[];
  readonly places: readonly PlaceOption[];
  /** Every motif a period of the organisation may offer; `motifIdsOf` narrows them to an agent. */
  readonly motifs: readonly MotifOption[];
}

/** What the opening period form offers the principal. */
export async function loadPeriodFormData(db: Kysely<Database>, actor: ScheduleActor): Promise<PeriodFormData> {
  const [agents, places, motifs] = await Promise.all([loadAgentChoices(db, actor), findEnabledPlaces(db, actor.organisationId), findPeriodMotifs(db, actor.organisationId)]);
  return { agents: agents.filter((agent) => agent.canManage), places, motifs };
}

/** Motifs of the services an agent belongs to (a secretariat's agents have none of their own). */
export function motifsOfAgent(data: PeriodFormData, agentId: number): MotifOption[] {
  const agent = data.agents.find((candidate) => candidate.id === agentId);
  if (agent === undefined) return [];
  return data.motifs.filter((motif) => agent.serviceIds.includes(motif.serviceId));
}

export type SavePeriodResult =
  | { readonly ok: true; readonly periodId: number }
  | { readonly ok: false; readonly kind: 'invalid'; readonly errors: FormErrors }
  | { readonly ok: false; readonly kind: 'warnings'; readonly warnings: readonly PeriodWarning[] };

/**
 * Creates (periodId undefined) or edits a period. Warnings (overlap with another period of the
 * agent, motif longer than the period) stop the save until the agent confirms them.
 * Undefined when the period to edit is foreign or its agent's schedule is not the principal's to manage.
 */
export async function savePeriod(
  db: Kysely<Database>,
  actor: ScheduleActor,
  input: { readonly periodId?: number; readonly fields: PeriodFormFields; readonly confirmWarnings: boolean },
): Promise<SavePeriodResult | undefined> {
  const data = await loadPeriodFormData(db, actor);
  let existing: OpeningPeriodRow | undefined;
  if (input.periodId !== undefined) {
    existing = await findPeriod(db, actor.organisationId, input.periodId);
    if (existing === undefined) return undefined;
    const existingAgentId = existing.agentId;
    if (!data.agents.some((agent) => agent.id === existingAgentId)) return undefined;
  }
  const checked = checkOpeningPeriodForm(input.fields, {
    agentIds: new Set(data.agents.map((agent) => agent.id)),
    placeZones: new Map(data.places.map((place) => [place.id, place.timeZone])),
    motifIdsOf: (agentId) => new Set(motifsOfAgent(data, agentId).map((motif) => motif.id)),
    organisationTimeZone: organisationTimeZone(actor),
  });
  if (!checked.ok) return { ok: false, kind: 'invalid', errors: checked.errors };
  const values = checked.value;
  if (!input.confirmWarnings) {
    const others = (await findPeriodsOfAgent(db, actor.organisationId, values.agentId)).filter((period) => period.id !== input.periodId);
    const candidate = { ...values, excludedDates: existing?.excludedDates ?? [], overrides: existing?.overrides ?? [] };
    const warnings: PeriodWarning[] = [
      ...findOverlaps(candidate, others, actor.today),
      ...findMotifsTooLong(values, data.motifs.filter((motif) => values.appointmentTypeIds.includes(motif.id))),
    ];
    if (warnings.length > 0) return { ok: false, kind: 'warnings', warnings };
  }
  const periodId = await db.transaction().execute(async (trx) => {
    const id = existing === undefined ? await insertPeriod(trx, actor.organisationId, values) : existing.id;
    if (existing !== undefined) await updatePeriod(trx, actor.organisationId, id, values, actor.now);
    await audit(trx, actor, {
      action: existing === undefined ? 'create' : 'update',
      subjectType: 'opening_period',
      subjectId: id,
      details: { organisationId: actor.organisationId, agentId: values.agentId, placeId: values.placeId, warningsConfirmed: input.confirmWarnings },
    });
    return id;
  });
  return { ok: true, periodId };
}

/** Deletes a period (its overrides and motif links go with it); false when not the principal's to manage. */
export async function removePeriod(db: Kysely<Database>, actor: ScheduleActor, periodId: number): Promise<boolean> {
  const seen = await findSeenPeriod(db, actor, periodId);
  if (seen === undefined || !seen.owner.canManage) return false;
  await db.transaction().execute(async (trx) => {
    await deletePeriod(trx, actor.organisationId, periodId);
    await audit(trx, actor, { action: 'delete', subjectType: 'opening_period', subjectId: periodId, details: { organisationId: actor.organisationId, agentId: seen.owner.id } });
  });
  return true;
}

export type OccurrenceEditOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: OccurrenceEditRefusal | 'UNKNOWN_PLACE' };

/**
 * Cancels, restores, moves or resets one occurrence, under a row lock (two agents editing two
 * dates of the same period at once both keep their change). Undefined when not allowed.
 */
export async function editOccurrence(
  db: Kysely<Database>,
  actor: ScheduleActor,
  input: { readonly periodId: number; readonly date: string; readonly edit: OccurrenceEdit },
): Promise<OccurrenceEditOutcome | undefined> {
  const seen = await findSeenPeriod(db, actor, input.periodId);
  if (seen === undefined || !seen.owner.canManage) return undefined;
  const edit = input.edit;
  if (edit.kind === 'move' && edit.placeId !== null && !seen.places.some((place) => place.id === edit.placeId)) return { ok: false, reason: 'UNKNOWN_PLACE' };
  return db.transaction().execute(async (trx) => {
    if (!(await lockPeriod(trx, actor.organisationId, input.periodId))) return { ok: false, reason: 'NOT_AN_OCCURRENCE' } as const;
    const period = await findPeriod(trx, actor.organisationId, input.periodId);
    if (period === undefined) return { ok: false, reason: 'NOT_AN_OCCURRENCE' } as const;
    const result = applyOccurrenceEdit(period, input.date, edit);
    if (!result.ok) return result;
    await saveOccurrenceState(trx, period.id, result, actor.now);
    await audit(trx, actor, {
      action: 'update',
      subjectType: 'opening_period',
      subjectId: period.id,
      details: { organisationId: actor.organisationId, occurrence: input.date, edit: edit.kind, placeId: edit.kind === 'move' ? edit.placeId : null },
    });
    return { ok: true } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// Absences
// ---------------------------------------------------------------------------------------------

export interface AbsenceView {
  readonly absence: AbsenceRow;
  readonly description: string;
}

export interface AbsenceListPage {
  readonly owner: AgentChoice;
  readonly agents: readonly AgentChoice[];
  readonly absences: readonly AbsenceView[];
}

/** The absences of an agent (default: the principal); undefined when the agent is not seen. */
export async function listAbsencesOfAgent(db: Kysely<Database>, actor: ScheduleActor, agentId: number | undefined): Promise<AbsenceListPage | undefined> {
  const agents = await loadAgentChoices(db, actor);
  const owner = agents.find((agent) => agent.id === (agentId ?? actor.principal.agentId));
  if (owner === undefined) return undefined;
  const absences = await findAbsencesOfAgent(db, actor.organisationId, owner.id);
  return { owner, agents, absences: absences.map((absence) => ({ absence, description: describeAbsence(absence) })) };
}

export interface SeenAbsence {
  readonly absence: AbsenceRow;
  readonly owner: AgentChoice;
}

/** One absence the principal sees. */
export async function findSeenAbsence(db: Kysely<Database>, actor: ScheduleActor, absenceId: number): Promise<SeenAbsence | undefined> {
  const absence = await findAbsence(db, actor.organisationId, absenceId);
  if (absence === undefined) return undefined;
  const owner = (await loadAgentChoices(db, actor)).find((agent) => agent.id === absence.agentId);
  return owner === undefined ? undefined : { absence, owner };
}

export type SaveAbsenceResult =
  | { readonly ok: true; readonly absenceIds: readonly number[] }
  | { readonly ok: false; readonly kind: 'invalid'; readonly errors: FormErrors }
  | { readonly ok: false; readonly kind: 'warnings'; readonly appointments: readonly AgentAppointment[] };

/**
 * Creates one absence per ticked agent (one transaction), or edits one absence (its agent is
 * fixed). Appointments the absence covers are a warning the agent confirms, never a block.
 */
export async function saveAbsence(
  db: Kysely<Database>,
  actor: ScheduleActor,
  input: { readonly absenceId?: number; readonly fields: AbsenceFormFields; readonly confirmWarnings: boolean },
): Promise<SaveAbsenceResult | undefined> {
  const managed = (await loadAgentChoices(db, actor)).filter((agent) => agent.canManage);
  let existing: AbsenceRow | undefined;
  let fields = input.fields;
  if (input.absenceId !== undefined) {
    existing = await findAbsence(db, actor.organisationId, input.absenceId);
    const existingAgentId = existing?.agentId;
    if (existing === undefined || !managed.some((agent) => agent.id === existingAgentId)) return undefined;
    fields = { ...fields, agents: [String(existing.agentId)] };
  }
  const checked = checkAbsenceForm(fields, { agentIds: new Set(managed.map((agent) => agent.id)), timeZone: existing?.timeZone ?? organisationTimeZone(actor) });
  if (!checked.ok) return { ok: false, kind: 'invalid', errors: checked.errors };
  const values = checked.value;
  if (!input.confirmWarnings) {
    const from = Math.max(actor.today, parseIsoDate(values.firstDay) ?? actor.today);
    const intervals = absenceIntervals({ ...values, excludedDates: existing?.excludedDates ?? [] }, from, addDays(from, OVERLAP_HORIZON_DAYS));
    const first = intervals[0];
    const last = intervals[intervals.length - 1];
    if (first !== undefined && last !== undefined) {
      const candidates = await findAgentAppointments(db, actor.organisationId, values.agentIds, first[0], last[1]);
      const covered = appointmentsCovered(intervals, candidates);
      if (covered.length > 0) return { ok: false, kind: 'warnings', appointments: covered };
    }
  }
  const absenceIds = await db.transaction().execute(async (trx) => {
    const ids = existing === undefined ? await insertAbsences(trx, actor.organisationId, values.agentIds, values) : [existing.id];
    if (existing !== undefined) await updateAbsence(trx, actor.organisationId, existing.id, values);
    for (const [index, id] of ids.entries()) {
      await audit(trx, actor, {
        action: existing === undefined ? 'create' : 'update',
        subjectType: 'absence',
        subjectId: id,
        details: { organisationId: actor.organisationId, agentId: values.agentIds[index] ?? null, groupSize: ids.length, warningsConfirmed: input.confirmWarnings },
      });
    }
    return ids;
  });
  return { ok: true, absenceIds };
}

/** Deletes an absence; false when not the principal's to manage. */
export async function removeAbsence(db: Kysely<Database>, actor: ScheduleActor, absenceId: number): Promise<boolean> {
  const seen = await findSeenAbsence(db, actor, absenceId);
  if (seen === undefined || !seen.owner.canManage) return false;
  await db.transaction().execute(async (trx) => {
    await deleteAbsence(trx, actor.organisationId, absenceId);
    await audit(trx, actor, { action: 'delete', subjectType: 'absence', subjectId: absenceId, details: { organisationId: actor.organisationId, agentId: seen.owner.id } });
  });
  return true;
}
