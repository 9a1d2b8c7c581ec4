// The pure slot engine: opening occurrences − busy time → bookable slots.
// No IO, no wall clock (`now` is an input), integer epoch minutes throughout.
// Rules and decisions are listed in src/modules/availability/README.md ("Engine").

import type { DayNumber, EpochMinutes } from '../../../shared/time/index.js';
import type {
  AppointmentType,
  CollectiveSlot,
  CollectiveSlotSearchInput,
  JointSlotSearchInput,
  LocationType,
  PartnerSlotSearchInput,
  Slot,
  SlotFilters,
  SlotSearchInput,
} from './availability.types.js';
import { BusyIndex, firstEndingAfter, isBusyDuring, type AgentBusy } from './busy-index.js';
import {
  HolidayClosures,
  coveringDays,
  nextOpeningDay,
  occurrenceOn,
  occurrenceStartOn,
  prepareOpeningPeriod,
  type Occurrence,
  type PreparedPeriod,
} from './occurrences.js';

/** How slots are grouped for the public side: per place for office visits, else per organisation. */
export type AvailabilityGroup = 'place' | 'organisation';

/** Grouping used by next availability and public de-duplication for a location type. */
export function availabilityGroupOf(locationType: LocationType): AvailabilityGroup {
  switch (locationType) {
    case 'public_office':
      return 'place';
    case 'phone':
    case 'home':
    case 'visio':
      return 'organisation';
    default: {
      const unknown: never = locationType;
      throw new Error(`Unknown location type: ${String(unknown)}`);
    }
  }
}

/** Key of a slot's group: its place id (office visits) or its organisation id (other types). */
export function slotGroupKey(slot: Slot, locationType: LocationType): number {
  return availabilityGroupOf(locationType) === 'place' ? (slot.placeId ?? -slot.organisationId) : slot.organisationId;
}

/** Bounds of a search, resolved once. */
interface SearchContext {
  readonly type: AppointmentType;
  readonly durationMinutes: number;
  readonly stepMinutes: number;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  /** Earliest allowed slot start (inclusive). */
  readonly minStart: EpochMinutes;
  /** Latest allowed slot start (exclusive). */
  readonly maxStartExclusive: EpochMinutes;
  readonly fromDay: DayNumber;
  readonly toDay: DayNumber;
  readonly periods: readonly PreparedPeriod[];
  readonly closures: HolidayClosures;
  readonly busy: BusyIndex;
  readonly placeIds: ReadonlySet<number> | null;
  readonly requiresPlace: boolean;
}

function toSet(ids: readonly number[] | null | undefined): ReadonlySet<number> | null {
  return ids === null || ids === undefined ? null : new Set(ids);
}

function intersect(a: ReadonlySet<number> | null, b: ReadonlySet<number> | null): ReadonlySet<number> | null {
  if (a === null) return b;
  if (b === null) return a;
  return new Set([...a].filter((id) => b.has(id)));
}

/** Agents allowed by filters and, for follow-up-only types, by the user's referents; undefined = none. */
function allowedAgents(
  type: AppointmentType,
  audience: SlotSearchInput['audience'],
  filters: SlotFilters | undefined,
): ReadonlySet<number> | null | undefined {
  let allowed = toSet(filters?.agentIds);
  if (type.isFollowUpOnly) {
    const referents = toSet(filters?.referentAgentIds);
    // A citizen with no known referent cannot book a follow-up; an agent searching without a
    // user in mind may look at any agent (they choose the user later).
    if (referents === null && audience === 'public') return undefined;
    allowed = intersect(allowed, referents);
  }
  return allowed;
}

const preparedCache = new WeakMap<object, PreparedPeriod | null>();

function preparedPeriodOf(period: SlotSearchInput['openingPeriods'][number]): PreparedPeriod | null {
  let prepared = preparedCache.get(period);
  if (prepared === undefined) {
    prepared = prepareOpeningPeriod(period);
    preparedCache.set(period, prepared);
  }
  return prepared;
}

