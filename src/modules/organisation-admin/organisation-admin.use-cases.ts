// Use cases of organisation administration (ADR 0028): each change runs in one transaction with
// its audit entry (ids and field names only, never what was typed). The organisation is the
// scope of every read and write; a motif's name is checked against the organisation's active
// motifs under an advisory lock, so two admins cannot create the same name at once.
import { sql, type Kysely } from 'kysely';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/schema.js';
import type { AgentPrincipal } from '../agents/index.js';
import { copyName, type MotifFormValue } from './domain/motif-form.js';
import { EXTERNAL_ID_TAKEN_MESSAGE, SLUG_TAKEN_MESSAGE, type OrganisationFormValue } from './domain/organisation-form.js';
import type { FieldErrors } from './domain/form-fields.js';
import type { PlaceFormValue } from './domain/place-form.js';
import {
  activeMotifNames,
  countFutureAppointmentsAtPlace,
  countFutureAppointmentsOfMotif,
  findMotif,
  findOrganisation,
  findPlace,
  motifColumns,
  organisationConflicts,
  type OrganisationRecord,
} from './organisation-admin.repository.js';

type Db = Kysely<Database>;

export type Saved<Extra = object> = ({ readonly ok: true } & Extra) | { readonly ok: false; readonly reason: 'NOT_FOUND' } | { readonly ok: false; readonly reason: 'INVALID'; readonly errors: FieldErrors };

export const MOTIF_NAME_TAKEN_MESSAGE = 'Un autre motif actif de l’organisation porte déjà ce nom : choisissez-en un autre, ou archivez l’autre motif.';

function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== '23505') return null;
  const constraint = (error as { constraint?: unknown }).constraint;
  const message = (error as { message?: unknown }).message;
  return typeof constraint === 'string' ? constraint : typeof message === 'string' ? message : '';
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after)
    .filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
    .sort();
}

/** The audit entry of an admin's change to a record of the organisation (its id first in the details). */
async function auditChange(
  trx: Db,
  principal: AgentPrincipal,
  organisation: OrganisationRecord,
  action: 'create' | 'update',
  subject: { type: 'place' | 'appointment_type'; id: number },
  details: Readonly<Record<string, string | number | boolean | null>>,
): Promise<void> {
  await insertAuditEntry(trx, {
    actor: { type: 'agent', agentId: principal.agentId },
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    territoryId: organisation.territoryId,
    details: { organisationId: organisation.id, ...details },
  });
}

// ---------------------------------------------------------------------------------------------
// Organisation
// ---------------------------------------------------------------------------------------------

export async function updateOrganisationDetails(db: Db, principal: AgentPrincipal, organisationId: number, value: OrganisationFormValue): Promise<Saved> {
  try {
    return await db.transaction().execute(async (trx): Promise<Saved> => {
      await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).forUpdate().executeTakeFirst();
      const current = await findOrganisation(trx, organisationId);
      if (current === undefined) return { ok: false, reason: 'NOT_FOUND' };
      const conflicts = await organisationConflicts(trx, current, value.slug, value.externalId);
      if (conflicts.slug || conflicts.externalId) {
        return { ok: false, reason: 'INVALID', errors: { ...(conflicts.slug ? { lienPublic: SLUG_TAKEN_MESSAGE } : {}), ...(conflicts.externalId ? { identifiantExterne: EXTERNAL_ID_TAKEN_MESSAGE } : {}) } };
      }
      const columns = { name: value.name, phone_number: value.phoneNumber, email: value.email, website: value.website, slug: value.slug, external_id: value.externalId };
      const before = { name: current.name, phone_number: current.phoneNumber, email: current.email, website: current.website, slug: current.slug, external_id: current.externalId };
      const changed = changedFields(before, columns);
      if (changed.length === 0) return { ok: true };
      await trx.updateTable('organisations').set(columns).where('id', '=', organisationId).execute();
      await insertAuditEntry(trx, {
        actor: { type: 'agent', agentId: principal.agentId },
        action: 'update',
        subjectType: 'organisation',
        subjectId: organisationId,
        territoryId: current.territoryId,
        details: { fields: changed.join(',') },
      });
      return { ok: true };
    });
  } catch (error) {
    // Another admin took the slug or the external id between the check and the write.
    const violated = uniqueViolation(error);
    if (violated === null) throw error;
    return { ok: false, reason: 'INVALID', errors: violated.includes('slug') ? { lienPublic: SLUG_TAKEN_MESSAGE } : { identifiantExterne: EXTERNAL_ID_TAKEN_MESSAGE } };
  }
}

