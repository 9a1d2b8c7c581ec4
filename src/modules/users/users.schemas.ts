// Route schemas of the users directory (structural layer, ADR 0012): malformed requests get 400;
// what an agent typed is checked by domain/user-form.ts (422).
import { z } from 'zod';
import { checkboxField, integerIdField, optionalTypedField, returnAddressField } from '../../platform/http/schemas.js';
import { organisationParams } from '../agents/index.js';
import { MAX_SEARCH_LENGTH } from './domain/search-query.js';

export const userParams = organisationParams.extend({ userId: integerIdField });

const idText = z.string().regex(/^[1-9]\d{0,9}$/);

// eslint-disable-next-line no-control-regex -- a search never contains control characters (PostgreSQL refuses NUL)
export const searchQuery = z.object({ recherche: z.string().max(MAX_SEARCH_LENGTH, 'La recherche est trop longue : 200 caractères au plus.').regex(/^[^\u0000-\u001f\u007f]*$/, 'La recherche contient des caractères non autorisés.').optional() });

export const newUserQuery = z.object({ responsable: idText.transform(Number).optional(), retour: returnAddressField });

/** The acknowledged duplicates: repeated hidden fields. */
const idListField = z
  .union([idText, z.array(idText).max(50)])
  .transform((value) => (Array.isArray(value) ? value : [value]).map(Number));

export const userFormBody = z.object({
  prenom: optionalTypedField,
  nom: optionalTypedField,
  nomNaissance: optionalTypedField,
  naissance: optionalTypedField,
  email: optionalTypedField,
  telephone: optionalTypedField,
  adresse: optionalTypedField,
  notifSms: checkboxField,
  notifEmail: checkboxField,
  caisse: optionalTypedField,
  numeroAllocataire: optionalTypedField,
  situationFamiliale: optionalTypedField,
  nombreEnfants: optionalTypedField,
  logement: optionalTypedField,
  numeroDossier: optionalTypedField,
  notes: optionalTypedField,
  responsable: idText.transform(Number).optional(),
  doublons: idListField.optional(),
  confirmerDoublon: checkboxField,
  /** Where to go once created (checked by the route: a local page of the organisation). */
  retour: returnAddressField,
});

export const reasonBody = z.object({ motif: optionalTypedField });

/** POST …/retirer: only the CSRF token. */
export const removeBody = z.object({});
