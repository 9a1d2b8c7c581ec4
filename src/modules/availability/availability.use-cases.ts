// Use cases of slot search, used by the booking pages, the agent search and the REST API.
// Each loads exactly the data of the search (availability.repository.ts), then calls the pure engine.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { dateToEpochMinutes, dateToEpochMinutesCeil, type EpochMinutes } from '../../shared/time/index.js';
import {
  findAbsences,
  findAppointmentTypes,
  findBusyIntervals,
  findCollectiveAppointments,
  findOpeningPeriods,
  findOrganisationCalendars,
  findPresenceOpeningPeriods,
  findSameMotifTypeIds,
  findTeamAgentIds,
  daysAround,
  type AppointmentTypeRow,
} from './availability.repository.js';
import {
  computeJointSlots,
  computePartnerSlots,
  computeSlots,
  dedupePublicSlots,
  findNextAvailability,
  listCollectiveSlots,
  type Audience,
  type CollectiveSlot,
  type OpeningPeriod,
  type Slot,
  type SlotFilters,
  type SlotSearchInput,
} from './domain/index.js';

/** Thrown when an appointment type does not exist or is archived. */
export class UnknownAppointmentTypeError extends Error {
  override name = 'UnknownAppointmentTypeError';
}

export interface SearchFilters {
  /** Agents allowed (sector-attributed agents, or agents picked on the agent side). */
  readonly agentIds?: readonly number[] | null;
  /** Agent-side filter by teams; resolved to agents and intersected with agentIds. */
  readonly teamIds?: readonly number[] | null;
  readonly placeIds?: readonly number[] | null;
  readonly organisationIds?: readonly number[] | null;
  /** The usager's referent agents (follow-up types). */
  readonly referentAgentIds?: readonly number[] | null;
}

export interface SlotSearchRequest {
  readonly appointmentTypeId: number;
  readonly audience: Audience;
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
  readonly filters?: SearchFilters;
  /**
   * Public rules, but every free agent's slot instead of one per start and place: the booking
   * command chooses among the free agents (least booked first) rather than the lowest id.
   */
  readonly everyAgent?: boolean;
}

async function requireType(db: Kysely<Database>, appointmentTypeId: number): Promise<AppointmentTypeRow> {
  const [type] = await findAppointmentTypes(db, [appointmentTypeId]);
  if (type === undefined) throw new UnknownAppointmentTypeError(`Motif ${String(appointmentTypeId)} introuvable`);
  return type;
}

async function resolveFilters(db: Kysely<Database>, filters: SearchFilters | undefined): Promise<SlotFilters> {
  if (filters === undefined) return {};
  let agentIds = filters.agentIds ?? null;
  if (filters.teamIds !== null && filters.teamIds !== undefined) {
    const teamAgentIds = await findTeamAgentIds(db, filters.teamIds);
    agentIds = agentIds === null ? teamAgentIds : agentIds.filter((id) => teamAgentIds.includes(id));
  }
  return {
    agentIds,
    placeIds: filters.placeIds ?? null,
    organisationIds: filters.organisationIds ?? null,
    referentAgentIds: filters.referentAgentIds ?? null,
  };
}

type BusyTime = Pick<SlotSearchInput, 'busyIntervals' | 'absences' | 'organisations'>;

/** Opening periods of the types active over [from, to), after the filters. */
async function findCandidatePeriods(
  db: Kysely<Database>,
  types: readonly AppointmentTypeRow[],
  window: { from: EpochMinutes; to: EpochMinutes },
  filters: SlotFilters,
): Promise<OpeningPeriod[]> {
  const { fromDay, toDay } = daysAround(window.from, window.to);
  return findOpeningPeriods(db, {
    appointmentTypeIds: types.map((type) => type.id),
    fromDay,
    toDay,
    placeIds: filters.placeIds ?? null,
    agentIds: intersectIds(filters.agentIds ?? null, filters.referentAgentIds ?? null, types.some((t) => t.isFollowUpOnly)),
    organisationIds: filters.organisationIds ?? null,
  });
}