// ---------------------------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------------------------

/** A place as saved: the form, the address kept (found or typed), its coordinates and zone. */
export interface PlaceToSave {
  readonly form: PlaceFormValue;
  readonly address: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly timeZone: string;
}

function placeColumns(place: PlaceToSave) {
  return {
    name: place.form.name,
    address: place.address,
    latitude: place.latitude,
    longitude: place.longitude,
    time_zone: place.timeZone,
    phone_number: place.form.phoneNumber,
    accessibility_notes: place.form.accessibilityNotes,
  };
}

export async function createPlace(db: Db, principal: AgentPrincipal, organisation: OrganisationRecord, place: PlaceToSave): Promise<{ placeId: number }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('places')
      .values({ organisation_id: organisation.id, status: 'enabled', ...placeColumns(place) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await auditChange(trx, principal, organisation, 'create', { type: 'place', id: row.id }, { geocoded: place.latitude !== null, timeZone: place.timeZone });
    return { placeId: row.id };
  });
}

export async function updatePlace(db: Db, principal: AgentPrincipal, organisation: OrganisationRecord, placeId: number, place: PlaceToSave): Promise<Saved> {
  return db.transaction().execute(async (trx): Promise<Saved> => {
    const current = await findPlace(trx, organisation.id, placeId, { lock: true });
    if (current === undefined) return { ok: false, reason: 'NOT_FOUND' };
    const columns = placeColumns(place);
    const before = {
      name: current.name,
      address: current.address,
      latitude: current.latitude,
      longitude: current.longitude,
      time_zone: current.timeZone,
      phone_number: current.phoneNumber,
      accessibility_notes: current.accessibilityNotes,
    };
    const changed = changedFields(before, columns);
    if (changed.length === 0) return { ok: true };
    await trx.updateTable('places').set(columns).where('id', '=', placeId).where('organisation_id', '=', organisation.id).execute();
    await auditChange(trx, principal, organisation, 'update', { type: 'place', id: placeId }, { fields: changed.join(',') });
    return { ok: true };
  });
}

/**
 * Archives (status `disabled`) or brings back a place. Future appointments there are kept: the
 * count is returned so that the admin is told to move or cancel them; no new public slot is
 * offered there (the availability module skips disabled places).
 */
export async function setPlaceArchived(db: Db, principal: AgentPrincipal, organisation: OrganisationRecord, placeId: number, archived: boolean, now: Date): Promise<Saved<{ futureAppointments: number }>> {
  return db.transaction().execute(async (trx): Promise<Saved<{ futureAppointments: number }>> => {
    const current = await findPlace(trx, organisation.id, placeId, { lock: true });
    if (current === undefined) return { ok: false, reason: 'NOT_FOUND' };
    const futureAppointments = archived ? await countFutureAppointmentsAtPlace(trx, organisation.id, placeId, now) : 0;
    if (current.archived !== archived) {
      await trx.updateTable('places').set({ status: archived ? 'disabled' : 'enabled' }).where('id', '=', placeId).where('organisation_id', '=', organisation.id).execute();
      await auditChange(trx, principal, organisation, 'update', { type: 'place', id: placeId }, { archived, futureAppointments });
    }
    return { ok: true, futureAppointments };
  });
}

// ---------------------------------------------------------------------------------------------
// Motifs
// ---------------------------------------------------------------------------------------------

