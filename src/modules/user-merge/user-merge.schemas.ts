// Route schemas of the merge pages (structural layer, ADR 0012): ids in paths and in `avec`, one
// bounded string per field, the confirmation key and the comparison's fingerprint in exact formats.
// A choice is `conserve` (the kept usager's value) or `fusionne` (the merged one's).
import { z } from 'zod';
import { idempotencyKeyField, integerIdField, optionalTypedField } from '../../platform/http/schemas.js';
import { organisationParams } from '../agents/index.js';
import { MERGE_FIELDS, type MergeField } from './domain/merge-plan.js';

/** The name of each field's radio group in the form. */
export const FIELD_INPUT_NAMES: Readonly<Record<MergeField, string>> = {
  firstName: 'prenom',
  lastName: 'nom',
  birthName: 'nomNaissance',
  birthDate: 'naissance',
  email: 'email',
  phone: 'telephone',
  address: 'adresse',
  notifyBySms: 'notificationsSms',
  notifyByEmail: 'notificationsEmail',
  caisseAffiliation: 'caisse',
  affiliationNumber: 'numeroAllocataire',
  familySituation: 'situationFamiliale',
  numberOfChildren: 'enfants',
  housing: 'logement',
  caseNumber: 'numeroDossier',
};

export const userParams = organisationParams.extend({ userId: integerIdField });

/** `?avec=<id>` (the other usager) or `?recherche=` (find them among the visible usagers). */
export const mergeQuery = z.object({ avec: integerIdField.optional(), recherche: z.string().max(200).optional() });

const choiceField = z.enum(['conserve', 'fusionne']).optional();

export const mergeBody = z.object({
  avec: integerIdField,
  cle: idempotencyKeyField,
  empreinte: z.string().regex(/^[0-9a-f]{64}$/),
  ...(Object.fromEntries(MERGE_FIELDS.map((field) => [FIELD_INPUT_NAMES[field], choiceField])) as Record<string, typeof choiceField>),
});

/** POST fusionner/motif: the other usager and the reason for reading both records. */
export const mergeReasonBody = z.object({ avec: integerIdField, motif: optionalTypedField });