function createContext(input: SlotSearchInput): SearchContext | null {
  const { appointmentType: type, audience, nowEpochMinutes: now, filters } = input;
  // Collective types list existing collective appointments instead (listCollectiveSlots).
  if (type.isCollective || type.durationMinutes <= 0) return null;
  const isPublic = audience === 'public';
  const minStart = Math.max(input.window.startsAtEpochMinutes, isPublic ? now + type.minBookingNoticeMinutes : now);
  const maxStartExclusive = Math.min(
    input.window.endsAtEpochMinutes,
    isPublic ? now + type.maxBookingNoticeMinutes + 1 : Number.POSITIVE_INFINITY,
  );
  // An unbounded window would expand open-ended periods forever: the caller must bound it.
  if (minStart >= maxStartExclusive || !Number.isFinite(maxStartExclusive)) return null;

  const agentIds = allowedAgents(type, audience, filters);
  if (agentIds === undefined) return null;
  const organisationIds = toSet(filters?.organisationIds);
  const placeIds = toSet(filters?.placeIds);
  const requiresPlace = type.locationType === 'public_office';

  const periods: PreparedPeriod[] = [];
  for (const period of input.openingPeriods) {
    if (!period.appointmentTypeIds.includes(type.id)) continue;
    if (agentIds !== null && !agentIds.has(period.agentId)) continue;
    if (organisationIds !== null && !organisationIds.has(period.organisationId)) continue;
    const prepared = preparedPeriodOf(period);
    if (prepared === null) continue;
    if (!prepared.movesPlace && !isPlaceAllowed(period.placeId, placeIds, requiresPlace)) continue;
    periods.push(prepared);
  }

  const { fromDay, toDay } = coveringDays(minStart, maxStartExclusive + type.durationMinutes);
  const before = type.bufferBeforeMinutes;
  const after = type.bufferAfterMinutes;
  return {
    type,
    durationMinutes: type.durationMinutes,
    stepMinutes: type.slotStepMinutes !== null && type.slotStepMinutes > 0 ? type.slotStepMinutes : type.durationMinutes,
    bufferBeforeMinutes: before,
    bufferAfterMinutes: after,
    minStart,
    maxStartExclusive,
    fromDay,
    toDay,
    periods,
    closures: new HolidayClosures(input.organisations),
    // Absences are expanded one day wider than slots so buffers still see them.
    busy: new BusyIndex(input.busyIntervals, input.absences, fromDay - 1, toDay + 1),
    placeIds,
    requiresPlace,
  };
}

function isPlaceAllowed(placeId: number | null, placeIds: ReadonlySet<number> | null, requiresPlace: boolean): boolean {
  if (placeId === null) return !requiresPlace && placeIds === null;
  return placeIds === null || placeIds.has(placeId);
}

/**
 * Pushes into `out` the starts of free slots of one occurrence, aligned on occurrence start +
 * k·step, in [minStart, maxStartExclusive), whose [start − bufferBefore, end + bufferAfter)
 * overlaps no busy range; stops after `limit` starts. Skips over busy ranges instead of testing
 * every step, so a fully booked day costs one binary search and a few jumps.
 */
function collectOccurrenceStarts(
  context: SearchContext,
  occurrence: Occurrence,
  busy: AgentBusy,
  maxStartExclusive: EpochMinutes,
  limit: number,
  out: EpochMinutes[],
): void {
  const { durationMinutes: duration, stepMinutes: step, bufferBeforeMinutes: before, bufferAfterMinutes: after } = context;
  const origin = occurrence.startsAtEpochMinutes;
  const lastStart = Math.min(maxStartExclusive - 1, occurrence.endsAtEpochMinutes - duration);
  let start = origin;
  if (context.minStart > origin) start = origin + Math.ceil((context.minStart - origin) / step) * step;
  if (start > lastStart) return;
  const { starts, ends } = busy;
  const count = starts.length;
  let index = firstEndingAfter(busy, start - before);
  let found = 0;
  while (start <= lastStart) {
    while (index < count && (ends[index] ?? 0) <= start - before) index += 1;
    const busyStart = index < count ? (starts[index] ?? 0) : Number.POSITIVE_INFINITY;
    if (busyStart < start + duration + after) {
      // Jump to the first aligned start whose buffer clears this busy range.
      const clearFrom = (ends[index] ?? 0) + before;
      start = origin + Math.ceil((clearFrom - origin) / step) * step;
      continue;
    }
    out.push(start);
    found += 1;
    if (found >= limit) return;
    start += step;
  }
}

