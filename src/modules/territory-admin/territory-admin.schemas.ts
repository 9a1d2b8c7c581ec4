// Route schemas of the territory administration (structural layer, ADR 0012): malformed
// requests get 400 (a repeated field, a wrong type, an unknown choice); what an admin typed is
// checked by domain/territory-forms.ts (422, French messages, input kept).
import { z } from 'zod';
import { checkboxField, integerIdField, optionalTypedField } from '../../platform/http/schemas.js';
import { USER_FIELDS } from '../../platform/db/schema.js';

export const territoryParams = z.object({ territoryId: integerIdField });
export const organisationParams = territoryParams.extend({ organisationId: integerIdField });
export const agentParams = territoryParams.extend({ agentId: integerIdField });
export const serviceParams = territoryParams.extend({ serviceId: integerIdField });
export const categoryParams = territoryParams.extend({ categoryId: integerIdField });
export const closureParams = territoryParams.extend({ closureId: integerIdField });

/** Only the CSRF token (which the security layer checks). */
export const emptyBody = z.object({});

export const organisationBody = z.object({
  nom: optionalTypedField,
  slug: optionalTypedField,
  telephone: optionalTypedField,
  email: optionalTypedField,
  siteWeb: optionalTypedField,
  identifiantExterne: optionalTypedField,
  fuseauHoraire: optionalTypedField,
});

const optionalId = z.union([z.literal(''), integerIdField]).optional().transform((value) => (value === '' ? undefined : value));

// eslint-disable-next-line no-control-regex -- a search never contains control characters (PostgreSQL refuses NUL)
const searchText = z.string().max(200, 'La recherche est trop longue : 200 caractères au plus.').regex(/^[^\u0000-\u001f\u007f]*$/, 'La recherche contient des caractères non autorisés.');

export const agentsQuery = z.object({ organisation: optionalId, recherche: searchText.optional() });

export const revokeBody = z.object({ confirmer: checkboxField });

export const addRoleBody = z.object({ organisation: optionalId, niveau: z.enum(['admin', 'basic', 'intervenant']).optional() });

export const inviteBody = z.object({
  organisation: optionalId,
  prenom: optionalTypedField,
  nom: optionalTypedField,
  email: optionalTypedField,
  niveau: z.enum(['basic', 'admin']).optional(),
  service: optionalId,
});

export const categoryBody = z.object({ nom: optionalTypedField, code: optionalTypedField });

/** Checked social fields: one value or a repeated field, each a known field. */
const userFieldList = z
  .union([z.enum(USER_FIELDS), z.array(z.enum(USER_FIELDS)).max(USER_FIELDS.length)])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? [...new Set(value)] : [value]));

export const directoryBody = z.object({
  champs: userFieldList,
  portee: z.enum(['organisation', 'territory']).optional(),
  motifObligatoire: checkboxField,
});

export const holidayRegionBody = z.object({ region: z.string().max(20).optional() });

export const closureBody = z.object({ debut: optionalTypedField, fin: optionalTypedField, libelle: optionalTypedField });
