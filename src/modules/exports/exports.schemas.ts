// Route schemas of the exports (structural layer, ADR 0012): malformed requests get 400, ids
// in the path 404. The filter fields are the appointment list's own (agenda module).
import { z } from 'zod';
import { optionalTypedField } from '../../platform/http/schemas.js';
import { appointmentListFilterFields } from '../agenda/index.js';
import { organisationParams } from '../agents/index.js';

/** The kinds as the forms name them, and as the table stores them. */
export const EXPORT_TYPES = { 'rendez-vous': 'appointments', participations: 'participations' } as const;

/** POST …/exports: the kind, the list's filters, and the reason when the territory asks for one. */
export const exportRequestBody = z.object({
  type: z.enum(['rendez-vous', 'participations']),
  ...appointmentListFilterFields,
  raison: optionalTypedField,
});

/** GET …/exports/:publicId/fichier: 32 lowercase hex digits (a UUID without dashes). */
export const exportFileParams = organisationParams.extend({ publicId: z.string().regex(/^[0-9a-f]{32}$/) });

export { organisationParams };
