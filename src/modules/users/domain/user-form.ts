// The usager form of the directory (create and edit), checked by pure rules: 422 with French
// field messages and the input kept (ADR 0012). Only the social fields the territory enables are
// read; the others keep their stored value.
import { cleanPersonName, cleanPostalAddress } from '../../../shared/text/free-text.js';
import { parseFrenchPhone } from '../../../shared/text/phone.js';
import { parseIsoDate } from '../../../shared/time/index.js';

export type FieldErrors = Record<string, string>;
export type FormResult<Value> = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly errors: FieldErrors };

/** The optional social fields a territory may enable (the columns of migration 0012; `notes` is the profile's). */
export type UserField = 'caisse_affiliation' | 'affiliation_number' | 'family_situation' | 'number_of_children' | 'housing' | 'case_number' | 'notes';

export const MAX_NOTES_LENGTH = 5000;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex -- control characters are refused (line breaks allowed in notes only)
const CONTROL_CHARACTERS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- a one-line field refuses line breaks too
const LINE_CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export const CAISSE_LABELS = { caf: 'CAF', msa: 'MSA' } as const;
export const FAMILY_SITUATION_LABELS = { single: 'Célibataire', in_a_relationship: 'En couple', divorced: 'Divorcé(e) ou séparé(e)', widowed: 'Veuf ou veuve' } as const;
export const HOUSING_LABELS = { tenant: 'Locataire', owner: 'Propriétaire', hosted: 'Hébergé(e)', homeless: 'Sans domicile', other: 'Autre' } as const;
export const USER_FIELD_LABELS: Readonly<Record<UserField, string>> = {
  caisse_affiliation: 'Caisse d’allocations (CAF ou MSA)',
  affiliation_number: 'Numéro d’allocataire',
  family_situation: 'Situation familiale',
  number_of_children: 'Nombre d’enfants',
  housing: 'Logement',
  case_number: 'Numéro de dossier',
  notes: 'Remarques de l’organisation',
};

/** The form as typed (every field a string, absent ones empty). */
export interface UserFormInput {
  readonly prenom: string;
  readonly nom: string;
  readonly nomNaissance: string;
  readonly naissance: string;
  readonly email: string;
  readonly telephone: string;
  readonly adresse: string;
  readonly notifSms: boolean;
  readonly notifEmail: boolean;
  readonly caisse: string;
  readonly numeroAllocataire: string;
  readonly situationFamiliale: string;
  readonly nombreEnfants: string;
  readonly logement: string;
  readonly numeroDossier: string;
  readonly notes: string;
}

export interface SocialFieldsValue {
  readonly caisse_affiliation?: 'caf' | 'msa' | null;
  readonly affiliation_number?: string | null;
  readonly family_situation?: keyof typeof FAMILY_SITUATION_LABELS | null;
  readonly number_of_children?: number | null;
  readonly housing?: keyof typeof HOUSING_LABELS | null;
  readonly case_number?: string | null;
}

export interface UserFormValue {
  readonly firstName: string;
  readonly lastName: string;
  readonly birthName: string | null;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly phoneNumberE164: string | null;
  readonly address: string | null;
  readonly notifyBySms: boolean;
  readonly notifyByEmail: boolean;
  /** Only the enabled fields (a key absent: not edited here). */
  readonly social: SocialFieldsValue;
  /** The organisation's notes, when the territory enables them; undefined: not edited. */
  readonly notes: string | null | undefined;
}

const NAME_MESSAGE = 'lettres, espaces, apostrophes et tirets, 100 caractères au plus.';

function shortText(value: string, max: number): { ok: true; value: string | null } | { ok: false } {
  const cleaned = value.trim().replace(/ {2,}/g, ' ');
  if (LINE_CONTROL_CHARACTERS.test(value) || cleaned.length > max) return { ok: false };
  return { ok: true, value: cleaned === '' ? null : cleaned };
}

function choice<Key extends string>(value: string, labels: Readonly<Record<Key, string>>): { ok: true; value: Key | null } | { ok: false } {
  if (value === '') return { ok: true, value: null };
  return Object.hasOwn(labels, value) ? { ok: true, value: value as Key } : { ok: false };
}

