// The organisation's details form (name, contacts, public link, external id), checked by pure
// rules: 422 with French messages per field and the input kept.
import { parseFrenchPhone } from '../../../shared/text/phone.js';
import { emailAddress, oneLine, type FieldErrors, type FormResult } from './form-fields.js';

export interface OrganisationFormInput {
  readonly nom: string;
  readonly telephone: string;
  readonly email: string;
  readonly siteWeb: string;
  readonly lienPublic: string;
  readonly identifiantExterne: string;
}

export interface OrganisationFormValue {
  readonly name: string;
  readonly phoneNumber: string | null;
  readonly email: string | null;
  readonly website: string | null;
  readonly slug: string;
  readonly externalId: string | null;
}

/** The public link's slug: lowercase letters, digits and single hyphens (what `/org/:slug` accepts). */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** What `/org/:departement/externe/:externalId` accepts. */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

export const SLUG_TAKEN_MESSAGE = 'Ce lien public est déjà celui d’une autre organisation : choisissez-en un autre.';
export const EXTERNAL_ID_TAKEN_MESSAGE = 'Cet identifiant externe est déjà celui d’une autre organisation du territoire.';

/** A website: an http(s) address of a host, 300 characters at most. */
function website(value: string): { ok: true; value: string | null } | { ok: false } {
  const line = oneLine(value, 300);
  if (!line.ok) return { ok: false };
  if (line.value === null) return { ok: true, value: null };
  let url: URL;
  try {
    url = new URL(line.value);
  } catch {
    return { ok: false };
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname.includes('.') || url.username !== '' || url.password !== '' || /\s/.test(line.value)) return { ok: false };
  return { ok: true, value: line.value };
}

export function checkOrganisationForm(input: OrganisationFormInput): FormResult<OrganisationFormValue> {
  const errors: FieldErrors = {};
  const name = oneLine(input.nom, 200);
  if (!name.ok) errors.nom = 'Nom invalide : 200 caractères au plus, sur une ligne.';
  else if (name.value === null) errors.nom = 'Saisissez le nom de l’organisation.';

  let phoneNumber: string | null = null;
  const phoneText = input.telephone.trim();
  if (phoneText !== '') {
    if (phoneText.length > 30 || parseFrenchPhone(phoneText) === null) errors.telephone = 'Numéro de téléphone invalide. Exemples : 01 64 87 00 00, +262 262 12 34 56.';
    else phoneNumber = phoneText;
  }
  const email = emailAddress(input.email);
  if (!email.ok) errors.email = 'Adresse e-mail invalide. Exemple : accueil@departement.fr.';
  const site = website(input.siteWeb);
  if (!site.ok) errors.siteWeb = 'Site internet invalide : une adresse commençant par https://, 300 caractères au plus.';

  const slug = input.lienPublic.trim();
  if (slug === '') errors.lienPublic = 'Saisissez le lien public de l’organisation, par exemple « mds-melun ».';
  else if (slug.length < 3 || slug.length > 100 || !SLUG_PATTERN.test(slug)) {
    errors.lienPublic = 'Lien public invalide : de 3 à 100 lettres minuscules sans accent, chiffres et tirets simples, par exemple « mds-melun ».';
  }
  const externalText = input.identifiantExterne.trim();
  if (externalText !== '' && !EXTERNAL_ID_PATTERN.test(externalText)) {
    errors.identifiantExterne = 'Identifiant externe invalide : 100 caractères au plus, lettres sans accent, chiffres et « _ . : - ».';
  }
  if (Object.keys(errors).length > 0 || !name.ok || name.value === null || !email.ok || !site.ok) return { ok: false, errors };
  return { ok: true, value: { name: name.value, phoneNumber, email: email.value, website: site.value, slug, externalId: externalText === '' ? null : externalText } };
}
