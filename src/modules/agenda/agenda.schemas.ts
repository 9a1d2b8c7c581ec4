// Route schemas of the agenda (structural layer, ADR 0012): malformed values answer 400, ids in
// the path 404. Ids that are well formed but foreign or hidden are the use cases' 404.
import { z } from 'zod';
import { integerIdField, isoDateField } from '../../platform/http/schemas.js';
import { parseIsoDate } from '../../shared/time/index.js';
import { organisationParams } from '../agents/index.js';
import { AGENDA_VIEWS } from './domain/agenda-range.js';
import { STATUS_FILTERS } from './domain/appointment-status.js';
import { MAX_AGENDA_AGENTS } from './agenda.use-cases.js';

/** Days an agenda may show: years 1900–2199 (a date picker's typo beyond is a 400, not a computation). */
const MIN_DAY = parseIsoDate('1900-01-01') ?? 0;
const MAX_DAY = parseIsoDate('2199-12-31') ?? 0;

/** A real calendar day `YYYY-MM-DD`, transformed to its day number. */
export const dayField = isoDateField.transform((text, context) => {
  const day = parseIsoDate(text);
  if (day === null || day < MIN_DAY || day > MAX_DAY) {
    context.addIssue({ code: 'custom', message: 'Date invalide' });
    return z.NEVER;
  }
  return day;
});

/** A select's "all" option sends an empty value: absent. */
function optionalOrEmpty<T extends z.ZodType>(field: T): z.ZodOptional<z.ZodUnion<readonly [z.ZodLiteral<''>, T]>> {
  return z.union([z.literal(''), field]).optional();
}

/**
 * GET …/agenda. `agents` is repeated (`agents=12&agents=15`), as the selector's checkboxes send
 * it; at most 20. `lieu` (a place) wins over `agents`.
 */
export const agendaQuery = z.object({
  vue: z.enum(AGENDA_VIEWS).optional(),
  date: optionalOrEmpty(dayField),
  agents: z.union([integerIdField, z.array(integerIdField).min(1).max(MAX_AGENDA_AGENTS)]).optional(),
  lieu: optionalOrEmpty(integerIdField),
});

/**
 * The list's filter fields; `du=` (present but empty) means "no lower bound". The list's query
 * and the exports' form (exports module) are both made of these fields.
 */
export const appointmentListFilterFields = {
  agent: optionalOrEmpty(integerIdField),
  motif: optionalOrEmpty(integerIdField),
  lieu: optionalOrEmpty(integerIdField),
  statut: optionalOrEmpty(z.enum(STATUS_FILTERS)),
  du: optionalOrEmpty(dayField),
  au: optionalOrEmpty(dayField),
};

/** GET …/rdv: the list's filters and the page. */
export const appointmentListQuery = z.object({
  ...appointmentListFilterFields,
  page: z.string().regex(/^[1-9]\d{0,3}$/).transform(Number).optional(),
});

/** GET …/lieux/:placeId/journee */
export const placeParams = organisationParams.extend({ placeId: integerIdField });
export const daySheetQuery = z.object({ date: optionalOrEmpty(dayField) });

export { organisationParams };
