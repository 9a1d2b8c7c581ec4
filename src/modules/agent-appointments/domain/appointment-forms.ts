// What an agent types in the appointment pages, checked by pure rules: 422 with French field
// messages and the input kept (ADR 0012). The structural layer (schemas) has already refused
// malformed requests with 400.
import { cleanPersonName, cleanPostalAddress } from '../../../shared/text/free-text.js';
import { parseFrenchPhone } from '../../../shared/text/phone.js';
import { localToEpochMinutes, parseIsoDate, parseTimeOfDay, type EpochMinutes } from '../../../shared/time/index.js';

export type FieldErrors = Record<string, string>;
export type FormResult<Value> = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly errors: FieldErrors };

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MAX_CONTEXT_LENGTH = 2000;
export const MAX_OVERLAP_REASON_LENGTH = 500;
// eslint-disable-next-line no-control-regex -- control characters (except line breaks in notes) are refused
const CONTROL_CHARACTERS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A person created by the agent (fields as typed). */
export interface NewPersonInput {
  readonly prenom: string;
  readonly nom: string;
  readonly naissance: string;
  readonly telephone: string;
  readonly email: string;
}

export interface NewPersonValue {
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly phoneNumberE164: string | null;
}

/** Checks a new usager or relative: names required, birth date (not in the future), phone and e-mail optional. */
export function checkNewPerson(input: NewPersonInput, today: string): FormResult<NewPersonValue> {
  const errors: FieldErrors = {};
  const firstName = cleanPersonName(input.prenom);
  if (!firstName.ok) errors.prenom = firstName.problem === 'EMPTY' ? 'Saisissez le prénom.' : 'Prénom invalide : lettres, espaces, apostrophes et tirets, 100 caractères au plus.';
  const lastName = cleanPersonName(input.nom);
  if (!lastName.ok) errors.nom = lastName.problem === 'EMPTY' ? 'Saisissez le nom.' : 'Nom invalide : lettres, espaces, apostrophes et tirets, 100 caractères au plus.';
  let birthDate: string | null = null;
  const birth = input.naissance.trim();
  if (birth !== '') {
    const iso = /^\d{2}\/\d{2}\/\d{4}$/.test(birth) ? `${birth.slice(6)}-${birth.slice(3, 5)}-${birth.slice(0, 2)}` : birth;
    if (parseIsoDate(iso) === null || iso > today || iso < '1900-01-01') errors.naissance = 'Date de naissance invalide, au format jj/mm/aaaa, et pas dans le futur.';
    else birthDate = iso;
  }
  let phoneNumber: string | null = null;
  let phoneNumberE164: string | null = null;
  const phoneText = input.telephone.trim();
  if (phoneText !== '') {
    const phone = phoneText.length > 30 ? null : parseFrenchPhone(phoneText);
    if (phone === null) errors.telephone = 'Numéro de téléphone invalide. Exemple : 06 12 34 56 78.';
    else {
      phoneNumber = phoneText;
      phoneNumberE164 = phone.e164;
    }
  }
  let email: string | null = null;
  const emailText = input.email.trim().toLowerCase();
  if (emailText !== '') {
    if (emailText.length > 254 || !EMAIL_PATTERN.test(emailText) || CONTROL_CHARACTERS.test(emailText)) errors.email = 'Adresse e-mail invalide. Exemple : nom@domaine.fr.';
    else email = emailText;
  }
  if (!firstName.ok || !lastName.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { firstName: firstName.value, lastName: lastName.value, birthDate, email, phoneNumber, phoneNumberE164 } };
}

/** When, how long, where, with whom (fields as typed). */
export interface DetailsInput {
  readonly agents: readonly number[];
  readonly date: string;
  readonly heure: string;
  readonly duree: string;
  /** A place id, `ponctuel` (one-off address) or empty (no place: phone, visio, home motifs). */
  readonly lieu: string;
  readonly adresse: string;
  readonly contexte: string;
}