/** Checks the form; `today` bounds the birth date, `enabled` says which social fields are read. */
export function checkUserForm(input: UserFormInput, today: string, enabled: readonly UserField[]): FormResult<UserFormValue> {
  const errors: FieldErrors = {};
  const firstName = cleanPersonName(input.prenom);
  if (!firstName.ok) errors.prenom = firstName.problem === 'EMPTY' ? 'Saisissez le prénom.' : `Prénom invalide : ${NAME_MESSAGE}`;
  const lastName = cleanPersonName(input.nom);
  if (!lastName.ok) errors.nom = lastName.problem === 'EMPTY' ? 'Saisissez le nom.' : `Nom invalide : ${NAME_MESSAGE}`;
  let birthName: string | null = null;
  if (input.nomNaissance.trim() !== '') {
    const cleaned = cleanPersonName(input.nomNaissance);
    if (cleaned.ok) birthName = cleaned.value;
    else errors.nomNaissance = `Nom de naissance invalide : ${NAME_MESSAGE}`;
  }
  let birthDate: string | null = null;
  const birth = input.naissance.trim();
  if (birth !== '') {
    const iso = /^\d{2}\/\d{2}\/\d{4}$/.test(birth) ? `${birth.slice(6)}-${birth.slice(3, 5)}-${birth.slice(0, 2)}` : birth;
    if (parseIsoDate(iso) === null || iso > today || iso < '1900-01-01') errors.naissance = 'Date de naissance invalide, au format jj/mm/aaaa, et pas dans le futur.';
    else birthDate = iso;
  }
  let email: string | null = null;
  const emailText = input.email.trim().toLowerCase();
  if (emailText !== '') {
    if (emailText.length > 254 || !EMAIL_PATTERN.test(emailText) || LINE_CONTROL_CHARACTERS.test(emailText)) errors.email = 'Adresse e-mail invalide. Exemple : nom@domaine.fr.';
    else email = emailText;
  }
  let phoneNumber: string | null = null;
  let phoneNumberE164: string | null = null;
  const phoneText = input.telephone.trim();
  if (phoneText !== '') {
    const phone = phoneText.length > 30 ? null : parseFrenchPhone(phoneText);
    if (phone === null) errors.telephone = 'Numéro de téléphone invalide. Exemples : 06 12 34 56 78, +262 692 12 34 56.';
    else {
      phoneNumber = phoneText;
      phoneNumberE164 = phone.e164;
    }
  }
  const address = cleanPostalAddress(input.adresse);
  if (!address.ok) errors.adresse = 'Adresse invalide : 200 caractères au plus, sans lien.';

  const social: { -readonly [Key in keyof SocialFieldsValue]: SocialFieldsValue[Key] } = {};
  if (enabled.includes('caisse_affiliation')) {
    const value = choice(input.caisse, CAISSE_LABELS);
    if (value.ok) social.caisse_affiliation = value.value;
    else errors.caisse = 'Choisissez CAF, MSA ou aucune.';
  }
  if (enabled.includes('affiliation_number')) {
    const value = shortText(input.numeroAllocataire, 30);
    if (value.ok && (value.value === null || /^[A-Za-z0-9 -]+$/.test(value.value))) social.affiliation_number = value.value;
    else errors.numeroAllocataire = 'Numéro d’allocataire invalide : chiffres et lettres, 30 caractères au plus.';
  }
  if (enabled.includes('family_situation')) {
    const value = choice(input.situationFamiliale, FAMILY_SITUATION_LABELS);
    if (value.ok) social.family_situation = value.value;
    else errors.situationFamiliale = 'Choisissez une situation familiale dans la liste.';
  }
  if (enabled.includes('number_of_children')) {
    const text = input.nombreEnfants.trim();
    if (text === '') social.number_of_children = null;
    else if (/^\d{1,2}$/.test(text) && Number(text) <= 30) social.number_of_children = Number(text);
    else errors.nombreEnfants = 'Nombre d’enfants invalide : un nombre entre 0 et 30.';
  }
  if (enabled.includes('housing')) {
    const value = choice(input.logement, HOUSING_LABELS);
    if (value.ok) social.housing = value.value;
    else errors.logement = 'Choisissez un logement dans la liste.';
  }
  if (enabled.includes('case_number')) {
    const value = shortText(input.numeroDossier, 50);
    if (value.ok) social.case_number = value.value;
    else errors.numeroDossier = 'Numéro de dossier invalide : 50 caractères au plus, sur une ligne.';
  }
  let notes: string | null | undefined;
  if (enabled.includes('notes')) {
    const text = input.notes.replace(/\r\n/g, '\n').trim();
    if (CONTROL_CHARACTERS.test(text) || text.length > MAX_NOTES_LENGTH) errors.notes = `Remarques invalides : ${String(MAX_NOTES_LENGTH)} caractères au plus.`;
    else notes = text === '' ? null : text;
  }
  if (!firstName.ok || !lastName.ok || !address.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      firstName: firstName.value,
      lastName: lastName.value,
      birthName,
      birthDate,
      email,
      phoneNumber,
      phoneNumberE164,
      address: address.value,
      notifyBySms: input.notifSms,
      notifyByEmail: input.notifEmail,
      social,
      notes,
    },
  };
}
