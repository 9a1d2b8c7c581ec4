// SQL of organisation administration: every query names the organisation in its WHERE clause,
// so an id of another organisation reads nothing (the routes answer 404).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { MotifFormValue } from './domain/motif-form.js';

type Db = Kysely<Database>;

export interface OrganisationRecord {
  readonly id: number;
  readonly territoryId: number;
  readonly departementNumber: string;
  readonly name: string;
  readonly slug: string;
  readonly externalId: string | null;
  readonly phoneNumber: string | null;
  readonly email: string | null;
  readonly website: string | null;
}

export async function findOrganisation(db: Db, organisationId: number): Promise<OrganisationRecord | undefined> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('territories as t', 't.id', 'o.territory_id')
    .select(['o.id', 'o.territory_id', 't.departement_number', 'o.name', 'o.slug', 'o.external_id', 'o.phone_number', 'o.email', 'o.website'])
    .where('o.id', '=', organisationId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    territoryId: row.territory_id,
    departementNumber: row.departement_number,
    name: row.name,
    slug: row.slug,
    externalId: row.external_id,
    phoneNumber: row.phone_number,
    email: row.email,
    website: row.website,
  };
}

/** Whether another organisation has this slug (anywhere) or this external id (in the territory). */
export async function organisationConflicts(db: Db, organisation: { id: number; territoryId: number }, slug: string, externalId: string | null): Promise<{ slug: boolean; externalId: boolean }> {
  const slugRow = await db.selectFrom('organisations').select('id').where('slug', '=', slug).where('id', '<>', organisation.id).executeTakeFirst();
  const externalRow =
    externalId === null
      ? undefined
      : await db.selectFrom('organisations').select('id').where('territory_id', '=', organisation.territoryId).where('external_id', '=', externalId).where('id', '<>', organisation.id).executeTakeFirst();
  return { slug: slugRow !== undefined, externalId: externalRow !== undefined };
}

// ---------------------------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------------------------

export interface PlaceRecord {
  readonly id: number;
  readonly name: string;
  readonly address: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly timeZone: string;
  readonly phoneNumber: string | null;
  readonly accessibilityNotes: string | null;
  readonly archived: boolean;
}

const placeColumns = ['id', 'name', 'address', 'latitude', 'longitude', 'time_zone', 'phone_number', 'accessibility_notes', 'status'] as const;

function placeOf(row: { id: number; name: string; address: string; latitude: number | null; longitude: number | null; time_zone: string; phone_number: string | null; accessibility_notes: string | null; status: string }): PlaceRecord {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    timeZone: row.time_zone,
    phoneNumber: row.phone_number,
    accessibilityNotes: row.accessibility_notes,
    archived: row.status === 'disabled',
  };
}

/** The organisation's places, active first (single-use places of one appointment are not managed here). */
export async function listPlaces(db: Db, organisationId: number): Promise<PlaceRecord[]> {
  const rows = await db
    .selectFrom('places')
    .select([...placeColumns])
    .where('organisation_id', '=', organisationId)
    .where('status', 'in', ['enabled', 'disabled'])
    .orderBy(sql`status = 'disabled'`)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(placeOf);
}

export async function findPlace(db: Db, organisationId: number, placeId: number, options: { lock?: boolean } = {}): Promise<PlaceRecord | undefined> {
  let query = db.selectFrom('places').select([...placeColumns]).where('id', '=', placeId).where('organisation_id', '=', organisationId).where('status', 'in', ['enabled', 'disabled']);
  if (options.lock === true) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : placeOf(row);
}

