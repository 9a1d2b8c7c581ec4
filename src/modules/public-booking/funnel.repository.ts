// Read queries of the public funnel: which motifs, places and organisations a usager may book.
import { sql, type Kysely } from 'kysely';
import type { Database, LocationType } from '../../platform/db/schema.js';

/** Where the usager may book, from the sectorisation of their address. */
export interface BookableScope {
  readonly territoryId: number;
  /** Organisations attributed to the address's sectors (organisation-level motifs). */
  readonly sectorOrganisationIds: readonly number[];
  /** Organisations of agent-level attributions (agent-level motifs, with those agents only). */
  readonly agentOrganisationIds: readonly number[];
  /** Set by an organisation's public link or an invitation: only their motifs are offered. */
  readonly onlyOrganisationIds?: readonly number[];
  /** Set by a partner's invitation: its motif category, invitation-only and follow-up motifs included. */
  readonly invitationMotifCategoryId?: number;
}

export interface OfferedMotifRow {
  readonly id: number;
  readonly organisationId: number;
  readonly serviceId: number;
  readonly serviceName: string;
  readonly name: string;
  readonly locationType: LocationType;
  readonly isCollective: boolean;
  readonly isFollowUpOnly: boolean;
  readonly sectorisationLevel: 'departement' | 'organisation' | 'agent';
  readonly restrictionForBooking: string | null;
  readonly instructionForBooking: string | null;
}

/**
 * Appointment types the public may book in the scope: bookable by everyone, visible, not
 * follow-up-only, and reachable by their sectorisation level (whole département, the sectors'
 * organisations, or the organisations of agent-level attributions).
 */
export async function findOfferedMotifs(db: Kysely<Database>, scope: BookableScope): Promise<OfferedMotifRow[]> {
  const sectorOrgs = [...scope.sectorOrganisationIds, 0];
  const agentOrgs = [...scope.agentOrganisationIds, 0];
  const onlyOrganisations = scope.onlyOrganisationIds === undefined ? sql`true` : sql`t.organisation_id = ANY(${[...scope.onlyOrganisationIds, 0]}::bigint[])`;
  const invited = scope.invitationMotifCategoryId !== undefined;
  const bookableBy = invited ? sql`t.bookable_by IN ('everyone', 'agents_and_prescripteurs_and_invited_users')` : sql`t.bookable_by = 'everyone'`;
  const category = invited ? sql`t.motif_category_id = ${scope.invitationMotifCategoryId}` : sql`true`;
  // Follow-up motifs are offered to invited usagers only, with their referents (slot filters).
  const followUp = invited ? sql`true` : sql`NOT t.is_follow_up_only`;
  const result = await sql<{
    id: number;
    organisation_id: number;
    service_id: number;
    service_name: string;
    name: string;
    location_type: LocationType;
    is_collective: boolean;
    is_follow_up_only: boolean;
    sectorisation_level: 'departement' | 'organisation' | 'agent';
    restriction_for_booking: string | null;
    instruction_for_booking: string | null;
  }>`
    SELECT t.id, t.organisation_id, t.service_id, s.short_name AS service_name, t.name, t.location_type,
           t.is_collective, t.is_follow_up_only, t.sectorisation_level, t.restriction_for_booking, t.instruction_for_booking
      FROM appointment_types t
      JOIN organisations o ON o.id = t.organisation_id
      JOIN services s ON s.id = t.service_id
     WHERE o.territory_id = ${scope.territoryId}
       AND t.archived_at IS NULL
       AND ${bookableBy}
       AND t.visibility <> 'invisible'
       AND ${followUp}
       AND ${category}
       AND ${onlyOrganisations}
       AND (t.sectorisation_level = 'departement'
            OR (t.sectorisation_level = 'organisation' AND t.organisation_id = ANY(${sectorOrgs}::bigint[]))
            OR (t.sectorisation_level = 'agent' AND t.organisation_id = ANY(${agentOrgs}::bigint[])))
     ORDER BY s.short_name, t.name, t.location_type, t.id`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    organisationId: row.organisation_id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    name: row.name,
    locationType: row.location_type,
    isCollective: row.is_collective,
    isFollowUpOnly: row.is_follow_up_only,
    sectorisationLevel: row.sectorisation_level,
    restrictionForBooking: row.restriction_for_booking,
    instructionForBooking: row.instruction_for_booking,
  }));
}

export interface PlaceRow {
  readonly id: number;
  readonly organisationId: number;
  readonly organisationName: string;
  readonly name: string;
  readonly address: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly timeZone: string;
  /** What the place's admins say about access (step-free, lift, parking…), shown with the address. */
  readonly accessibilityNotes: string | null;
}

/** Enabled places by id, with their organisation's name. */
export async function findPlaces(db: Kysely<Database>, ids: readonly number[]): Promise<PlaceRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('places as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.organisation_id', 'o.name as organisation_name', 'p.name', 'p.address', 'p.latitude', 'p.longitude', 'p.time_zone', 'p.accessibility_notes'])
    .where('p.id', 'in', [...ids])
    .where('p.status', '<>', 'disabled')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    name: row.name,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    timeZone: row.time_zone,
    accessibilityNotes: row.accessibility_notes,
  }));
}

export interface OrganisationRow {
  readonly id: number;
  readonly name: string;
  readonly phoneNumber: string | null;
  readonly timeZone: string;
}

/** Organisations by id. */
export async function findOrganisations(db: Kysely<Database>, ids: readonly number[]): Promise<OrganisationRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('organisations').select(['id', 'name', 'phone_number', 'time_zone']).where('id', 'in', [...ids]).execute();
  return rows.map((row) => ({ id: row.id, name: row.name, phoneNumber: row.phone_number, timeZone: row.time_zone }));
}

/** The territory of a département number, if this instance serves it. */
export async function findTerritoryByDepartement(db: Kysely<Database>, departementNumber: string): Promise<{ id: number; name: string } | undefined> {
  return db.selectFrom('territories').select(['id', 'name']).where('departement_number', '=', departementNumber).executeTakeFirst();
}

/** An organisation by its slug, or by its external id within a département, for public links. */
export async function findOrganisationForLink(
  db: Kysely<Database>,
  link: { slug: string } | { departementNumber: string; externalId: string } | { organisationId: number } | { placeId: number },
): Promise<{ id: number; name: string; territoryId: number; departementNumber: string } | undefined> {
  let query = db
    .selectFrom('organisations as o')
    .innerJoin('territories as t', 't.id', 'o.territory_id')
    .select(['o.id', 'o.name', 'o.territory_id', 't.departement_number']);
  if ('slug' in link) query = query.where('o.slug', '=', link.slug);
  else if ('organisationId' in link) query = query.where('o.id', '=', link.organisationId);
  else if ('placeId' in link) query = query.where('o.id', '=', (eb) => eb.selectFrom('places').select('organisation_id').where('id', '=', link.placeId));
  else query = query.where('t.departement_number', '=', link.departementNumber).where('o.external_id', '=', link.externalId);
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, name: row.name, territoryId: row.territory_id, departementNumber: row.departement_number };
}

/** The département of an organisation (where an invitation's funnel takes place). */
export async function findDepartementOfOrganisation(db: Kysely<Database>, organisationId: number): Promise<{ departementNumber: string; name: string } | undefined> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('territories as t', 't.id', 'o.territory_id')
    .select(['t.departement_number', 'o.name'])
    .where('o.id', '=', organisationId)
    .executeTakeFirst();
  return row === undefined ? undefined : { departementNumber: row.departement_number, name: row.name };
}