/** Serialises the motif writes of one organisation: the name check sees the others' rows. */
async function lockMotifNames(trx: Db, organisationId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('creneau.organisation-admin.motifs'), ${organisationId}::int)`.execute(trx);
}

async function nameTaken(trx: Db, organisationId: number, name: string, exceptId: number | null): Promise<boolean> {
  const folded = name.toLocaleLowerCase('fr');
  return (await activeMotifNames(trx, organisationId, exceptId)).some((other) => other.toLocaleLowerCase('fr') === folded);
}

export async function createMotif(db: Db, principal: AgentPrincipal, organisation: OrganisationRecord, value: MotifFormValue): Promise<Saved<{ motifId: number }>> {
  return db.transaction().execute(async (trx): Promise<Saved<{ motifId: number }>> => {
    await lockMotifNames(trx, organisation.id);
    if (await nameTaken(trx, organisation.id, value.name, null)) return { ok: false, reason: 'INVALID', errors: { nom: MOTIF_NAME_TAKEN_MESSAGE } };
    const row = await trx
      .insertInto('appointment_types')
      .values({ organisation_id: organisation.id, ...motifColumns(value) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await auditChange(trx, principal, organisation, 'create', { type: 'appointment_type', id: row.id }, { serviceId: value.serviceId });
    return { ok: true, motifId: row.id };
  });
}

export async function updateMotif(db: Db, principal: AgentPrincipal, organisation: OrganisationRecord, motifId: number, value: MotifFormValue): Promise<Saved> {
  return db.transaction().execute(async (trx): Promise<Saved> => {
    await lockMotifNames(trx, organisation.id);
    const current = await findMotif(trx, organisation.id, motifId, { lock: true });
    if (current === undefined) return { ok: false, reason: 'NOT_FOUND' };
    if (!current.archived && (await nameTaken(trx, organisation.id, value.name, motifId))) return { ok: false, reason: 'INVALID', errors: { nom: MOTIF_NAME_TAKEN_MESSAGE } };
    const columns = motifColumns(value);
    const changed = changedFields(motifColumns(current), columns);
    if (changed.length === 0) return { ok: true };
    await trx.updateTable('appointment_types').set(columns).where('id', '=', motifId).where('organisation_id', '=', organisation.id).execute();
    await auditChange(trx, principal, organisation, 'update', { type: 'appointment_type', id: motifId }, { fields: changed.join(',') });
    return { ok: true };
  });
}

/**
 * Copies a motif (every field, an active copy named « … (copie) »); the copy has no opening
 * period yet, so it is not bookable until an agent adds it to theirs.
 */
export async function duplicateMotif(db: Db, principal: AgentPrincipal, organisation: OrganisationRecord, motifId: number): Promise<Saved<{ motifId: number }>> {
  return db.transaction().execute(async (trx): Promise<Saved<{ motifId: number }>> => {
    await lockMotifNames(trx, organisation.id);
    const source = await findMotif(trx, organisation.id, motifId);
    if (source === undefined) return { ok: false, reason: 'NOT_FOUND' };
    const name = copyName(source.name, new Set(await activeMotifNames(trx, organisation.id, null)));
    const row = await trx
      .insertInto('appointment_types')
      .values({ organisation_id: organisation.id, ...motifColumns({ ...source, name }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await auditChange(trx, principal, organisation, 'create', { type: 'appointment_type', id: row.id }, { copyOf: motifId });
    return { ok: true, motifId: row.id };
  });
}

/**
 * Archives (`archived_at`) or brings back a motif. Archived: no new booking (availability skips
 * it), its future appointments are kept and counted for the admin. Brought back: refused while
 * another active motif has its name.
 */
export async function setMotifArchived(
  db: Db,
  principal: AgentPrincipal,
  organisation: OrganisationRecord,
  motifId: number,
  archived: boolean,
  now: Date,
): Promise<Saved<{ futureAppointments: number }>> {
  return db.transaction().execute(async (trx): Promise<Saved<{ futureAppointments: number }>> => {
    await lockMotifNames(trx, organisation.id);
    const current = await findMotif(trx, organisation.id, motifId, { lock: true });
    if (current === undefined) return { ok: false, reason: 'NOT_FOUND' };
    if (!archived && current.archived && (await nameTaken(trx, organisation.id, current.name, motifId))) return { ok: false, reason: 'INVALID', errors: { nom: MOTIF_NAME_TAKEN_MESSAGE } };
    const futureAppointments = archived ? await countFutureAppointmentsOfMotif(trx, organisation.id, motifId, now) : 0;
    if (current.archived !== archived) {
      await trx.updateTable('appointment_types').set({ archived_at: archived ? now : null }).where('id', '=', motifId).where('organisation_id', '=', organisation.id).execute();
      await auditChange(trx, principal, organisation, 'update', { type: 'appointment_type', id: motifId }, { archived, futureAppointments });
    }
    return { ok: true, futureAppointments };
  });
}
