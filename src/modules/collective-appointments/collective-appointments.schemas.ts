// Route schemas of the collective appointment pages (structural layer, ADR 0012): malformed
// requests get 400 (404 for path ids); what a person typed is checked by domain/collective-form.ts (422).
import { z } from 'zod';
import { idempotencyKeyField, integerIdField, optionalTypedField } from '../../platform/http/schemas.js';
import { organisationParams } from '../agents/index.js';

export const collectiveParams = organisationParams.extend({ collectiveId: integerIdField });

export const listQuery = z.object({ periode: z.enum(['a-venir', 'passes']).optional() });

export const detailQuery = z.object({
  // eslint-disable-next-line no-control-regex -- a search never contains control characters (PostgreSQL refuses NUL)
  recherche: z.string().max(200).regex(/^[^\u0000-\u001f\u007f]*$/).optional(),
  /** The usager just created from this page (the users module's creation form comes back with it). */
  nouvelUsager: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number).optional(),
});

const MAX_AGENTS = 50;
const idText = z.string().regex(/^[1-9]\d{0,9}$/);

/** Ticked agents: one value or the field repeated. */
const agentsField = z
  .union([idText, z.array(idText).max(MAX_AGENTS)])
  .transform((value) => (Array.isArray(value) ? value : [value]).map(Number));

const sessionFields = {
  titre: optionalTypedField,
  capacite: optionalTypedField,
  lieu: optionalTypedField,
  agents: agentsField.optional(),
  date: optionalTypedField,
  heure: optionalTypedField,
  duree: optionalTypedField,
};

export const createBody = z.object({ ...sessionFields, motif: optionalTypedField, cle: idempotencyKeyField });

export const editBody = z.object(sessionFields);

/** A participant of the session (or a usager to add), by their user id. */
export const participantBody = z.object({ usager: integerIdField });

export const participantStatusBody = participantBody.extend({ statut: z.enum(['unknown', 'seen', 'noshow', 'excused', 'revoked']) });

/** « Annuler la séance »: only the CSRF token. */
export const cancelBody = z.object({});