/** Future appointments still planned at a place (kept when it is archived; the admin is told). */
export async function countFutureAppointmentsAtPlace(db: Db, organisationId: number, placeId: number, now: Date): Promise<number> {
  const row = await db
    .selectFrom('appointments')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('organisation_id', '=', organisationId)
    .where('place_id', '=', placeId)
    .where(sql<boolean>`lower(during) > ${now}`)
    .where('status', 'not in', ['excused', 'revoked'])
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// ---------------------------------------------------------------------------------------------
// Motifs
// ---------------------------------------------------------------------------------------------

export interface MotifRecord extends MotifFormValue {
  readonly id: number;
  readonly serviceName: string;
  readonly categoryName: string | null;
  readonly archived: boolean;
}

export async function listMotifs(db: Db, organisationId: number): Promise<MotifRecord[]> {
  const rows = await motifQuery(db).where('t.organisation_id', '=', organisationId).orderBy(sql`t.archived_at IS NOT NULL`).orderBy('s.name').orderBy('t.name').orderBy('t.id').execute();
  return rows.map(motifOf);
}

export async function findMotif(db: Db, organisationId: number, motifId: number, options: { lock?: boolean } = {}): Promise<MotifRecord | undefined> {
  let query = motifQuery(db).where('t.organisation_id', '=', organisationId).where('t.id', '=', motifId);
  if (options.lock === true) query = query.forUpdate('t');
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : motifOf(row);
}

function motifQuery(db: Db) {
  return db
    .selectFrom('appointment_types as t')
    .innerJoin('services as s', 's.id', 't.service_id')
    .leftJoin('motif_categories as c', 'c.id', 't.motif_category_id')
    .selectAll('t')
    .select(['s.name as service_name', 'c.name as category_name']);
}

type MotifRow = Awaited<ReturnType<ReturnType<typeof motifQuery>['executeTakeFirstOrThrow']>>;

function motifOf(row: MotifRow): MotifRecord {
  return {
    id: row.id,
    name: row.name,
    color: row.color,
    serviceId: row.service_id,
    serviceName: row.service_name,
    motifCategoryId: row.motif_category_id,
    categoryName: row.category_name,
    durationMinutes: row.duration_minutes,
    slotStepMinutes: row.slot_step_minutes,
    bufferBeforeMinutes: row.buffer_before_minutes,
    bufferAfterMinutes: row.buffer_after_minutes,
    locationType: row.location_type,
    isCollective: row.is_collective,
    bookableBy: row.bookable_by,
    minBookingNoticeMinutes: row.min_booking_notice_minutes,
    maxBookingNoticeMinutes: row.max_booking_notice_minutes,
    cancelDeadlineMinutes: row.cancel_deadline_minutes,
    rescheduleDeadlineMinutes: row.reschedule_deadline_minutes,
    restrictionForBooking: row.restriction_for_booking,
    instructionForBooking: row.instruction_for_booking,
    isFollowUpOnly: row.is_follow_up_only,
    sectorisationLevel: row.sectorisation_level,
    visibility: row.visibility,
    reminderOffsetsMinutes: row.reminder_offsets_minutes,
    archived: row.archived_at !== null,
  };
}

/** The columns of a motif's form value. */
export function motifColumns(value: MotifFormValue) {
  return {
    name: value.name,
    color: value.color,
    service_id: value.serviceId,
    motif_category_id: value.motifCategoryId,
    duration_minutes: value.durationMinutes,
    slot_step_minutes: value.slotStepMinutes,
    buffer_before_minutes: value.bufferBeforeMinutes,
    buffer_after_minutes: value.bufferAfterMinutes,
    location_type: value.locationType,
    is_collective: value.isCollective,
    bookable_by: value.bookableBy,
    min_booking_notice_minutes: value.minBookingNoticeMinutes,
    max_booking_notice_minutes: value.maxBookingNoticeMinutes,
    cancel_deadline_minutes: value.cancelDeadlineMinutes,
    reschedule_deadline_minutes: value.rescheduleDeadlineMinutes,
    restriction_for_booking: value.restrictionForBooking,
    instruction_for_booking: value.instructionForBooking,
    is_follow_up_only: value.isFollowUpOnly,
    sectorisation_level: value.sectorisationLevel,
    visibility: value.visibility,
    reminder_offsets_minutes: [...value.reminderOffsetsMinutes],
  };
}

/** Names of the organisation's active motifs (other than `exceptId`), as stored. */
export async function activeMotifNames(db: Db, organisationId: number, exceptId: number | null): Promise<string[]> {
  let query = db.selectFrom('appointment_types').select('name').where('organisation_id', '=', organisationId).where('archived_at', 'is', null);
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.execute()).map((row) => row.name);
}

/**
 * What the motif form may choose: the services the territory enables, and the motif categories it
 * enables (`territory_motif_categories`, ADR 0030) plus the edited motif's own category, so a
 * motif whose category was disabled since keeps it (ADR 0028, amendment of 2026-12-02).
 */
export async function motifChoices(
  db: Db,
  territoryId: number,
  currentCategoryId: number | null = null,
): Promise<{ services: { id: number; name: string }[]; categories: { id: number; name: string }[] }> {
  const services = await db
    .selectFrom('territory_services as ts')
    .innerJoin('services as s', 's.id', 'ts.service_id')
    .select(['s.id', 's.name'])
    .where('ts.territory_id', '=', territoryId)
    .orderBy('s.name')
    .execute();
  const categories = await db
    .selectFrom('motif_categories as c')
    .select(['c.id', 'c.name'])
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('territory_motif_categories as tc').select('tc.motif_category_id').whereRef('tc.motif_category_id', '=', 'c.id').where('tc.territory_id', '=', territoryId)),
        ...(currentCategoryId === null ? [] : [eb('c.id', '=', currentCategoryId)]),
      ]),
    )
    .orderBy('c.name')
    .orderBy('c.id')
    .execute();
  return { services, categories };
}

/** Future appointments of a motif (kept when it is archived; the admin is told). */
export async function countFutureAppointmentsOfMotif(db: Db, organisationId: number, motifId: number, now: Date): Promise<number> {
  const row = await db
    .selectFrom('appointments')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('organisation_id', '=', organisationId)
    .where('appointment_type_id', '=', motifId)
    .where(sql<boolean>`lower(during) > ${now}`)
    .where('status', 'not in', ['excused', 'revoked'])
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