/** Busy time of the periods' agents over [from, to) (in every organisation), and their organisations' holidays. */
async function loadBusyTime(
  db: Kysely<Database>,
  types: readonly AppointmentTypeRow[],
  periods: readonly OpeningPeriod[],
  window: { from: EpochMinutes; to: EpochMinutes },
): Promise<BusyTime> {
  const { fromDay, toDay } = daysAround(window.from, window.to);
  const agentIds = [...new Set(periods.map((period) => period.agentId))];
  const organisationIds = [...new Set(periods.map((period) => period.organisationId))];
  const longest = Math.max(...types.map((type) => type.durationMinutes + type.bufferBeforeMinutes + type.bufferAfterMinutes));
  const [busyIntervals, absences, organisations] = await Promise.all([
    findBusyIntervals(db, agentIds, window.from - longest, window.to + longest),
    findAbsences(db, agentIds, fromDay, toDay),
    findOrganisationCalendars(db, organisationIds),
  ]);
  return { busyIntervals, absences, organisations };
}

/** Loads the engine's input for individual slots of the types over [from, to). */
async function loadSearchInput(
  db: Kysely<Database>,
  types: readonly AppointmentTypeRow[],
  window: { from: EpochMinutes; to: EpochMinutes },
  filters: SlotFilters,
): Promise<{ periods: OpeningPeriod[]; rest: BusyTime }> {
  const periods = await findCandidatePeriods(db, types, window, filters);
  return { periods, rest: await loadBusyTime(db, types, periods, window) };
}

/** Agents allowed by both the explicit filter and, for follow-up types, the referents. */
function intersectIds(
  agentIds: readonly number[] | null,
  referentAgentIds: readonly number[] | null,
  followUpOnly: boolean,
): readonly number[] | null {
  if (!followUpOnly || referentAgentIds === null) return agentIds;
  return agentIds === null ? referentAgentIds : agentIds.filter((id) => referentAgentIds.includes(id));
}

/** Public side: booking notice applies and the window is capped by the horizon. */
function toWindow(request: { from: Date; to: Date }): { from: EpochMinutes; to: EpochMinutes } {
  return { from: dateToEpochMinutesCeil(request.from), to: dateToEpochMinutes(request.to) };
}

/**
 * Bookable slots of one appointment type in [from, to): one per start time and place for the
 * public side (unless `everyAgent`), every agent's slot for the agent side. Collective types list their sessions
 * through `searchCollectiveSlots` instead.
 */
export async function searchSlots(db: Kysely<Database>, request: SlotSearchRequest): Promise<Slot[]> {
  const type = await requireType(db, request.appointmentTypeId);
  if (type.isCollective) return [];
  const filters = await resolveFilters(db, request.filters);
  const window = toWindow(request);
  const { periods, rest } = await loadSearchInput(db, [type], window, filters);
  const slots = computeSlots({
    audience: request.audience,
    nowEpochMinutes: dateToEpochMinutes(request.now),
    appointmentType: type,
    openingPeriods: periods,
    window: { startsAtEpochMinutes: window.from, endsAtEpochMinutes: window.to },
    filters,
    ...rest,
  });
  return request.audience === 'public' && request.everyAgent !== true ? dedupePublicSlots(slots, type.locationType) : slots;
}

export interface NextAvailabilityRequest {
  /**
   * Any appointment type of the motif. Unless `appointmentTypeIds` says which, every type of the
   * territory with the same name and location type is searched (public side: those bookable by everyone).
   */
  readonly appointmentTypeId: number;
  readonly appointmentTypeIds?: readonly number[];
  readonly audience: Audience;
  readonly now: Date;
  /** End of the search; defaults to the motif's maximum booking notice. */
  readonly until?: Date;
  readonly filters?: SearchFilters;
}

/**
 * Windows searched one after the other for next availability (days from now): most places have a
 * slot within the first, so busy time of later weeks is loaded only for the places still without one.
 */
const NEXT_AVAILABILITY_WINDOWS_DAYS = [7, 28];

