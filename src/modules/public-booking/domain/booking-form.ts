// Validation of the "Vos informations" form: French messages per field, input kept by the caller.
import { parseIsoDate } from '../../../shared/time/index.js';
import { MAX_PERSON_NAME_LENGTH, MAX_POSTAL_ADDRESS_LENGTH, cleanPersonName, cleanPostalAddress } from '../../../shared/text/free-text.js';
import { parseFrenchPhone } from '../../../shared/text/phone.js';

export interface BookingFormInput {
  readonly prenom: string;
  readonly nom: string;
  readonly naissance: string;
  readonly telephone: string;
  readonly adresse: string;
  /** 'moi', a relative's id, or 'nouveau' */
  readonly pourQui: string;
  readonly prochePrenom: string;
  readonly procheNom: string;
  readonly procheNaissance: string;
}

export type Beneficiary = { readonly kind: 'self' } | { readonly kind: 'relative'; readonly userId: number } | { readonly kind: 'new_relative'; readonly firstName: string; readonly lastName: string; readonly birthDate: string | null };

export interface BookingFormValues {
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly phoneNumber: string | null;
  readonly phoneE164: string | null;
  readonly address: string | null;
  readonly beneficiary: Beneficiary;
}

export type BookingFormResult = { ok: true; value: BookingFormValues } | { ok: false; errors: Record<string, string> };

function checkName(value: string, field: string, label: string, errors: Record<string, string>): string {
  const cleaned = cleanPersonName(value);
  if (cleaned.ok) return cleaned.value;
  const capitalised = `${label.charAt(0).toUpperCase()}${label.slice(1)}`;
  if (cleaned.problem === 'EMPTY') errors[field] = `Saisissez ${label}.`;
  else if (cleaned.problem === 'TOO_LONG') errors[field] = `${capitalised} est trop long (${String(MAX_PERSON_NAME_LENGTH)} caractères au plus).`;
  else errors[field] = `${capitalised} ne peut contenir que des lettres, des espaces, des tirets et des apostrophes.`;
  return value;
}

function checkBirthDate(value: string, field: string, today: string, errors: Record<string, string>, required: boolean): string | null {
  const trimmed = value.trim();
  if (trimmed === '') {
    if (required) errors[field] = 'Saisissez la date de naissance, au format jj/mm/aaaa.';
    return null;
  }
  const iso = /^\d{2}\/\d{2}\/\d{4}$/.test(trimmed) ? `${trimmed.slice(6)}-${trimmed.slice(3, 5)}-${trimmed.slice(0, 2)}` : trimmed;
  if (parseIsoDate(iso) === null || iso > today || iso < '1900-01-01') {
    errors[field] = 'Date de naissance invalide : indiquez une date passée, au format jj/mm/aaaa.';
    return null;
  }
  return iso;
}

/**
 * Checks the details and "for whom" of a booking. A mobile phone is required for phone motifs
 * (the agent calls it); any phone given must be a valid French or overseas number.
 */
export function validateBookingForm(
  input: BookingFormInput,
  context: { phoneRequired: boolean; relativeIds: readonly number[]; today: string },
): BookingFormResult {
  const errors: Record<string, string> = {};
  const firstName = checkName(input.prenom, 'prenom', 'votre prénom', errors);
  const lastName = checkName(input.nom, 'nom', 'votre nom', errors);
  const birthDate = checkBirthDate(input.naissance, 'naissance', context.today, errors, false);
  let phoneNumber: string | null = null;
  let phoneE164: string | null = null;
  if (input.telephone.trim() === '') {
    if (context.phoneRequired) errors.telephone = 'Saisissez un numéro de téléphone portable : ce rendez-vous a lieu par téléphone.';
  } else {
    const phone = parseFrenchPhone(input.telephone);
    if (phone === null) errors.telephone = 'Numéro de téléphone invalide. Exemple : 06 12 34 56 78.';
    else {
      phoneNumber = input.telephone.trim();
      phoneE164 = phone.e164;
    }
  }
  const cleanedAddress = cleanPostalAddress(input.adresse);
  if (!cleanedAddress.ok) {
    errors.adresse =
      cleanedAddress.problem === 'TOO_LONG'
        ? `L’adresse est trop longue (${String(MAX_POSTAL_ADDRESS_LENGTH)} caractères au plus) : indiquez le numéro, la rue et la commune.`
        : 'L’adresse ne peut contenir ni retour à la ligne, ni lien : indiquez le numéro, la rue et la commune.';
  }
  const address = cleanedAddress.ok ? cleanedAddress.value : null;
  let beneficiary: Beneficiary = { kind: 'self' };
  if (input.pourQui === 'nouveau') {
    const relativeFirstName = checkName(input.prochePrenom, 'prochePrenom', 'le prénom de votre proche', errors);
    const relativeLastName = checkName(input.procheNom, 'procheNom', 'le nom de votre proche', errors);
    const relativeBirthDate = checkBirthDate(input.procheNaissance, 'procheNaissance', context.today, errors, true);
    beneficiary = { kind: 'new_relative', firstName: relativeFirstName, lastName: relativeLastName, birthDate: relativeBirthDate };
  } else if (input.pourQui !== 'moi') {
    const relativeId = Number(input.pourQui);
    if (!context.relativeIds.includes(relativeId)) errors.pourQui = 'Choisissez pour qui est le rendez-vous.';
    else beneficiary = { kind: 'relative', userId: relativeId };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { firstName, lastName, birthDate, phoneNumber, phoneE164, address, beneficiary } };
}
