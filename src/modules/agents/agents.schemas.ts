// Route schemas of the agent account pages (structural layer, ADR 0012).
import { z } from 'zod';
import { integerIdField, linkTokenField, optionalTypedField } from '../../platform/http/schemas.js';

export const agentReturnQuery = z.object({ retour: z.string().max(2048).optional() });

export const agentSignInBody = z.object({ email: optionalTypedField, motDePasse: optionalTypedField, retour: z.string().max(2048).optional() });

/** `/agents/organisations/:organisationId/...`: an unknown or foreign id is a 404. */
export const organisationParams = z.object({ organisationId: integerIdField });

/** A `<select>` of ids: the empty first option means nothing chosen (the form rule says so, 422). */
const optionalChosenIdField = z.union([z.literal('').transform(() => undefined), integerIdField]).optional();

/** The invitation form (`niveau`: the two levels an invitation gives; anything else is not this form). */
export const invitationBody = z.object({
  prenom: optionalTypedField,
  nom: optionalTypedField,
  email: optionalTypedField,
  niveau: z.enum(['basic', 'admin']).optional(),
  service: optionalChosenIdField,
});

/** An e-mailed link as opened (GET shows a form, never acts). */
export const agentLinkQuery = z.object({ jeton: linkTokenField });

/** A password chosen through an e-mailed link, typed twice; the token comes back in a hidden field. */
export const chosenPasswordBody = z.object({ jeton: linkTokenField, motDePasse: optionalTypedField, confirmation: optionalTypedField });

/** The forgotten-password form. */
export const agentEmailBody = z.object({ email: optionalTypedField });
