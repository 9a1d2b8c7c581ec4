// Route schemas of "Mes rendez-vous" and the appointment links (ADR 0012). A malformed public id
// or token in the path answers 404, like an unknown one.
import { z } from 'zod';
import { idempotencyKeyField, isoDateField, linkTokenField, optionalTypedField, publicIdField } from '../../platform/http/schemas.js';

export const accountAppointmentParams = z.object({ publicId: publicIdField });
export const linkParams = z.object({ token: linkTokenField });

/** GET /mes-rdv: `compte=active` after the account's activation link. */
export const listQuery = z.object({ compte: z.literal('active').optional() });

/** GET …/deplacer: the week shown. */
export const weekQuery = z.object({ semaine: isoDateField.optional() });

/** POST …/deplacer: the chosen start (absent: "choose a time", 422), the form's key, the week shown. */
export const rescheduleBody = z.object({
  debut: z.string().regex(/^\d{1,9}$/).transform(Number).optional(),
  cle: idempotencyKeyField,
  semaine: isoDateField.optional(),
});

/** POST …/liste-attente */
export const waitlistBody = z.object({ actif: z.enum(['oui', 'non']) });

/** POST /rdv/lien/:token: the first letters of the last name (their rule: 1–50 letters, 422). */
export const lettersBody = z.object({ lettres: optionalTypedField });

/** A body with no field of its own (cancel, leave: only the CSRF token). */
export const emptyBody = z.object({});
