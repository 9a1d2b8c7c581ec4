// Route schemas of opening periods and absences (structural layer, ADR 0012): ids in paths,
// bounded strings in bodies. What a person typed is checked by domain/schedule-forms.ts (422).
import { z } from 'zod';
import { checkboxField, integerIdField, isoDateField, optionalTypedField } from '../../platform/http/schemas.js';
import { organisationParams } from '../agents/index.js';

/** A short form value (an id, a time, a date, a choice); its meaning is checked by the form rules. */
const shortField = z.string().max(40).optional();

/** A field that may be ticked several times (checkbox lists): one value or an array, as a list. */
function listField(max: number): z.ZodType<string[]> {
  return z
    .union([z.string().max(40), z.array(z.string().max(40)).max(max)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
}

export const periodParams = organisationParams.extend({ periodId: integerIdField });
export const occurrenceParams = periodParams.extend({ date: isoDateField });
export const absenceParams = organisationParams.extend({ absenceId: integerIdField });

/** `?agent=` another agent of the organisation (default: the signed-in agent). */
export const agentQuery = z.object({ agent: integerIdField.optional() });

/** `?du=&au=`: the days of the occurrences page. */
export const occurrencesQuery = z.object({ du: isoDateField.optional(), au: isoDateField.optional() });

const recurrenceBody = {
  repetition: shortField,
  jours: listField(7),
  intervalleSemaines: shortField,
  intervalleMois: shortField,
  rang: shortField,
  jourDuMois: shortField,
  fin: shortField,
  dateFin: shortField,
  nombreOccurrences: shortField,
  confirmerAvertissements: checkboxField,
};

export const periodBody = z.object({
  titre: optionalTypedField,
  agent: shortField,
  lieu: shortField,
  motifs: listField(200),
  premierJour: shortField,
  heureDebut: shortField,
  heureFin: shortField,
  ...recurrenceBody,
});
export type PeriodBody = z.infer<typeof periodBody>;

export const moveOccurrenceBody = z.object({ heureDebut: shortField, heureFin: shortField, lieu: shortField });

export const absenceBody = z.object({
  titre: optionalTypedField,
  agents: listField(500),
  premierJour: shortField,
  heureDebut: shortField,
  jourFin: shortField,
  heureFin: shortField,
  journeeEntiere: checkboxField,
  ...recurrenceBody,
});
export type AbsenceBody = z.infer<typeof absenceBody>;

export const emptyBody = z.object({});
