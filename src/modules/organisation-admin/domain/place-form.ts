// The place form (name, address, phone, accessibility notes, time zone) and the address found by
// the geocoder, as the confirmation step carries it: pure rules, French messages per field.
import { cleanPostalAddress } from '../../../shared/text/free-text.js';
import { parseFrenchPhone } from '../../../shared/text/phone.js';
import { multiLine, oneLine, type FieldErrors, type FormResult } from './form-fields.js';
import { FRENCH_TIME_ZONES } from './time-zones.js';

export const MAX_ACCESSIBILITY_NOTES_LENGTH = 1000;

export interface PlaceFormInput {
  readonly nom: string;
  readonly adresse: string;
  readonly telephone: string;
  readonly accessibilite: string;
  /** '' : the département's zone; else one of FRENCH_TIME_ZONES. */
  readonly fuseau: string;
}

export interface PlaceFormValue {
  readonly name: string;
  readonly address: string;
  readonly phoneNumber: string | null;
  readonly accessibilityNotes: string | null;
  /** null: the zone of the département. */
  readonly timeZone: string | null;
}

export function checkPlaceForm(input: PlaceFormInput): FormResult<PlaceFormValue> {
  const errors: FieldErrors = {};
  const name = oneLine(input.nom, 150);
  if (!name.ok) errors.nom = 'Nom invalide : 150 caractères au plus, sur une ligne.';
  else if (name.value === null) errors.nom = 'Saisissez le nom du lieu, par exemple « MDS de Melun ».';
  const address = cleanPostalAddress(input.adresse);
  if (!address.ok) errors.adresse = 'Adresse invalide : 200 caractères au plus, sur une ligne, sans lien.';
  else if (address.value === null || address.value.length < 3) errors.adresse = 'Saisissez l’adresse du lieu : numéro, rue, code postal et commune.';
  let phoneNumber: string | null = null;
  const phoneText = input.telephone.trim();
  if (phoneText !== '') {
    if (phoneText.length > 30 || parseFrenchPhone(phoneText) === null) errors.telephone = 'Numéro de téléphone invalide. Exemples : 01 64 87 00 00, +262 262 12 34 56.';
    else phoneNumber = phoneText;
  }
  const notes = multiLine(input.accessibilite, MAX_ACCESSIBILITY_NOTES_LENGTH);
  if (!notes.ok) errors.accessibilite = `Informations d’accessibilité invalides : ${String(MAX_ACCESSIBILITY_NOTES_LENGTH)} caractères au plus.`;
  const zone = input.fuseau.trim();
  if (zone !== '' && !Object.hasOwn(FRENCH_TIME_ZONES, zone)) errors.fuseau = 'Choisissez un fuseau horaire dans la liste.';
  if (Object.keys(errors).length > 0 || !name.ok || name.value === null || !address.ok || address.value === null || !notes.ok) return { ok: false, errors };
  return { ok: true, value: { name: name.value, address: address.value, phoneNumber, accessibilityNotes: notes.value, timeZone: zone === '' ? null : zone } };
}

/** What the confirmation step shows of an address the geocoder found. */
export interface FoundAddress {
  readonly label: string;
  readonly postcode: string;
  readonly cityName: string;
  readonly cityCode: string;
  readonly departementNumber: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

/** « 48,5394 N, 2,6556 E »: coordinates as text (no map). */
export function coordinatesText(latitude: number | null, longitude: number | null): string {
  if (latitude === null || longitude === null) return 'non connues (commune seulement)';
  const degrees = (value: number): string => Math.abs(value).toFixed(5).replace('.', ',');
  return `${degrees(latitude)}° ${latitude >= 0 ? 'N' : 'S'}, ${degrees(longitude)}° ${longitude >= 0 ? 'E' : 'O'}`;
}
