// What a territorial admin types in the territory's forms (organisation, local closure, motif
// category, holiday region, directory settings), with French messages (422, input kept). Pure:
// the route schemas only check the structure, these check the content (ADR 0030).
import { isoDateToDayNumber, isValidTimeZone, parseIsoDate } from '../../../shared/time/index.js';

export type FieldErrors = Record<string, string>;
export type FormCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldErrors };

// C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides.
// eslint-disable-next-line no-control-regex -- these characters are exactly what is refused
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const EXTERNAL_ID = /^[A-Za-z0-9_.:/-]+$/;
const PHONE = /^\+?[0-9][0-9 .()-]{5,28}$/;
/** The database's own rule for organisation zones (organisation_time_zone_is_iana). */
const IANA_ZONE = /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)+$|^UTC$/;

export const MAX_ORGANISATION_NAME_LENGTH = 200;
export const MAX_SLUG_LENGTH = 80;
export const MAX_CLOSURE_LABEL_LENGTH = 200;
/** A closure is at most a year long (territory_closure_lasts_at_most_a_year). */
export const MAX_CLOSURE_DAYS = 367;

/** One line of text: trimmed, single spaces, no control characters; empty gives ''. */
function oneLine(value: string | undefined): { ok: true; value: string } | { ok: false } {
  const raw = value ?? '';
  if (CONTROL_CHARACTERS.test(raw)) return { ok: false };
  return { ok: true, value: raw.trim().replace(/ {2,}/g, ' ') };
}

export interface OrganisationInput {
  readonly nom?: string | undefined;
  readonly slug?: string | undefined;
  readonly telephone?: string | undefined;
  readonly email?: string | undefined;
  readonly siteWeb?: string | undefined;
  readonly identifiantExterne?: string | undefined;
  readonly fuseauHoraire?: string | undefined;
}

export interface OrganisationForm {
  readonly name: string;
  readonly slug: string;
  readonly phoneNumber: string | null;
  readonly email: string | null;
  readonly website: string | null;
  readonly externalId: string | null;
  readonly timeZone: string;
}

/**
 * The organisation form. `defaultTimeZone` is the département's zone, used when the field is left
 * blank; any other IANA zone the runtime knows overrides it.
 */
export function checkOrganisationForm(input: OrganisationInput, defaultTimeZone: string): FormCheck<OrganisationForm> {
  const errors: FieldErrors = {};
  const name = oneLine(input.nom);
  if (!name.ok) errors.nom = 'Le nom ne peut pas contenir de caractères de contrôle.';
  else if (name.value === '') errors.nom = 'Saisissez le nom de l’organisation.';
  else if (name.value.length > MAX_ORGANISATION_NAME_LENGTH) errors.nom = `Le nom est trop long (${String(MAX_ORGANISATION_NAME_LENGTH)} caractères au plus).`;

  const slug = (input.slug ?? '').trim().toLowerCase();
  if (slug === '') errors.slug = 'Saisissez l’identifiant du lien public, par exemple mds-melun.';
  else if (slug.length > MAX_SLUG_LENGTH || slug.length < 2 || !SLUG.test(slug))
    errors.slug = `L’identifiant du lien public ne contient que des lettres minuscules sans accent, des chiffres et des tirets (2 à ${String(MAX_SLUG_LENGTH)} caractères), par exemple mds-melun.`;

  const phone = oneLine(input.telephone);
  if (!phone.ok || (phone.value !== '' && !PHONE.test(phone.value))) errors.telephone = 'Saisissez un numéro de téléphone valide, par exemple 01 64 00 00 01.';

  const email = (input.email ?? '').trim().toLowerCase();
  if (email !== '' && (email.length > 254 || !EMAIL.test(email))) errors.email = 'Saisissez une adresse e-mail valide, par exemple contact@departement.fr.';

  const website = (input.siteWeb ?? '').trim();
  if (website !== '' && !isWebAddress(website)) errors.siteWeb = 'Saisissez l’adresse complète du site, commençant par https://, par exemple https://www.departement.fr.';

  const externalId = (input.identifiantExterne ?? '').trim();
  if (externalId !== '' && (externalId.length > 100 || !EXTERNAL_ID.test(externalId)))
    errors.identifiantExterne = 'L’identifiant externe ne contient que des lettres sans accent, des chiffres et les signes - _ . : / (100 caractères au plus).';

  const zoneTyped = (input.fuseauHoraire ?? '').trim();
  const timeZone = zoneTyped === '' ? defaultTimeZone : zoneTyped;
  if (timeZone.length > 64 || !IANA_ZONE.test(timeZone) || !isValidTimeZone(timeZone)) errors.fuseauHoraire = 'Choisissez un fuseau horaire valide, par exemple Europe/Paris ou Indian/Reunion.';

  if (Object.keys(errors).length > 0 || !name.ok || !phone.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name: name.value,
      slug,
      phoneNumber: phone.value === '' ? null : phone.value,
      email: email === '' ? null : email,
      website: website === '' ? null : website,
      externalId: externalId === '' ? null : externalId,
      timeZone,
    },
  };
}

