// Route schemas of the back office (structural layer, ADR 0012): wrong types, repeated fields and
// unknown enumerations are 400; the content (French messages, 422) is checked by domain/.
import { z } from 'zod';
import { checkboxField, integerIdField, optionalTypedField } from '../../platform/http/schemas.js';

/** The second factor's form: a code as typed. */
export const secondFactorBody = z.object({ code: optionalTypedField });

/** `/super-admin?fin=expiree&territoire=cree`: notices after a redirect. */
export const superAdminHomeQuery = z.object({ fin: z.enum(['expiree', 'retour']).optional(), territoire: z.enum(['cree', 'cree-sans-coordonnees']).optional() });

export const territoryBody = z.object({
  departement: optionalTypedField,
  nomTerritoire: optionalTypedField,
  regionFeries: optionalTypedField,
  nomOrganisation: optionalTypedField,
  nomLieu: optionalTypedField,
  adresseLieu: optionalTypedField,
  prenomAdmin: optionalTypedField,
  nomAdmin: optionalTypedField,
  emailAdmin: optionalTypedField,
});

export const territoryParams = z.object({ territoryId: integerIdField });
export const territoryAdminParams = z.object({ territoryId: integerIdField, agentId: integerIdField });
export const territoryAdminsQuery = z.object({ ajout: z.enum(['invite', 'ajoute']).optional(), retrait: z.enum(['fait']).optional() });

export const addAdminBody = z.object({ email: optionalTypedField, prenom: optionalTypedField, nom: optionalTypedField });
export const removeAdminBody = z.object({ confirmation: checkboxField });

export const agentSearchQuery = z.object({ q: z.string().max(200).optional() });
export const agentParams = z.object({ agentId: integerIdField });
export const impersonationBody = z.object({ motif: optionalTypedField });