function makeSlot(
  prepared: PreparedPeriod,
  occurrence: Occurrence,
  startsAt: EpochMinutes,
  durationMinutes: number,
  agentIds: readonly number[],
): Slot {
  return {
    startsAtEpochMinutes: startsAt,
    endsAtEpochMinutes: startsAt + durationMinutes,
    agentIds,
    placeId: occurrence.placeId,
    organisationId: prepared.period.organisationId,
    openingPeriodId: prepared.period.id,
    timeZone: prepared.period.timeZone,
  };
}

/** Orders slots by start, then place, then first agent, then opening period (stable output). */
export function compareSlots(a: Slot, b: Slot): number {
  return (
    a.startsAtEpochMinutes - b.startsAtEpochMinutes ||
    (a.placeId ?? -1) - (b.placeId ?? -1) ||
    (a.agentIds[0] ?? 0) - (b.agentIds[0] ?? 0) ||
    a.openingPeriodId - b.openingPeriodId
  );
}

/** Iterates the allowed occurrences of a prepared period whose days intersect the context. */
function forEachOccurrence(
  context: SearchContext,
  prepared: PreparedPeriod,
  visit: (occurrence: Occurrence) => void,
): void {
  for (
    let day = nextOpeningDay(prepared, context.fromDay, context.closures);
    day !== null && day <= context.toDay;
    day = nextOpeningDay(prepared, day + 1, context.closures)
  ) {
    const occurrence = occurrenceOn(prepared, day);
    if (occurrence.endsAtEpochMinutes <= context.minStart) continue;
    if (occurrence.startsAtEpochMinutes >= context.maxStartExclusive) return;
    if (!isPlaceAllowed(occurrence.placeId, context.placeIds, context.requiresPlace)) continue;
    visit(occurrence);
  }
}

/** Every bookable slot of an individual appointment type in the window, sorted (one per agent and place). */
export function computeSlots(input: SlotSearchInput): Slot[] {
  const context = createContext(input);
  if (context === null) return [];
  const slots: Slot[] = [];
  const starts: EpochMinutes[] = [];
  for (const prepared of context.periods) {
    const busy = context.busy.forAgent(prepared.period.agentId);
    const agentIds = [prepared.period.agentId];
    forEachOccurrence(context, prepared, (occurrence) => {
      starts.length = 0;
      collectOccurrenceStarts(context, occurrence, busy, context.maxStartExclusive, Number.POSITIVE_INFINITY, starts);
      for (const start of starts) slots.push(makeSlot(prepared, occurrence, start, context.durationMinutes, agentIds));
    });
  }
  return slots.sort(compareSlots);
}

