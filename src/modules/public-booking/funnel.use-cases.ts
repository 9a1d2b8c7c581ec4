// Read side of the public funnel: from an address to a week of slots. Each step narrows the
// choice; nothing here writes.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { dateToEpochMinutes, epochMinutesToDate, localDayOf, localToEpochMinutes, weekdayOf, type DayNumber } from '../../shared/time/index.js';
import { findNextAvailabilities, searchCollectiveSlots, searchCollectiveSlotsOfTypes, searchSlots, type CollectiveSlot, type Slot } from '../availability/index.js';
import { findSectorisedTargets } from '../sectorisation/index.js';
import { distanceKm } from './domain/distance.js';
import type { InvitationScope } from '../invitations/index.js';
import { dedupeMotifs, listServices, type MotifChoice } from './domain/motif-catalogue.js';
import {
  findDepartementOfOrganisation,
  findOfferedMotifs,
  findOrganisationForLink,
  findOrganisations,
  findPlaces,
  findTerritoryByDepartement,
  type BookableScope,
  type OfferedMotifRow,
  type OrganisationRow,
  type PlaceRow,
} from './funnel.repository.js';

/** The usager's address as the funnel keeps it in the session (never in URLs). */
export interface SearchLocation {
  readonly label: string;
  readonly departementNumber: string;
  readonly cityCode: string;
  readonly streetBanId: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  /** Set when the funnel was opened from an organisation's public link (no address typed). */
  readonly organisationId?: number;
  /** Set when the funnel was opened from a partner's invitation (verified token). */
  readonly invitation?: InvitationScope;
}

export interface FunnelScope extends BookableScope {
  readonly territoryName: string;
  /** Agents of agent-level attributions, for agent-level motifs. */
  readonly sectorAgentIds: readonly number[];
  /** The invited usager's referents (follow-up motifs); undefined outside an invitation. */
  readonly referentAgentIds?: readonly number[];
}

/** Where the address (or the organisation's link) may book: null when no territory of this instance serves it. */
export async function resolveScope(db: Kysely<Database>, location: SearchLocation): Promise<FunnelScope | null> {
  const territory = await findTerritoryByDepartement(db, location.departementNumber);
  if (territory === undefined) return null;
  if (location.invitation !== undefined) {
    const organisationIds = [...location.invitation.organisationIds];
    return {
      territoryId: territory.id,
      territoryName: territory.name,
      sectorOrganisationIds: organisationIds,
      agentOrganisationIds: [],
      sectorAgentIds: [],
      onlyOrganisationIds: organisationIds,
      invitationMotifCategoryId: location.invitation.motifCategoryId,
      referentAgentIds: location.invitation.referentAgentIds,
    };
  }
  if (location.organisationId !== undefined) {
    // An organisation's public link: its motifs open to the département or to its sectors.
    const organisationIds = [location.organisationId];
    return {
      territoryId: territory.id,
      territoryName: territory.name,
      sectorOrganisationIds: organisationIds,
      agentOrganisationIds: [],
      sectorAgentIds: [],
      onlyOrganisationIds: organisationIds,
    };
  }
  const targets = await findSectorisedTargets(db, {
    departementNumber: location.departementNumber,
    cityCode: location.cityCode,
    streetBanId: location.streetBanId ?? undefined,
  });
  return {
    territoryId: territory.id,
    territoryName: territory.name,
    sectorOrganisationIds: targets.organisationIds,
    agentOrganisationIds: [...new Set(targets.agentAttributions.map((attribution) => attribution.organisationId))],
    sectorAgentIds: targets.agentIds,
  };
}

export interface Catalogue {
  readonly services: { id: number; name: string }[];
  readonly motifs: readonly OfferedMotifRow[];
}

/** Services and motifs the scope offers to the public. */
export async function loadCatalogue(db: Kysely<Database>, scope: FunnelScope): Promise<Catalogue> {
  const motifs = await findOfferedMotifs(db, scope);
  return { services: listServices(motifs), motifs };
}

/** The de-duplicated motifs of a service. */
export function motifChoicesOf(catalogue: Catalogue, serviceId: number): MotifChoice[] {
  return dedupeMotifs(catalogue.motifs.filter((motif) => motif.serviceId === serviceId));
}

/** The motif choice whose representative id is in the URL, if the scope offers it. */
export function findMotifChoice(catalogue: Catalogue, representativeId: number): { choice: MotifChoice; motif: OfferedMotifRow } | null {
  const choice = dedupeMotifs(catalogue.motifs).find((candidate) => candidate.representativeId === representativeId);
  const motif = catalogue.motifs.find((candidate) => candidate.id === representativeId);
  return choice === undefined || motif === undefined ? null : { choice, motif };
}

