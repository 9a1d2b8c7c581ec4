// Pure rules of the agent slot search: the week shown, the form's checks (422 in French), the
// grouping of slots per place and local day, and the link that opens the creation wizard.
import { addDays, epochMinutesToIso, localDayOf, type DayNumber, type EpochMinutes } from '../../../shared/time/index.js';

/** Days in one page of results. */
export const WEEK_DAYS = 7;
/** How far ahead a search may start, in days. */
export const MAX_DAYS_AHEAD = 366;
/** How far "prochaine disponibilité" looks from the first day, in days (RDV-Service-Public: 6 months). */
export const NEXT_AVAILABILITY_HORIZON_DAYS = 183;

/** The form's checks beyond structure: a motif, a first day from today on, a partner who is not the only agent. */
export function checkSearchForm(input: {
  readonly motifId: number | undefined;
  readonly fromDay: DayNumber;
  readonly today: DayNumber;
  readonly leadAgentIds: readonly number[] | null;
  readonly partnerId: number | undefined;
}): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.motifId === undefined) errors.motif = 'Choisissez un motif.';
  if (input.fromDay < input.today) errors.du = 'Choisissez aujourd’hui ou un jour à venir : on ne cherche pas de créneau dans le passé.';
  else if (input.fromDay > addDays(input.today, MAX_DAYS_AHEAD)) errors.du = 'Choisissez un jour dans l’année qui vient.';
  if (input.partnerId !== undefined && input.leadAgentIds !== null && input.leadAgentIds.length > 0 && input.leadAgentIds.every((id) => id === input.partnerId)) {
    errors.binome = 'Choisissez un binôme différent de l’agent recherché.';
  }
  return errors;
}

/** The week page: first day, the previous page's first day (never before today) and the next one's. */
export function weekPage(fromDay: DayNumber, today: DayNumber): { fromDay: DayNumber; toDayExclusive: DayNumber; previousFromDay: DayNumber | null; nextFromDay: DayNumber | null } {
  const previous = fromDay <= today ? null : Math.max(today, addDays(fromDay, -WEEK_DAYS));
  const next = addDays(fromDay, WEEK_DAYS);
  return { fromDay, toDayExclusive: next, previousFromDay: previous, nextFromDay: next > addDays(today, MAX_DAYS_AHEAD) ? null : next };
}

/** The creation wizard prefilled with the motif, the agents (lead first), the start instant and the place. */
export function wizardHref(organisationId: number, motifId: number, slot: { readonly agentIds: readonly number[]; readonly startsAtEpochMinutes: EpochMinutes; readonly placeId: number | null }): string {
  const query = new URLSearchParams({ motif: String(motifId), agents: slot.agentIds.join(','), debut: `${epochMinutesToIso(slot.startsAtEpochMinutes).slice(0, 19)}Z` });
  if (slot.placeId !== null) query.set('lieu', String(slot.placeId));
  return `/agents/organisations/${String(organisationId)}/rdv/nouveau?${query.toString()}`;
}

/** A slot as the engine returns it, reduced to what the page needs. */
export interface FoundSlot {
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly agentIds: readonly number[];
  readonly placeId: number | null;
  readonly organisationId: number;
  readonly timeZone: string;
}

/** Slots of one group (a place, or the organisation for remote motifs) for each local day of the page. */
export interface SlotGroup {
  /** The place id, or null for phone, home and video motifs. */
  readonly placeId: number | null;
  readonly timeZone: string;
  readonly next: FoundSlot | null;
  readonly days: readonly { readonly day: DayNumber; readonly slots: readonly FoundSlot[] }[];
}

function groupKeyOf(slot: FoundSlot): string {
  return slot.placeId === null ? `o${String(slot.organisationId)}` : `p${String(slot.placeId)}`;
}

/**
 * Groups the week's slots per place (or organisation) and local day of the place, one slot per
 * (start, agents) — overlapping openings of one agent would repeat it —, with each group's next
 * availability. Groups are ordered by next availability, groups without any slot last.
 */
export function groupSlots(input: {
  readonly weekSlots: readonly FoundSlot[];
  readonly nextSlots: readonly FoundSlot[];
  readonly fromDay: DayNumber;
  readonly timeZone: string;
}): SlotGroup[] {
  const groups = new Map<string, { placeId: number | null; timeZone: string; next: FoundSlot | null; byDay: Map<DayNumber, FoundSlot[]>; seen: Set<string> }>();
  const groupOf = (slot: FoundSlot): NonNullable<ReturnType<typeof groups.get>> => {
    const key = groupKeyOf(slot);
    let group = groups.get(key);
    if (group === undefined) {
      group = { placeId: slot.placeId, timeZone: slot.timeZone, next: null, byDay: new Map(), seen: new Set() };
      groups.set(key, group);
    }
    return group;
  };
  for (const slot of input.nextSlots) {
    const group = groupOf(slot);
    if (group.next === null || slot.startsAtEpochMinutes < group.next.startsAtEpochMinutes) group.next = slot;
  }
  const sorted = [...input.weekSlots].sort((a, b) => a.startsAtEpochMinutes - b.startsAtEpochMinutes || (a.agentIds[0] ?? 0) - (b.agentIds[0] ?? 0));
  for (const slot of sorted) {
    const group = groupOf(slot);
    const identity = `${String(slot.startsAtEpochMinutes)}|${slot.agentIds.join(',')}`;
    if (group.seen.has(identity)) continue;
    group.seen.add(identity);
    if (group.next === null || slot.startsAtEpochMinutes < group.next.startsAtEpochMinutes) group.next = slot;
    const day = localDayOf(slot.timeZone, slot.startsAtEpochMinutes);
    const list = group.byDay.get(day) ?? [];
    list.push(slot);
    group.byDay.set(day, list);
  }
  return [...groups.values()]
    .map((group) => ({
      placeId: group.placeId,
      timeZone: group.timeZone,
      next: group.next,
      days: Array.from({ length: WEEK_DAYS }, (_, index) => {
        const day = addDays(input.fromDay, index);
        return { day, slots: group.byDay.get(day) ?? [] };
      }),
    }))
    .sort((a, b) => (a.next?.startsAtEpochMinutes ?? Number.POSITIVE_INFINITY) - (b.next?.startsAtEpochMinutes ?? Number.POSITIVE_INFINITY) || (a.placeId ?? 0) - (b.placeId ?? 0));
}