export interface DetailsValue {
  readonly agentIds: readonly number[];
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly durationMinutes: number;
  readonly placeId: number | null;
  readonly oneOffAddress: string | null;
  readonly context: string | null;
}

export interface DetailsContext {
  /** Agents that may be chosen (the organisation's). */
  readonly agentIds: ReadonlySet<number>;
  /** Places that may be chosen, with their zone. */
  readonly places: ReadonlyMap<number, string>;
  /** Zone when no place is chosen (one-off address, phone…): the organisation's. */
  readonly organisationTimeZone: string;
  /** Office motifs need a place or an address. */
  readonly requiresPlace: boolean;
}

/** Checks the details step: agents, a real local date and time (in the place's zone), a duration, a place or an address. */
export function checkDetails(input: DetailsInput, context: DetailsContext): FormResult<DetailsValue> {
  const errors: FieldErrors = {};
  const agentIds = [...new Set(input.agents)];
  if (agentIds.length === 0) errors.agents = 'Choisissez au moins un agent.';
  else if (agentIds.some((id) => !context.agentIds.has(id))) errors.agents = 'Choisissez des agents de l’organisation.';
  const day = parseIsoDate(input.date.trim());
  if (day === null) errors.date = 'Date invalide, au format jj/mm/aaaa.';
  const minute = /^\d{2}:\d{2}$/.test(input.heure.trim()) ? parseTimeOfDay(input.heure.trim()) : null;
  if (minute === null) errors.heure = 'Heure invalide, au format hh:mm.';
  const duration = /^\d{1,4}$/.test(input.duree.trim()) ? Number(input.duree.trim()) : Number.NaN;
  if (!Number.isInteger(duration) || duration < 5 || duration > 720) errors.duree = 'Durée invalide : un nombre de minutes entre 5 et 720.';
  let placeId: number | null = null;
  let oneOffAddress: string | null = null;
  let timeZone = context.organisationTimeZone;
  const lieu = input.lieu.trim();
  if (lieu === 'ponctuel') {
    const address = cleanPostalAddress(input.adresse);
    if (!address.ok || address.value === null) errors.adresse = 'Saisissez l’adresse du rendez-vous (200 caractères au plus).';
    else oneOffAddress = address.value;
  } else if (lieu !== '') {
    const id = /^\d{1,12}$/.test(lieu) ? Number(lieu) : Number.NaN;
    const zone = context.places.get(id);
    if (zone === undefined) errors.lieu = 'Choisissez un lieu de l’organisation.';
    else {
      placeId = id;
      timeZone = zone;
    }
  } else if (context.requiresPlace) {
    errors.lieu = 'Choisissez un lieu, ou saisissez une adresse ponctuelle.';
  }
  const contextText = input.contexte.trim();
  if (contextText.length > MAX_CONTEXT_LENGTH || CONTROL_CHARACTERS.test(contextText)) errors.contexte = `Le contexte fait ${String(MAX_CONTEXT_LENGTH)} caractères au plus, sans caractère de contrôle.`;
  if (Object.keys(errors).length > 0 || day === null || minute === null) return { ok: false, errors };
  return {
    ok: true,
    value: {
      agentIds,
      startsAtEpochMinutes: localToEpochMinutes(timeZone, day, minute),
      durationMinutes: duration,
      placeId,
      oneOffAddress,
      context: contextText === '' ? null : contextText,
    },
  };
}

/** Checks the reason of an overlap override (required when an overlap is confirmed). */
export function checkOverlapReason(value: string, required: boolean): FormResult<string | null> {
  const reason = value.trim();
  if (reason === '') return required ? { ok: false, errors: { motifChevauchement: 'Indiquez pourquoi le chevauchement est voulu.' } } : { ok: true, value: null };
  if (reason.length > MAX_OVERLAP_REASON_LENGTH || CONTROL_CHARACTERS.test(reason)) {
    return { ok: false, errors: { motifChevauchement: `La raison fait ${String(MAX_OVERLAP_REASON_LENGTH)} caractères au plus, sans caractère de contrôle.` } };
  }
  return { ok: true, value: reason };
}