function isWebAddress(value: string): boolean {
  if (value.length > 500 || CONTROL_CHARACTERS.test(value) || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export interface ClosureForm {
  readonly firstDay: string;
  readonly lastDay: string;
  readonly label: string;
}

const DATE_MESSAGE = 'Saisissez une date valide au format jj/mm/aaaa, entre 2000 et 2100.';

/** A day of a closure: an existing date between 2000 and 2100 (the slot engine's horizon is far shorter). */
function closureDay(text: string): number | null {
  const day = parseIsoDate(text);
  const year = Number(text.slice(0, 4));
  return day === null || year < 2000 || year > 2100 ? null : day;
}

/** A local closure: a first day, an optional last day (blank: the same day), a label. */
export function checkClosureForm(input: { debut?: string | undefined; fin?: string | undefined; libelle?: string | undefined }): FormCheck<ClosureForm> {
  const errors: FieldErrors = {};
  const firstText = (input.debut ?? '').trim();
  const lastText = (input.fin ?? '').trim() === '' ? firstText : (input.fin ?? '').trim();
  const first = firstText === '' ? null : closureDay(firstText);
  const last = lastText === '' ? null : closureDay(lastText);
  if (firstText === '') errors.debut = 'Saisissez le premier jour de la fermeture.';
  else if (first === null) errors.debut = DATE_MESSAGE;
  if (first !== null && last === null) errors.fin = DATE_MESSAGE;
  else if (first !== null && last !== null && last < first) errors.fin = 'Le dernier jour doit être le premier jour ou après.';
  else if (first !== null && last !== null && last - first >= MAX_CLOSURE_DAYS) errors.fin = 'Une fermeture dure au plus un an.';
  const label = oneLine(input.libelle);
  if (!label.ok) errors.libelle = 'Le libellé ne peut pas contenir de caractères de contrôle.';
  else if (label.value === '') errors.libelle = 'Saisissez le libellé de la fermeture, par exemple « Fermeture exceptionnelle ».';
  else if (label.value.length > MAX_CLOSURE_LABEL_LENGTH) errors.libelle = `Le libellé est trop long (${String(MAX_CLOSURE_LABEL_LENGTH)} caractères au plus).`;
  if (Object.keys(errors).length > 0 || !label.ok) return { ok: false, errors };
  return { ok: true, value: { firstDay: firstText, lastDay: lastText, label: label.value } };
}

/** Days of a closure, for display. */
export function closureLength(closure: { firstDay: string; lastDay: string }): number {
  return isoDateToDayNumber(closure.lastDay) - isoDateToDayNumber(closure.firstDay) + 1;
}

export interface CategoryForm {
  readonly name: string;
  readonly shortName: string;
}

const SHORT_NAME = /^[a-z0-9]+(_[a-z0-9]+)*$/;

/** A new motif category: a name, and a code (lower case, underscores) invitations refer to. */
export function checkCategoryForm(input: { nom?: string | undefined; code?: string | undefined }): FormCheck<CategoryForm> {
  const errors: FieldErrors = {};
  const name = oneLine(input.nom);
  if (!name.ok) errors.nom = 'Le nom ne peut pas contenir de caractères de contrôle.';
  else if (name.value === '') errors.nom = 'Saisissez le nom de la catégorie, par exemple « RSA orientation ».';
  else if (name.value.length > 100) errors.nom = 'Le nom est trop long (100 caractères au plus).';
  const code = (input.code ?? '').trim().toLowerCase();
  if (code === '') errors.code = 'Saisissez le code de la catégorie, par exemple rsa_orientation.';
  else if (code.length > 50 || !SHORT_NAME.test(code)) errors.code = 'Le code ne contient que des lettres minuscules sans accent, des chiffres et des tirets bas (50 caractères au plus), par exemple rsa_orientation.';
  if (Object.keys(errors).length > 0 || !name.ok) return { ok: false, errors };
  return { ok: true, value: { name: name.value, shortName: code } };
}

/** The holiday regions a territory may choose (date-holidays codes; '' = from the département). */
export const HOLIDAY_REGIONS: readonly { readonly code: string; readonly label: string }[] = [
  { code: '', label: 'Selon le département (automatique)' },
  { code: 'FR', label: 'France métropolitaine (11 jours fériés nationaux)' },
  { code: 'FR-57', label: 'Alsace-Moselle — Moselle (Vendredi saint, 26 décembre)' },
  { code: 'FR-67', label: 'Alsace-Moselle — Bas-Rhin (Vendredi saint, 26 décembre)' },
  { code: 'FR-68', label: 'Alsace-Moselle — Haut-Rhin (Vendredi saint, 26 décembre)' },
  { code: 'FR-GP', label: 'Guadeloupe' },
  { code: 'FR-MQ', label: 'Martinique' },
  { code: 'FR-GF', label: 'Guyane' },
  { code: 'FR-RE', label: 'La Réunion' },
  { code: 'FR-YT', label: 'Mayotte' },
  { code: 'FR-BL', label: 'Saint-Barthélemy' },
  { code: 'FR-MF', label: 'Saint-Martin' },
  { code: 'PM', label: 'Saint-Pierre-et-Miquelon' },
];

/** The holiday region chosen: null (from the département) or one of HOLIDAY_REGIONS. */
export function checkHolidayRegion(value: string | undefined): FormCheck<string | null> {
  const code = (value ?? '').trim();
  if (!HOLIDAY_REGIONS.some((region) => region.code === code)) return { ok: false, errors: { region: 'Choisissez une région dans la liste.' } };
  return { ok: true, value: code === '' ? null : code };
}