/** Keeps one slot per start time and group (place, or organisation for remote types), the first in order. */
export function dedupePublicSlots(slots: readonly Slot[], locationType: LocationType): Slot[] {
  const seen = new Set<string>();
  const kept: Slot[] = [];
  for (const slot of slots) {
    const key = `${slotGroupKey(slot, locationType)}|${slot.startsAtEpochMinutes}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(slot);
  }
  return kept;
}

// --- next availability -------------------------------------------------------------------------

interface Cursor {
  readonly prepared: PreparedPeriod;
  day: DayNumber;
  startsAt: EpochMinutes;
}

function cursorBefore(a: Cursor, b: Cursor): boolean {
  return a.startsAt < b.startsAt || (a.startsAt === b.startsAt && a.prepared.period.id < b.prepared.period.id);
}

/** Minimal binary min-heap of cursors ordered by occurrence start. */
class CursorHeap {
  private readonly items: Cursor[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Cursor | undefined {
    return this.items[0];
  }

  push(cursor: Cursor): void {
    const items = this.items;
    items.push(cursor);
    let index = items.length - 1;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex];
      if (parent === undefined || !cursorBefore(cursor, parent)) break;
      items[index] = parent;
      index = parentIndex;
    }
    items[index] = cursor;
  }

  pop(): void {
    const items = this.items;
    const last = items.pop();
    if (last === undefined || items.length === 0) return;
    items[0] = last;
    this.siftDown();
  }

  /** Restores order after the top cursor moved later. */
  siftDown(): void {
    const items = this.items;
    const top = items[0];
    if (top === undefined) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const leftItem = items[left];
      const rightItem = items[right];
      let child = left;
      let childItem = leftItem;
      if (rightItem !== undefined && leftItem !== undefined && cursorBefore(rightItem, leftItem)) {
        child = right;
        childItem = rightItem;
      }
      if (childItem === undefined || !cursorBefore(childItem, top)) break;
      items[index] = childItem;
      index = child;
    }
    items[index] = top;
  }
}

/**
 * Earliest bookable slot of each group (place for office visits, organisation otherwise) in the
 * window. Walks occurrences of all periods in start order through a heap and stops a group once
 * no later occurrence can beat its best slot: it never computes a week to keep one slot.
 */
export function findNextAvailability(input: SlotSearchInput): ReadonlyMap<number, Slot> {
  const best = new Map<number, Slot>();
  const context = createContext(input);
  if (context === null) return best;
  const byPlace = availabilityGroupOf(context.type.locationType) === 'place';
  const heap = new CursorHeap();
  for (const prepared of context.periods) {
    const day = nextOpeningDay(prepared, context.fromDay, context.closures);
    if (day === null || day > context.toDay) continue;
    heap.push({ prepared, day, startsAt: occurrenceStartOn(prepared, day) });
  }
  const starts: EpochMinutes[] = [];
  for (let cursor = heap.peek(); cursor !== undefined; cursor = heap.peek()) {
    if (cursor.startsAt >= context.maxStartExclusive) break; // every remaining occurrence starts later
    const { prepared } = cursor;
    const occurrence = occurrenceOn(prepared, cursor.day);
    const groupKey = byPlace ? (occurrence.placeId ?? -prepared.period.organisationId) : prepared.period.organisationId;
    const bestSlot = best.get(groupKey);
    if (
      bestSlot !== undefined &&
      bestSlot.startsAtEpochMinutes <= occurrence.startsAtEpochMinutes &&
      (!byPlace || !prepared.movesPlace)
    ) {
      // Later occurrences of this period start later still and stay in the same group.
      heap.pop();
      continue;
    }
    const canImprove = bestSlot === undefined || bestSlot.startsAtEpochMinutes > occurrence.startsAtEpochMinutes;
    if (
      canImprove &&
      occurrence.endsAtEpochMinutes > context.minStart &&
      isPlaceAllowed(occurrence.placeId, context.placeIds, context.requiresPlace)
    ) {
      starts.length = 0;
      const limit = bestSlot === undefined ? context.maxStartExclusive : bestSlot.startsAtEpochMinutes;
      collectOccurrenceStarts(context, occurrence, context.busy.forAgent(prepared.period.agentId), limit, 1, starts);
      const start = starts[0];
      if (start !== undefined) {
        best.set(groupKey, makeSlot(prepared, occurrence, start, context.durationMinutes, [prepared.period.agentId]));
      }
    }
    const nextDay = nextOpeningDay(prepared, cursor.day + 1, context.closures);
    if (nextDay === null || nextDay > context.toDay) {
      heap.pop();
    } else {
      cursor.day = nextDay;
      cursor.startsAt = occurrenceStartOn(prepared, nextDay);
      heap.siftDown();
    }
  }
  return best;
}

// --- joint appointments -----------------------------------------------------------------------

/**
 * Slots where every agent of `jointAgentIds` is free and has an opening occurrence of this type
 * covering the slot (at the same place for office visits). Slots align on the first agent's
 * occurrences; buffers apply to every agent's busy time.
 */
export function computeJointSlots(input: JointSlotSearchInput): Slot[] {
  const [leadAgentId, ...otherAgentIds] = input.jointAgentIds;
  if (leadAgentId === undefined || otherAgentIds.length === 0) return [];
  const context = createContext(input);
  if (context === null) return [];
  const jointAgentIds = [leadAgentId, ...otherAgentIds];
  const occurrencesByAgent = new Map<number, Occurrence[]>();
  for (const agentId of otherAgentIds) occurrencesByAgent.set(agentId, []);
  for (const prepared of context.periods) {
    const list = occurrencesByAgent.get(prepared.period.agentId);
    if (list !== undefined) forEachOccurrence(context, prepared, (occurrence) => list.push(occurrence));
  }
  for (const agentId of otherAgentIds) {
    if ((occurrencesByAgent.get(agentId) ?? []).length === 0) return [];
  }
  const before = context.bufferBeforeMinutes;
  const after = context.bufferAfterMinutes;
  const isOpenAndFree = (agentId: number, startsAt: EpochMinutes, endsAt: EpochMinutes, placeId: number | null): boolean => {
    const covered = (occurrencesByAgent.get(agentId) ?? []).some(
      (occurrence) =>
        occurrence.startsAtEpochMinutes <= startsAt &&
        occurrence.endsAtEpochMinutes >= endsAt &&
        (!context.requiresPlace || occurrence.placeId === placeId),
    );
    return covered && !isBusyDuring(context.busy.forAgent(agentId), startsAt - before, endsAt + after);
  };
  const slots: Slot[] = [];
  const starts: EpochMinutes[] = [];
  for (const prepared of context.periods) {
    if (prepared.period.agentId !== leadAgentId) continue;
    const busy = context.busy.forAgent(leadAgentId);
    forEachOccurrence(context, prepared, (occurrence) => {
      starts.length = 0;
      collectOccurrenceStarts(context, occurrence, busy, context.maxStartExclusive, Number.POSITIVE_INFINITY, starts);
      for (const start of starts) {
        const end = start + context.durationMinutes;
        if (otherAgentIds.every((agentId) => isOpenAndFree(agentId, start, end, occurrence.placeId))) {
          slots.push(makeSlot(prepared, occurrence, start, context.durationMinutes, jointAgentIds));
        }
      }
    });
  }
  return dedupeSameStartAndPlace(slots.sort(compareSlots));
}

/** Two periods of the lead agent may overlap: keep one joint slot per start and place. */
function dedupeSameStartAndPlace(slots: Slot[]): Slot[] {
  return slots.filter(
    (slot, index) =>
      index === 0 ||
      slots[index - 1]?.startsAtEpochMinutes !== slot.startsAtEpochMinutes ||
      slots[index - 1]?.placeId !== slot.placeId,
  );
}

/** Occurrences of prepared periods over the context's days with their organisation, holidays removed, places unfiltered. */
function occurrencesOf(context: SearchContext, periods: readonly PreparedPeriod[]): { occurrence: Occurrence; organisationId: number }[] {
  const occurrences: { occurrence: Occurrence; organisationId: number }[] = [];
  for (const prepared of periods) {
    for (
      let day = nextOpeningDay(prepared, context.fromDay, context.closures);
      day !== null && day <= context.toDay;
      day = nextOpeningDay(prepared, day + 1, context.closures)
    ) {
      occurrences.push({ occurrence: occurrenceOn(prepared, day), organisationId: prepared.period.organisationId });
    }
  }
  return occurrences;
}

/**
 * Agent-side joint slots with a partner who need not offer the type (ADR 0023): every free slot
 * of a lead agent (their own grid, buffers, busy time) is kept when one opening occurrence of the
 * partner, of any type, covers it — at the same place for office visits, in the same
 * organisation otherwise — and the partner is free over it, buffers included. One slot per
 * (start, place, lead agent); `agentIds` is [lead, partner].
 */
export function computePartnerSlots(input: PartnerSlotSearchInput): Slot[] {
  const context = createContext(input);
  if (context === null) return [];
  const partnerId = input.partnerAgentId;
  const partnerPeriods: PreparedPeriod[] = [];
  for (const period of input.partnerOpeningPeriods) {
    if (period.agentId !== partnerId) continue;
    const prepared = preparedPeriodOf(period);
    if (prepared !== null) partnerPeriods.push(prepared);
  }
  const partnerOccurrences = occurrencesOf(context, partnerPeriods);
  if (partnerOccurrences.length === 0) return [];
  const partnerBusy = context.busy.forAgent(partnerId);
  const before = context.bufferBeforeMinutes;
  const after = context.bufferAfterMinutes;
  const isPartnerThere = (startsAt: EpochMinutes, endsAt: EpochMinutes, placeId: number | null, organisationId: number): boolean =>
    partnerOccurrences.some(
      ({ occurrence, organisationId: partnerOrganisationId }) =>
        occurrence.startsAtEpochMinutes <= startsAt &&
        occurrence.endsAtEpochMinutes >= endsAt &&
        (context.requiresPlace ? occurrence.placeId === placeId : partnerOrganisationId === organisationId),
    ) && !isBusyDuring(partnerBusy, startsAt - before, endsAt + after);
  const slots: Slot[] = [];
  const starts: EpochMinutes[] = [];
  for (const prepared of context.periods) {
    const leadId = prepared.period.agentId;
    if (leadId === partnerId) continue;
    const busy = context.busy.forAgent(leadId);
    const agentIds = [leadId, partnerId];
    forEachOccurrence(context, prepared, (occurrence) => {
      starts.length = 0;
      collectOccurrenceStarts(context, occurrence, busy, context.maxStartExclusive, Number.POSITIVE_INFINITY, starts);
      for (const start of starts) {
        const end = start + context.durationMinutes;
        if (isPartnerThere(start, end, occurrence.placeId, prepared.period.organisationId)) {
          slots.push(makeSlot(prepared, occurrence, start, context.durationMinutes, agentIds));
        }
      }
    });
  }
  slots.sort(compareSlots);
  // Two overlapping periods of one lead agent give the same slot twice: keep one.
  return slots.filter((slot, index) => {
    const previous = slots[index - 1];
    return (
      previous === undefined ||
      previous.startsAtEpochMinutes !== slot.startsAtEpochMinutes ||
      previous.placeId !== slot.placeId ||
      previous.agentIds[0] !== slot.agentIds[0]
    );
  });
}

// --- collective appointments ------------------------------------------------------------------

/** Collective appointments of the type with seats left, in the window and booking notice, sorted. */
export function listCollectiveSlots(input: CollectiveSlotSearchInput): CollectiveSlot[] {
  const { appointmentType: type, audience, nowEpochMinutes: now, filters } = input;
  if (!type.isCollective) return [];
  const isPublic = audience === 'public';
  const minStart = Math.max(input.window.startsAtEpochMinutes, isPublic ? now + type.minBookingNoticeMinutes : now);
  const maxStartExclusive = Math.min(
    input.window.endsAtEpochMinutes,
    isPublic ? now + type.maxBookingNoticeMinutes + 1 : Number.POSITIVE_INFINITY,
  );
  const agentIds = allowedAgents(type, audience, filters);
  if (agentIds === undefined) return [];
  const placeIds = toSet(filters?.placeIds);
  const organisationIds = toSet(filters?.organisationIds);
  const slots: CollectiveSlot[] = [];
  for (const appointment of input.collectiveAppointments) {
    if (appointment.appointmentTypeId !== type.id) continue;
    if (appointment.startsAtEpochMinutes < minStart || appointment.startsAtEpochMinutes >= maxStartExclusive) continue;
    const seatsLeft =
      appointment.maxParticipants === null ? null : appointment.maxParticipants - appointment.participantCount;
    if (seatsLeft !== null && seatsLeft <= 0) continue;
    if (agentIds !== null && !appointment.agentIds.some((agentId) => agentIds.has(agentId))) continue;
    if (organisationIds !== null && !organisationIds.has(appointment.organisationId)) continue;
    if (placeIds !== null && (appointment.placeId === null || !placeIds.has(appointment.placeId))) continue;
    slots.push({
      appointmentId: appointment.id,
      startsAtEpochMinutes: appointment.startsAtEpochMinutes,
      endsAtEpochMinutes: appointment.endsAtEpochMinutes,
      agentIds: appointment.agentIds,
      placeId: appointment.placeId,
      organisationId: appointment.organisationId,
      seatsLeft,
      timeZone: appointment.timeZone,
    });
  }
  return slots.sort((a, b) => a.startsAtEpochMinutes - b.startsAtEpochMinutes || a.appointmentId - b.appointmentId);
}