function slotFiltersFor(
  scope: FunnelScope,
  motif: OfferedMotifRow,
  choice: MotifChoice,
): { organisationIds: number[]; agentIds: number[] | null; referentAgentIds: number[] | null } {
  return {
    organisationIds: [...choice.organisationIds],
    agentIds: motif.sectorisationLevel === 'agent' ? [...scope.sectorAgentIds] : null,
    // Follow-up motifs: with the invited usager's referents only (none outside an invitation).
    referentAgentIds: motif.isFollowUpOnly ? [...(scope.referentAgentIds ?? [])] : null,
  };
}

/** The first bookable start of a place or organisation (a slot, or a collective session). */
export interface NextStart {
  readonly startsAtEpochMinutes: number;
  readonly timeZone: string;
}

export interface PlaceChoice {
  readonly place: PlaceRow;
  readonly distanceKm: number | null;
  readonly nextSlot: NextStart;
}

export interface OrganisationChoice {
  readonly organisation: OrganisationRow;
  readonly nextSlot: NextStart;
}

/** First collective session with seats left per place (or organisation for remote motifs), over the horizon. */
async function findNextSessions(
  db: Kysely<Database>,
  scope: FunnelScope,
  selection: { choice: MotifChoice; motif: OfferedMotifRow },
  now: Date,
): Promise<Map<number, NextStart>> {
  const next = new Map<number, NextStart>();
  const until = new Date(now.getTime() + 366 * 24 * 60 * 60_000);
  const filters = slotFiltersFor(scope, selection.motif, selection.choice);
  // One search for every organisation's version of the motif (not one per motif).
  const sessions = await searchCollectiveSlotsOfTypes(db, { appointmentTypeIds: selection.choice.appointmentTypeIds, audience: 'public', from: now, to: until, now, filters });
  for (const session of sessions) {
    const key = selection.choice.locationType === 'public_office' ? (session.placeId ?? -session.organisationId) : session.organisationId;
    const current = next.get(key);
    if (current === undefined || session.startsAtEpochMinutes < current.startsAtEpochMinutes) next.set(key, session);
  }
  return next;
}

/**
 * Places (office motifs) or organisations (phone, home, visio) offering the motif, each with its
 * next availability; places sorted by distance to the address.
 */
