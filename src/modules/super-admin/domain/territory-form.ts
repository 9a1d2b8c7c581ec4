// The « nouveau territoire » form (ADR 0032): a territory, its first organisation, its first
// place and its first territorial admin, checked as a whole with French messages per field.
// Pure: the route re-renders the form with the typed values on any error (422).
import { cleanPersonName, cleanPostalAddress, MAX_PERSON_NAME_LENGTH } from '../../../shared/text/free-text.js';
import { findDepartement, HOLIDAY_REGIONS, type Departement } from './departements.js';

export type FieldErrors = Record<string, string>;
export type FormCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldErrors };

/** The form's fields as posted (every one optional: an absent field is a 422, not a 400). */
export interface TerritoryFormInput {
  readonly departement?: string;
  readonly nomTerritoire?: string;
  readonly regionFeries?: string;
  readonly nomOrganisation?: string;
  readonly nomLieu?: string;
  readonly adresseLieu?: string;
  readonly prenomAdmin?: string;
  readonly nomAdmin?: string;
  readonly emailAdmin?: string;
}

export interface TerritoryForm {
  readonly departement: Departement;
  readonly territoryName: string;
  /** null: from the département. */
  readonly holidayRegion: string | null;
  readonly organisationName: string;
  readonly placeName: string;
  readonly placeAddress: string;
  readonly admin: { readonly firstName: string; readonly lastName: string; readonly email: string };
}

export const MAX_LABEL_LENGTH = 120;
// C0 and C1 controls, line separators and bidirectional overrides: never in a label.
// eslint-disable-next-line no-control-regex -- these characters are exactly what is refused
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A name of a territory, organisation or place: trimmed, single spaces, 2–120 characters, no controls. */
export function cleanLabel(value: string | undefined, messages: { empty: string; invalid: string }): { ok: true; value: string } | { ok: false; message: string } {
  const raw = value ?? '';
  if (CONTROL_CHARACTERS.test(raw)) return { ok: false, message: messages.invalid };
  const cleaned = raw.trim().replace(/ {2,}/g, ' ');
  if (cleaned === '') return { ok: false, message: messages.empty };
  if (cleaned.length > MAX_LABEL_LENGTH) return { ok: false, message: `Ce nom est trop long (${String(MAX_LABEL_LENGTH)} caractères au plus).` };
  if (cleaned.length < 2 || !/\p{L}/u.test(cleaned)) return { ok: false, message: messages.invalid };
  return { ok: true, value: cleaned };
}

function personName(value: string | undefined, label: string): { ok: true; value: string } | { ok: false; message: string } {
  const cleaned = cleanPersonName(value ?? '');
  if (cleaned.ok) return cleaned;
  switch (cleaned.problem) {
    case 'EMPTY':
      return { ok: false, message: `Saisissez le ${label} de l’administrateur.` };
    case 'TOO_LONG':
      return { ok: false, message: `Le ${label} est trop long (${String(MAX_PERSON_NAME_LENGTH)} caractères au plus).` };
    case 'INVALID':
      return { ok: false, message: `Le ${label} ne peut contenir que des lettres, des espaces, des apostrophes et des tirets.` };
  }
}

/** The whole form; `cleanEmail` is the agents module's rule for professional addresses. */
export function checkTerritoryForm(input: TerritoryFormInput, cleanEmail: (value: string | undefined) => { ok: true; value: string } | { ok: false; message: string }): FormCheck<TerritoryForm> {
  const errors: FieldErrors = {};
  const departement = findDepartement(input.departement ?? '');
  if (departement === undefined) {
    errors.departement = (input.departement ?? '').trim() === '' ? 'Saisissez le numéro du département.' : 'Saisissez un numéro de département français : 01 à 95, 2A, 2B, ou 971 à 976.';
  }
  const territoryName = cleanLabel(input.nomTerritoire, { empty: 'Saisissez le nom du territoire.', invalid: 'Le nom du territoire doit contenir des lettres, sans caractère de contrôle.' });
  if (!territoryName.ok) errors.nomTerritoire = territoryName.message;
  const region = HOLIDAY_REGIONS.find((candidate) => candidate.value === (input.regionFeries ?? ''));
  if (region === undefined) errors.regionFeries = 'Choisissez la région des jours fériés dans la liste.';
  const organisationName = cleanLabel(input.nomOrganisation, { empty: 'Saisissez le nom de la première organisation.', invalid: 'Le nom de l’organisation doit contenir des lettres, sans caractère de contrôle.' });
  if (!organisationName.ok) errors.nomOrganisation = organisationName.message;
  const placeName = cleanLabel(input.nomLieu, { empty: 'Saisissez le nom du premier lieu.', invalid: 'Le nom du lieu doit contenir des lettres, sans caractère de contrôle.' });
  if (!placeName.ok) errors.nomLieu = placeName.message;
  const address = cleanPostalAddress(input.adresseLieu ?? '');
  let placeAddress: string | undefined;
  if (!address.ok) errors.adresseLieu = address.problem === 'TOO_LONG' ? 'L’adresse est trop longue (200 caractères au plus).' : 'L’adresse ne peut contenir ni caractère de contrôle ni lien.';
  else if (address.value === null) errors.adresseLieu = 'Saisissez l’adresse du lieu, par exemple 12 rue de la Paix 77000 Melun.';
  else placeAddress = address.value;
  const firstName = personName(input.prenomAdmin, 'prénom');
  if (!firstName.ok) errors.prenomAdmin = firstName.message;
  const lastName = personName(input.nomAdmin, 'nom');
  if (!lastName.ok) errors.nomAdmin = lastName.message;
  const email = cleanEmail(input.emailAdmin);
  if (!email.ok) errors.emailAdmin = email.message;
  if (departement === undefined || !territoryName.ok || region === undefined || !organisationName.ok || !placeName.ok || placeAddress === undefined || !firstName.ok || !lastName.ok || !email.ok) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      departement,
      territoryName: territoryName.value,
      holidayRegion: region.value === '' ? null : region.value,
      organisationName: organisationName.value,
      placeName: placeName.value,
      placeAddress,
      admin: { firstName: firstName.value, lastName: lastName.value, email: email.value },
    },
  };
}

/** A URL slug for an organisation's public link: lower-case ASCII words joined by dashes, 60 characters at most. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'organisation' : slug;
}

/** The impersonation reason: 1 to 500 characters once trimmed, no control characters except none. */
export const MAX_IMPERSONATION_REASON_LENGTH = 500;

export function checkImpersonationReason(value: string | undefined): { ok: true; value: string } | { ok: false; message: string } {
  const raw = value ?? '';
  if (CONTROL_CHARACTERS.test(raw.replace(/\r?\n/g, ' '))) return { ok: false, message: 'Le motif ne peut pas contenir de caractère de contrôle.' };
  const cleaned = raw.replace(/\s+/g, ' ').trim();
  if (cleaned === '') return { ok: false, message: 'Saisissez le motif de la connexion en tant que cet agent (il est journalisé).' };
  if (cleaned.length > MAX_IMPERSONATION_REASON_LENGTH) return { ok: false, message: `Le motif est trop long (${String(MAX_IMPERSONATION_REASON_LENGTH)} caractères au plus).` };
  return { ok: true, value: cleaned };
}
