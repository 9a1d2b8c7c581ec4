// Route schemas of the agent appointment pages (structural layer, ADR 0012): malformed requests
// get 400; what a person typed is checked by domain/appointment-forms.ts (422).
import { z } from 'zod';
import { idempotencyKeyField, integerIdField, isoInstantField, optionalTypedField } from '../../platform/http/schemas.js';
import { organisationParams } from '../agents/index.js';

export const appointmentParams = organisationParams.extend({ appointmentId: integerIdField });

/** A wizard's draft id (random, kept in the session). */
export const draftParams = organisationParams.extend({ draftId: z.string().regex(/^[A-Za-z0-9_-]{16,40}$/) });

const idText = z.string().regex(/^[1-9]\d{0,9}$/);
const MAX_IDS = 50;

/** Ids from repeated fields or a comma-separated list (`agents=1,2` or `agents=1&agents=2`). */
const idListField = z
  .union([z.string().max(600), z.array(z.string().max(600)).max(MAX_IDS)])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(',')).filter((item) => item !== ''))
  .pipe(z.array(idText).max(MAX_IDS))
  .transform((ids) => ids.map(Number));

/** Warning keys from repeated checkboxes. */
const warningKeysField = z
  .union([z.string().max(60), z.array(z.string().max(60)).max(MAX_IDS)])
  .transform((value) => (Array.isArray(value) ? value : [value]))
  .pipe(z.array(z.string().regex(/^[a-z_]{1,30}(:[1-9]\d{0,9})?$/)).max(MAX_IDS));

/** GET …/rdv/nouveau: prefill from the agenda or the slot search. */
export const newAppointmentQuery = z.object({
  motif: idText.transform(Number).optional(),
  agents: idListField.optional(),
  debut: isoInstantField.optional(),
  /** A place of the organisation: preselected, and `debut` is read in its zone. */
  lieu: idText.transform(Number).optional(),
});

export const motifBody = z.object({ motif: idText.transform(Number).optional() });

// eslint-disable-next-line no-control-regex -- a search never contains control characters (PostgreSQL refuses NUL)
export const searchQuery = z.object({ recherche: z.string().max(200).regex(/^[^\u0000-\u001f\u007f]*$/).optional() });

export const participantsBody = z.object({
  action: z.enum(['ajouter', 'retirer', 'creer', 'retirer-nouveau', 'continuer']),
  usager: idText.transform(Number).optional(),
  index: z.string().regex(/^\d{1,2}$/).transform(Number).optional(),
  prenom: optionalTypedField,
  nom: optionalTypedField,
  naissance: optionalTypedField,
  telephone: optionalTypedField,
  email: optionalTypedField,
  procheDe: z.union([z.literal(''), idText.transform(Number)]).optional(),
});

export const detailsBody = z.object({
  agents: idListField.optional(),
  date: optionalTypedField,
  heure: optionalTypedField,
  duree: optionalTypedField,
  lieu: optionalTypedField,
  adresse: optionalTypedField,
  contexte: optionalTypedField,
});

export const confirmationBody = z.object({
  avertissements: warningKeysField.optional(),
  motifChevauchement: optionalTypedField,
  cle: idempotencyKeyField,
});

/** POST …/rappel: only the CSRF token. */
export const reminderBody = z.object({});

export const statusBody = z.object({ statut: z.enum(['unknown', 'seen', 'noshow', 'excused', 'revoked']) });

export const editBody = detailsBody.extend({
  usagers: idListField.optional(),
  prenom: optionalTypedField,
  nom: optionalTypedField,
  naissance: optionalTypedField,
  telephone: optionalTypedField,
  email: optionalTypedField,
  avertissements: warningKeysField.optional(),
  motifChevauchement: optionalTypedField,
  cle: idempotencyKeyField,
});
