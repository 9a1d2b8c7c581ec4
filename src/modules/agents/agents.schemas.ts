// Route schemas of the agent account pages (structural layer, ADR 0012).
import { z } from 'zod';
import { integerIdField, optionalTypedField } from '../../platform/http/schemas.js';

export const agentReturnQuery = z.object({ retour: z.string().max(2048).optional() });

export const agentSignInBody = z.object({ email: optionalTypedField, motDePasse: optionalTypedField, retour: z.string().max(2048).optional() });

/** `/agents/organisations/:organisationId/...`: an unknown or foreign id is a 404. */
export const organisationParams = z.object({ organisationId: integerIdField });