export async function listWhereToBook(
  db: Kysely<Database>,
  scope: FunnelScope,
  selection: { choice: MotifChoice; motif: OfferedMotifRow },
  location: SearchLocation,
  now: Date,
): Promise<{ kind: 'places'; places: PlaceChoice[] } | { kind: 'organisations'; organisations: OrganisationChoice[] }> {
  const next: ReadonlyMap<number, NextStart> = selection.motif.isCollective
    ? await findNextSessions(db, scope, selection, now)
    : await findNextAvailabilities(db, {
        appointmentTypeId: selection.choice.representativeId,
        appointmentTypeIds: selection.choice.appointmentTypeIds,
        audience: 'public',
        now,
        filters: slotFiltersFor(scope, selection.motif, selection.choice),
      });
  if (selection.choice.locationType !== 'public_office') {
    const organisations = await findOrganisations(db, [...next.keys()]);
    return {
      kind: 'organisations',
      organisations: organisations
        .map((organisation) => ({ organisation, nextSlot: next.get(organisation.id) as NextStart }))
        .sort((a, b) => a.nextSlot.startsAtEpochMinutes - b.nextSlot.startsAtEpochMinutes),
    };
  }
  const places = await findPlaces(db, [...next.keys()]);
  const choices = places.map((place) => ({
    place,
    nextSlot: next.get(place.id) as NextStart,
    distanceKm:
      place.latitude === null || place.longitude === null || location.latitude === null || location.longitude === null
        ? null
        : distanceKm({ latitude: location.latitude, longitude: location.longitude }, { latitude: place.latitude, longitude: place.longitude }),
  }));
  choices.sort(
    (a, b) =>
      (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
      a.nextSlot.startsAtEpochMinutes - b.nextSlot.startsAtEpochMinutes,
  );
  return { kind: 'places', places: choices };
}

/** Where the chosen motif is booked: a place (office visits) or an organisation (remote motifs). */
export type FunnelTarget = { placeId: number } | { organisationId: number };

interface ResolvedTarget {
  readonly organisationId: number;
  readonly placeId: number | null;
  readonly timeZone: string;
  /** "MDS de Melun, 20 quai …" or the organisation's name. */
  readonly whereLabel: string;
  /** The motif's appointment type belonging to that organisation. */
  readonly appointmentTypeId: number;
}

/** The place or organisation of the URL, if it offers the motif choice; null otherwise. */
async function resolveTarget(db: Kysely<Database>, choice: MotifChoice, target: FunnelTarget): Promise<ResolvedTarget | null> {
  let resolved: Omit<ResolvedTarget, 'appointmentTypeId'>;
  if ('placeId' in target) {
    const [place] = await findPlaces(db, [target.placeId]);
    if (place === undefined || !choice.organisationIds.includes(place.organisationId)) return null;
    resolved = { organisationId: place.organisationId, placeId: place.id, timeZone: place.timeZone, whereLabel: `${place.name}, ${place.address}` };
  } else {
    const [organisation] = await findOrganisations(db, [target.organisationId]);
    if (organisation === undefined || !choice.organisationIds.includes(organisation.id)) return null;
    resolved = { organisationId: organisation.id, placeId: null, timeZone: organisation.timeZone, whereLabel: organisation.name };
  }
  return { ...resolved, appointmentTypeId: await typeOfOrganisation(db, choice, resolved.organisationId) };
}

/** Slot filters of a search at the resolved place or organisation. */
function targetFilters(scope: FunnelScope, selection: { choice: MotifChoice; motif: OfferedMotifRow }, target: ResolvedTarget) {
  return {
    ...slotFiltersFor(scope, selection.motif, selection.choice),
    organisationIds: [target.organisationId],
    ...(target.placeId === null ? {} : { placeIds: [target.placeId] }),
  };
}

export interface WeekOfSlots {
  /** Monday of the week shown, in the zone of the place/organisation. */
  readonly weekStart: DayNumber;
  readonly timeZone: string;
  readonly whereLabel: string;
  /** The appointment type of the chosen place's organisation. */
  readonly appointmentTypeId: number;
  readonly slots: readonly Slot[];
  readonly collectiveSlots: readonly CollectiveSlot[];
  /** First slot after this week when the week is empty ("prochaine disponibilité"). */
  readonly nextAvailability: Slot | null;
}

/** Monday of the week holding a day. */
export function mondayOf(day: DayNumber): DayNumber {
  return day - weekdayOf(day);
}

/** A week of slots at a place (office motifs) or with an organisation (other motifs). */
export async function loadWeekOfSlots(
  db: Kysely<Database>,
  scope: FunnelScope,
  selection: { choice: MotifChoice; motif: OfferedMotifRow },
  target: FunnelTarget,
  weekStart: DayNumber | null,
  now: Date,
): Promise<WeekOfSlots | null> {
  const resolved = await resolveTarget(db, selection.choice, target);
  if (resolved === null) return null;
  const { timeZone, whereLabel, appointmentTypeId: typeId } = resolved;
  const today = localDayOf(timeZone, dateToEpochMinutes(now));
  const monday = weekStart ?? mondayOf(today);
  const from = epochMinutesToDate(localToEpochMinutes(timeZone, Math.max(monday, mondayOf(today)), 0));
  const to = epochMinutesToDate(localToEpochMinutes(timeZone, monday + 7, 0));
  const filters = targetFilters(scope, selection, resolved);
  if (selection.motif.isCollective) {
    const collectiveSlots = await searchCollectiveSlots(db, { appointmentTypeId: typeId, audience: 'public', from, to, now, filters });
    return { weekStart: monday, timeZone, whereLabel, appointmentTypeId: typeId, slots: [], collectiveSlots, nextAvailability: null };
  }
  const slots = await searchSlots(db, { appointmentTypeId: typeId, audience: 'public', from, to, now, filters });
  let nextAvailability: Slot | null = null;
  if (slots.length === 0) {
    const next = await findNextAvailabilities(db, { appointmentTypeId: typeId, audience: 'public', now, filters });
    const key = resolved.placeId ?? resolved.organisationId;
    const found = next.get(key);
    nextAvailability = found !== undefined && found.startsAtEpochMinutes >= dateToEpochMinutes(to) ? found : null;
  }
  return { weekStart: monday, timeZone, whereLabel, appointmentTypeId: typeId, slots, collectiveSlots: [], nextAvailability };
}

/** The motif's appointment type belonging to the organisation (same name and location type). */
async function typeOfOrganisation(db: Kysely<Database>, choice: MotifChoice, organisationId: number): Promise<number> {
  const row = await db
    .selectFrom('appointment_types')
    .select('id')
    .where('id', 'in', [...choice.appointmentTypeIds])
    .where('organisation_id', '=', organisationId)
    .orderBy('id')
    .executeTakeFirst();
  return row?.id ?? choice.representativeId;
}

export interface ChosenSlot {
  readonly appointmentTypeId: number;
  readonly motifName: string;
  readonly locationType: MotifChoice['locationType'];
  readonly instructions: string | null;
  readonly organisationId: number;
  readonly placeId: number | null;
  readonly whereLabel: string;
  readonly timeZone: string;
  readonly startsAtEpochMinutes: number;
  readonly endsAtEpochMinutes: number;
  readonly collectiveAppointmentId: number | null;
  /** The agents the funnel allows for this motif (sector agents), or null for any agent of the place. */
  readonly allowedAgentIds: readonly number[] | null;
  /** False when the slot was taken (or closed) since the week was shown. */
  readonly stillOffered: boolean;
}

/** The slot the usager picked, checked again against the engine. Null when the URL does not describe one. */
export async function resolveChosenSlot(
  db: Kysely<Database>,
  scope: FunnelScope,
  selection: { choice: MotifChoice; motif: OfferedMotifRow },
  target: FunnelTarget,
  startsAtEpochMinutes: number,
  collectiveAppointmentId: number | null,
  now: Date,
): Promise<ChosenSlot | null> {
  const resolved = await resolveTarget(db, selection.choice, target);
  if (resolved === null) return null;
  const { appointmentTypeId, organisationId, placeId, timeZone, whereLabel } = resolved;
  const from = epochMinutesToDate(startsAtEpochMinutes);
  const to = epochMinutesToDate(startsAtEpochMinutes + 1);
  const filters = targetFilters(scope, selection, resolved);
  let endsAtEpochMinutes = startsAtEpochMinutes;
  let stillOffered: boolean;
  if (selection.motif.isCollective) {
    if (collectiveAppointmentId === null) return null;
    const sessions = await searchCollectiveSlots(db, { appointmentTypeId, audience: 'public', from, to, now, filters });
    const session = sessions.find((candidate) => candidate.appointmentId === collectiveAppointmentId);
    stillOffered = session !== undefined;
    endsAtEpochMinutes = session?.endsAtEpochMinutes ?? startsAtEpochMinutes;
  } else {
    const slots = await searchSlots(db, { appointmentTypeId, audience: 'public', from, to, now, filters });
    const slot = slots.find((candidate) => candidate.startsAtEpochMinutes === startsAtEpochMinutes);
    stillOffered = slot !== undefined;
    endsAtEpochMinutes = slot?.endsAtEpochMinutes ?? startsAtEpochMinutes;
  }
  return {
    appointmentTypeId,
    motifName: selection.choice.name,
    locationType: selection.choice.locationType,
    instructions: selection.motif.instructionForBooking,
    organisationId,
    placeId,
    whereLabel,
    timeZone,
    startsAtEpochMinutes,
    endsAtEpochMinutes,
    collectiveAppointmentId: selection.motif.isCollective ? collectiveAppointmentId : null,
    allowedAgentIds: filters.agentIds,
    stillOffered,
  };
}

/** The funnel's starting point for an organisation's public link, or null for an unknown link. */
export async function locationForOrganisationLink(
  db: Kysely<Database>,
  link: { slug: string } | { departementNumber: string; externalId: string } | { organisationId: number } | { placeId: number },
): Promise<SearchLocation | null> {
  const organisation = await findOrganisationForLink(db, link);
  if (organisation === undefined) return null;
  return {
    label: organisation.name,
    departementNumber: organisation.departementNumber,
    cityCode: '',
    streetBanId: null,
    latitude: null,
    longitude: null,
    organisationId: organisation.id,
  };
}

/** The funnel's starting point for a partner's invitation. */
export async function locationForInvitation(db: Kysely<Database>, invitation: InvitationScope): Promise<SearchLocation | null> {
  const [firstOrganisationId] = invitation.organisationIds;
  if (firstOrganisationId === undefined) return null;
  const organisation = await findDepartementOfOrganisation(db, firstOrganisationId);
  if (organisation === undefined) return null;
  return {
    label: `Invitation — ${organisation.name}`,
    departementNumber: organisation.departementNumber,
    cityCode: '',
    streetBanId: null,
    latitude: null,
    longitude: null,
    invitation,
  };
}
