// Route schemas of agents administration and teams (structural layer, ADR 0012): malformed
// requests get 400; what the admin typed is checked by domain/ (422, French messages).
import { z } from 'zod';
import { integerIdField, optionalTypedField } from '../../platform/http/schemas.js';
import { organisationParams } from '../agents/index.js';

export const agentParams = organisationParams.extend({ agentId: integerIdField });
export const teamParams = organisationParams.extend({ teamId: integerIdField });
export const teamMemberParams = teamParams.extend({ agentId: integerIdField });

/** Checkboxes of services: one value or several (repeated field), ids only, bounded. */
const serviceIdsField = z
  .union([integerIdField, z.array(integerIdField).max(50)])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

export const intervenantBody = z.object({ prenom: optionalTypedField, nom: optionalTypedField, services: serviceIdsField });

export const agentAccessBody = z.object({ niveau: z.string().max(40).optional(), services: serviceIdsField, email: optionalTypedField });

/** Forms with only the CSRF token (re-send an invitation, confirm a removal, delete a team, remove a member). */
export const emptyBody = z.object({});

export const teamNameBody = z.object({ nom: optionalTypedField });

/** « Ajouter un membre »: an agent id; the empty first option means nothing chosen (422). */
export const teamMemberBody = z.object({ agent: z.union([z.literal('').transform(() => undefined), integerIdField]).optional() });

export const noticeQuery = z.object({ info: z.enum(['cree', 'enregistre', 'invitation', 'ajoute', 'renvoyee', 'retire', 'desactive', 'equipe-creee', 'equipe-renommee', 'equipe-supprimee', 'membre-ajoute', 'membre-retire']).optional() });