/**
 * Earliest slot of a motif per place (office visits) or per organisation (phone, home, visio),
 * over every organisation of the territory offering it. The opening periods of the whole horizon
 * are loaded once; busy time is loaded window by window (one week, four weeks, then the rest) for
 * the agents of the places still without a slot, and the engine stops each place at its first
 * free slot. It stops as soon as every place has one.
 */
export async function findNextAvailabilities(db: Kysely<Database>, request: NextAvailabilityRequest): Promise<Map<number, Slot>> {
  const reference = await requireType(db, request.appointmentTypeId);
  const typeIds = request.appointmentTypeIds ?? (await findSameMotifTypeIds(db, reference, request.audience === 'public'));
  const types = (await findAppointmentTypes(db, typeIds)).filter((type) => !type.isCollective);
  const filters = await resolveFilters(db, request.filters);
  const now = dateToEpochMinutes(request.now);
  const best = new Map<number, Slot>();
  if (types.length === 0) return best;
  const end = request.until === undefined ? now + Math.max(...types.map((type) => type.maxBookingNoticeMinutes)) : dateToEpochMinutes(request.until);
  const periods = await findCandidatePeriods(db, types, { from: now, to: end }, filters);
  const typeById = new Map(types.map((type) => [type.id, type]));
  const isUnsettled = (period: OpeningPeriod): boolean =>
    period.appointmentTypeIds.some((typeId) => {
      const type = typeById.get(typeId);
      return type !== undefined && !groupsOf(period, type).every((key) => best.has(key));
    });
  let from = now;
  for (const days of [...NEXT_AVAILABILITY_WINDOWS_DAYS, Number.POSITIVE_INFINITY]) {
    const remaining = periods.filter(isUnsettled);
    if (from >= end || remaining.length === 0) break;
    const to = Math.min(end, now + days * 1440);
    const rest = await loadBusyTime(db, types, remaining, { from, to });
    for (const type of types) {
      // Periods whose every group already has a slot cannot improve it (this window is later).
      const typePeriods = remaining.filter((period) => period.appointmentTypeIds.includes(type.id) && !groupsOf(period, type).every((key) => best.has(key)));
      if (typePeriods.length === 0) continue;
      const found = findNextAvailability({
        audience: request.audience,
        nowEpochMinutes: now,
        appointmentType: type,
        openingPeriods: typePeriods,
        window: { startsAtEpochMinutes: from, endsAtEpochMinutes: to },
        filters,
        ...rest,
      });
      for (const [key, slot] of found) {
        const current = best.get(key);
        if (current === undefined || slot.startsAtEpochMinutes < current.startsAtEpochMinutes) best.set(key, slot);
      }
    }
    from = to;
  }
  return best;
}

/** Group keys a period can produce slots for (its place and places of its overrides, or its organisation). */
function groupsOf(period: OpeningPeriod, type: AppointmentTypeRow): number[] {
  if (type.locationType !== 'public_office') return [period.organisationId];
  const places = [period.placeId, ...period.overrides.map((override) => override.placeId)].filter((id) => id !== null);
  return places.length === 0 ? [-period.organisationId] : places;
}

export interface JointSlotRequest {
  readonly appointmentTypeId: number;
  /** Two or more agents who must all be free. */
  readonly agentIds: readonly number[];
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
  readonly placeIds?: readonly number[] | null;
}

/** Agent side: slots where every chosen agent is open and free (joint appointment, "binôme"). */
export async function searchJointSlots(db: Kysely<Database>, request: JointSlotRequest): Promise<Slot[]> {
  const type = await requireType(db, request.appointmentTypeId);
  if (type.isCollective || request.agentIds.length < 2) return [];
  const filters: SlotFilters = { agentIds: request.agentIds, placeIds: request.placeIds ?? null };
  const window = toWindow(request);
  const { periods, rest } = await loadSearchInput(db, [type], window, filters);
  return computeJointSlots({
    audience: 'agent',
    nowEpochMinutes: dateToEpochMinutes(request.now),
    appointmentType: type,
    openingPeriods: periods,
    window: { startsAtEpochMinutes: window.from, endsAtEpochMinutes: window.to },
    filters,
    jointAgentIds: request.agentIds,
    ...rest,
  });
}

