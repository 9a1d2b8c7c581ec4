// Route schemas of public booking (ADR 0012): structural checks only — one string per field,
// bounded, exact formats for ids and hidden fields. What a person typed is checked afterwards by
// the pure form validators (domain/booking-form.ts, domain/prescripteur-form.ts): 422 with French
// messages and the input kept.
import { z } from 'zod';
import { idempotencyKeyField, integerIdField, isoDateField, linkTokenField, optionalTypedField, publicIdField } from '../../platform/http/schemas.js';

/** POST /recherche: the address typed on the home page (its rules: 3–200 characters, 422). */
export const searchBody = z.object({ adresse: optionalTypedField });

/** POST /recherche/choix: one of the offered addresses. */
export const addressChoiceBody = z.object({ choix: z.string().regex(/^\d{1,2}$/).transform(Number) });

/** GET /org/:slug */
export const organisationSlugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,100}$/) });

/** GET /org/:departement/externe/:externalId */
export const organisationExternalIdParams = z.object({
  departement: z.string().regex(/^(\d{2}|2A|2B|97\d)$/),
  externalId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/),
});

/** GET and POST /invitation/:token */
export const invitationParams = z.object({ token: linkTokenField });

/** POST /invitation/:token: the first letters of the invited person's last name (1–50 letters, else 422). */
export const invitationProofBody = z.object({ lettres: optionalTypedField });

/** GET /prendre-rdv: where the usager is in the funnel. */
export const funnelQuery = z.object({
  service: integerIdField.optional(),
  motif: integerIdField.optional(),
  lieu: integerIdField.optional(),
  organisation: integerIdField.optional(),
  semaine: isoDateField.optional(),
  restriction: z.literal('acceptee').optional(),
  /** Set when the chosen slot was taken meanwhile: the week says so above the fresh slots. */
  indisponible: z.literal('1').optional(),
});

/** The chosen slot, in the query (GET) or hidden fields (POST) of the last steps. */
export const slotFields = z.object({
  motif: integerIdField,
  lieu: integerIdField.optional(),
  organisation: integerIdField.optional(),
  /** Epoch minutes of the start. */
  debut: z.string().regex(/^\d{1,9}$/).transform(Number),
  seance: integerIdField.optional(),
  restriction: z.literal('acceptee').optional(),
  /** Set by the account's activation link: the details page says the account is active. */
  compte: z.literal('active').optional(),
});
export type SlotFields = z.output<typeof slotFields>;

/** POST /prendre-rdv/confirmer: the chosen slot, the idempotency key and the details form. */
export const confirmBody = slotFields.extend({
  cle: idempotencyKeyField,
  prenom: optionalTypedField,
  nom: optionalTypedField,
  naissance: optionalTypedField,
  telephone: optionalTypedField,
  adresse: optionalTypedField,
  pourQui: optionalTypedField,
  prochePrenom: optionalTypedField,
  procheNom: optionalTypedField,
  procheNaissance: optionalTypedField,
});

/** POST /prendre-rdv/prescripteur */
export const prescripteurBody = slotFields.extend({
  cle: idempotencyKeyField,
  prescripteurPrenom: optionalTypedField,
  prescripteurNom: optionalTypedField,
  prescripteurEmail: optionalTypedField,
  prescripteurTelephone: optionalTypedField,
  beneficiairePrenom: optionalTypedField,
  beneficiaireNom: optionalTypedField,
  beneficiaireTelephone: optionalTypedField,
  beneficiaireNaissance: optionalTypedField,
  beneficiaireEmail: optionalTypedField,
});

/** GET /rdv/:publicId/confirmation */
export const confirmationParams = z.object({ publicId: publicIdField });
