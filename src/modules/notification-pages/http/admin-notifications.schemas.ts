// Route schemas of the notifications admin pages (structural layer, ADR 0012): ids in paths, one
// bounded string per field. What the admin chose or typed is checked by the use cases (422 with
// French messages), so that a bad filter or field value never answers 500.
import { z } from 'zod';
import { integerIdField, optionalTypedField } from '../../../platform/http/schemas.js';
import { organisationParams } from '../../agents/index.js';
import { allCredentialFieldNames } from '../admin-territory-settings.js';

export const notificationParams = organisationParams.extend({ notificationId: integerIdField });

/** A filter value as received: its meaning is checked by `parseLogFilters`. */
const filterField = z.string().max(200).optional();

/** `?statut=&canal=&evenement=&du=&au=&avant=` of the log. */
export const logQuery = z.object({ statut: filterField, canal: filterField, evenement: filterField, du: filterField, au: filterField, avant: filterField });
export type LogQuery = z.infer<typeof logQuery>;

export const emptyBody = z.object({});

/** The settings form: known fields only, each one string at most MAX_TYPED_FIELD_LENGTH long. */
export const settingsBody = z.object({
  fournisseur: optionalTypedField,
  expediteur: optionalTypedField,
  secours: optionalTypedField,
  seuilCredits: optionalTypedField,
  mailExpediteur: optionalTypedField,
  mailReponse: optionalTypedField,
  ...Object.fromEntries(allCredentialFieldNames().map((name) => [name, optionalTypedField])),
});

export const testSmsBody = z.object({ numero: optionalTypedField });
