// Route schema of the slot search (structural layer, ADR 0012): malformed values answer 400;
// well-formed ids that are foreign or hidden are the use case's 404; the form's rules its 422.
import { z } from 'zod';
import { integerIdField, isoDateField } from '../../platform/http/schemas.js';
import { parseIsoDate } from '../../shared/time/index.js';
import { organisationParams } from '../agents/index.js';

/** Bounds of the repeated checkboxes (more is not a form anyone filled in). */
export const MAX_SEARCH_AGENTS = 30;
export const MAX_SEARCH_TEAMS = 20;
export const MAX_SEARCH_PLACES = 50;

/** A repeated checkbox: one value or up to `max`, as an array of ids. */
function idsField(max: number) {
  return z
    .union([integerIdField, z.array(integerIdField).min(1).max(max)])
    .transform((value) => [...new Set(Array.isArray(value) ? value : [value])])
    .optional();
}

/** A select's empty option, or an id. */
const optionalIdField = z.union([z.literal(''), integerIdField]).optional();

/** A real calendar day `YYYY-MM-DD` (years 1900–2199), as its day number; empty = today. */
const dayField = z
  .union([
    z.literal(''),
    isoDateField.transform((text, context) => {
      const day = parseIsoDate(text);
      if (day === null || text < '1900-01-01' || text > '2199-12-31') {
        context.addIssue({ code: 'custom', message: 'Date invalide' });
        return z.NEVER;
      }
      return day;
    }),
  ])
  .optional();

/** GET …/creneaux */
export const slotSearchQuery = z.object({
  motif: optionalIdField,
  agents: idsField(MAX_SEARCH_AGENTS),
  equipes: idsField(MAX_SEARCH_TEAMS),
  lieux: idsField(MAX_SEARCH_PLACES),
  binome: optionalIdField,
  du: dayField,
});

export { organisationParams };
