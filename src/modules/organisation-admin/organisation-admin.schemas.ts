// Route schemas of organisation administration (structural layer, ADR 0012): malformed requests
// (a repeated field, over 10 000 characters, an unknown step) get 400; what an admin typed is
// checked by the pure form rules of domain/ (422, French messages, input kept). Every field is
// optional so that an empty form reaches the rules, and authorisation decides before anything.
import { z } from 'zod';
import { checkboxField, integerIdField, optionalTypedField } from '../../platform/http/schemas.js';
import { organisationParams } from '../agents/index.js';

export const placeParams = organisationParams.extend({ placeId: integerIdField });
export const motifParams = organisationParams.extend({ motifId: integerIdField });

export const organisationBody = z.object({
  nom: optionalTypedField,
  telephone: optionalTypedField,
  email: optionalTypedField,
  siteWeb: optionalTypedField,
  lienPublic: optionalTypedField,
  identifiantExterne: optionalTypedField,
});

export const placeBody = z.object({
  nom: optionalTypedField,
  adresse: optionalTypedField,
  telephone: optionalTypedField,
  accessibilite: optionalTypedField,
  fuseau: optionalTypedField,
  sansCoordonnees: checkboxField,
  /** verifier: geocode and show what was found; enregistrer: save the chosen address; corriger: back to the form. */
  etape: z.enum(['verifier', 'enregistrer', 'corriger']).optional(),
  choix: z.string().regex(/^[0-9]$/).transform(Number).optional(),
});

export const motifBody = z.object({
  nom: optionalTypedField,
  couleur: optionalTypedField,
  service: optionalTypedField,
  categorie: optionalTypedField,
  duree: optionalTypedField,
  pas: optionalTypedField,
  tamponAvant: optionalTypedField,
  tamponApres: optionalTypedField,
  typeLieu: optionalTypedField,
  collectif: checkboxField,
  reservablePar: optionalTypedField,
  delaiMinimum: optionalTypedField,
  delaiMaximum: optionalTypedField,
  delaiAnnulation: optionalTypedField,
  delaiReport: optionalTypedField,
  restriction: optionalTypedField,
  instructions: optionalTypedField,
  suiviUniquement: checkboxField,
  sectorisation: optionalTypedField,
  visibilite: optionalTypedField,
  rappel1: optionalTypedField,
  rappel2: optionalTypedField,
});

/** Archive, bring back, duplicate: only the CSRF token. */
export const emptyBody = z.object({});
