// Validation of the prescripteur form: the third party's identity and the beneficiary's.
import { parseIsoDate } from '../../../shared/time/index.js';
import { cleanPersonName } from '../../../shared/text/free-text.js';
import { parseFrenchPhone } from '../../../shared/text/phone.js';

export interface PrescripteurFormInput {
  readonly prescripteurPrenom: string;
  readonly prescripteurNom: string;
  readonly prescripteurEmail: string;
  readonly prescripteurTelephone: string;
  readonly beneficiairePrenom: string;
  readonly beneficiaireNom: string;
  readonly beneficiaireTelephone: string;
  readonly beneficiaireNaissance: string;
  readonly beneficiaireEmail: string;
}

export interface PrescripteurFormValues {
  readonly prescripteur: { firstName: string; lastName: string; email: string; phone: string };
  readonly beneficiary: { firstName: string; lastName: string; phoneE164: string; birthDate: string | null; email: string | null };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks both identities; the beneficiary needs a mobile phone (reminders, and matching an existing usager). */
export function validatePrescripteurForm(input: PrescripteurFormInput, today: string): { ok: true; value: PrescripteurFormValues } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = (field: keyof PrescripteurFormInput, message: string): string => {
    const cleaned = cleanPersonName(input[field]);
    if (!cleaned.ok) errors[field] = message;
    return cleaned.ok ? cleaned.value : input[field];
  };
  const email = (field: keyof PrescripteurFormInput, required: boolean): string | null => {
    const value = input[field].trim().toLowerCase();
    if (value === '') {
      if (required) errors[field] = 'Saisissez votre adresse e-mail professionnelle, par exemple nom@structure.fr.';
      return null;
    }
    if (value.length > 254 || !EMAIL_PATTERN.test(value)) errors[field] = 'Adresse e-mail invalide. Exemple : nom@domaine.fr.';
    return value;
  };
  const prescripteur = {
    firstName: name('prescripteurPrenom', 'Saisissez votre prénom.'),
    lastName: name('prescripteurNom', 'Saisissez votre nom.'),
    email: email('prescripteurEmail', true) ?? '',
    phone: input.prescripteurTelephone.trim(),
  };
  if (prescripteur.phone !== '' && parseFrenchPhone(prescripteur.phone) === null) errors.prescripteurTelephone = 'Numéro de téléphone invalide. Exemple : 01 64 00 00 00.';
  const firstName = name('beneficiairePrenom', 'Saisissez le prénom de la personne.');
  const lastName = name('beneficiaireNom', 'Saisissez le nom de la personne.');
  const phone = parseFrenchPhone(input.beneficiaireTelephone);
  if (phone?.isMobile !== true) errors.beneficiaireTelephone = 'Saisissez le téléphone portable de la personne (il reçoit le rappel par SMS). Exemple : 06 12 34 56 78.';
  let birthDate: string | null = null;
  const birth = input.beneficiaireNaissance.trim();
  if (birth !== '') {
    const iso = /^\d{2}\/\d{2}\/\d{4}$/.test(birth) ? `${birth.slice(6)}-${birth.slice(3, 5)}-${birth.slice(0, 2)}` : birth;
    if (parseIsoDate(iso) === null || iso > today || iso < '1900-01-01') errors.beneficiaireNaissance = 'Date de naissance invalide, au format jj/mm/aaaa.';
    else birthDate = iso;
  }
  const beneficiaryEmail = email('beneficiaireEmail', false);
  if (Object.keys(errors).length > 0 || phone === null) return { ok: false, errors };
  return { ok: true, value: { prescripteur, beneficiary: { firstName, lastName, phoneE164: phone.e164, birthDate, email: beneficiaryEmail } } };
}