export interface PartnerSlotRequest {
  readonly appointmentTypeId: number;
  /** Agents who may lead the appointment (they offer the type); the partner is left out of them. */
  readonly leadAgentIds: readonly number[];
  /** The second agent who must be present too ("binôme"), whatever motifs they offer. */
  readonly partnerAgentId: number;
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
  readonly placeIds?: readonly number[] | null;
  readonly organisationIds?: readonly number[] | null;
}

/**
 * Agent side, joint appointment with a partner from any service (ADR 0023): slots of the lead
 * agents' openings of the type where the partner has an opening of any type at the same place
 * (same organisation for remote types) and both are free. No booking notice, never the past.
 * Five queries: the leads' periods, the partner's periods, then busy time, absences, holidays.
 */
export async function searchPartnerSlots(db: Kysely<Database>, request: PartnerSlotRequest): Promise<Slot[]> {
  const type = await requireType(db, request.appointmentTypeId);
  const leadAgentIds = request.leadAgentIds.filter((id) => id !== request.partnerAgentId);
  if (type.isCollective || leadAgentIds.length === 0) return [];
  const filters: SlotFilters = { agentIds: leadAgentIds, placeIds: request.placeIds ?? null, organisationIds: request.organisationIds ?? null };
  const window = toWindow(request);
  const { fromDay, toDay } = daysAround(window.from, window.to);
  const [leadPeriods, partnerPeriods] = await Promise.all([
    findCandidatePeriods(db, [type], window, filters),
    findPresenceOpeningPeriods(db, [request.partnerAgentId], fromDay, toDay),
  ]);
  if (leadPeriods.length === 0 || partnerPeriods.length === 0) return [];
  const rest = await loadBusyTime(db, [type], [...leadPeriods, ...partnerPeriods], window);
  return computePartnerSlots({
    audience: 'agent',
    nowEpochMinutes: dateToEpochMinutes(request.now),
    appointmentType: type,
    openingPeriods: leadPeriods,
    partnerAgentId: request.partnerAgentId,
    partnerOpeningPeriods: partnerPeriods,
    window: { startsAtEpochMinutes: window.from, endsAtEpochMinutes: window.to },
    filters,
    ...rest,
  });
}

/** Collective sessions of a type with seats left in [from, to). */
export async function searchCollectiveSlots(db: Kysely<Database>, request: SlotSearchRequest): Promise<CollectiveSlot[]> {
  return searchCollectiveSlotsOfTypes(db, { ...request, appointmentTypeIds: [request.appointmentTypeId] });
}

/**
 * Bookable collective sessions of several appointment types (one motif offered by several
 * organisations) in [from, to), sorted by start: three queries whatever the number of types.
 */
export async function searchCollectiveSlotsOfTypes(
  db: Kysely<Database>,
  request: Omit<SlotSearchRequest, 'appointmentTypeId'> & { readonly appointmentTypeIds: readonly number[] },
): Promise<CollectiveSlot[]> {
  const types = (await findAppointmentTypes(db, request.appointmentTypeIds)).filter((type) => type.isCollective);
  if (types.length === 0) return [];
  const window = toWindow(request);
  const filters = await resolveFilters(db, request.filters);
  const collectiveAppointments = await findCollectiveAppointments(
    db,
    types.map((type) => type.id),
    window.from,
    window.to,
  );
  return types
    .flatMap((type) =>
      listCollectiveSlots({
        audience: request.audience,
        nowEpochMinutes: dateToEpochMinutes(request.now),
        appointmentType: type,
        collectiveAppointments: collectiveAppointments.filter((appointment) => appointment.appointmentTypeId === type.id),
        window: { startsAtEpochMinutes: window.from, endsAtEpochMinutes: window.to },
        filters,
      }),
    )
    .sort((a, b) => a.startsAtEpochMinutes - b.startsAtEpochMinutes || a.appointmentId - b.appointmentId);
}
