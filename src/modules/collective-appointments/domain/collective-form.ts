// What an agent types to create or change a collective appointment, checked by pure rules: 422
// with French field messages and the input kept (ADR 0012). The route schemas have already
// refused malformed requests with 400; the appointments core checks its invariants again.
import { localToEpochMinutes, parseIsoDate, parseTimeOfDay, type EpochMinutes } from '../../../shared/time/index.js';

export type FieldErrors = Record<string, string>;
export type FormResult<Value> = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly errors: FieldErrors };

export const MAX_TITLE_LENGTH = 100;
export const MAX_CAPACITY = 500;
export const MIN_DURATION_MINUTES = 5;
export const MAX_DURATION_MINUTES = 720;
// eslint-disable-next-line no-control-regex -- a title ends up in e-mails and SMS: no control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const LINK = /:\/\/|www\.|\bhttps?\b/i;
// Letters, digits and the punctuation of a French title: no emoji or symbols (they turn an SMS into UCS-2).
const TITLE = /^[\p{L}\p{M}\p{N} '’\-–.,:;!?()«»"&/+°]+$/u;

/** The fields as typed (every one a string, `agents` the ticked boxes). */
export interface CollectiveFormInput {
  readonly titre: string;
  readonly capacite: string;
  readonly lieu: string;
  readonly agents: readonly number[];
  readonly date: string;
  readonly heure: string;
  readonly duree: string;
}

export interface CollectiveFormValue {
  /** Null: the motif's name is shown. */
  readonly title: string | null;
  /** Null: no limit. */
  readonly maxParticipants: number | null;
  readonly placeId: number;
  readonly agentIds: readonly number[];
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly durationMinutes: number;
}

export interface CollectiveFormContext {
  /** The organisation's places that may be chosen, with their zone (the time is read in it). */
  readonly places: ReadonlyMap<number, string>;
  /** The organisation's agents. */
  readonly agentIds: ReadonlySet<number>;
  /** Today in the organisation's zone (`YYYY-MM-DD`): dates more than a year before or two years after are typos. */
  readonly today: string;
}

const MAX_DAYS_BEFORE = 366;
const MAX_DAYS_AFTER = 2 * 366;

function checkTitle(value: string, errors: FieldErrors): string | null {
  const title = value.trim().replace(/ {2,}/g, ' ');
  if (title === '') return null;
  if (title.length > MAX_TITLE_LENGTH || CONTROL_CHARACTERS.test(value) || LINK.test(title) || !TITLE.test(title)) {
    errors.titre = `Titre invalide : ${String(MAX_TITLE_LENGTH)} caractères au plus, lettres, chiffres et ponctuation, sans lien.`;
  }
  return title;
}

function checkCapacity(value: string, errors: FieldErrors): number | null {
  const text = value.trim();
  if (text === '') return null;
  const capacity = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    errors.capacite = `Nombre de places invalide : un nombre entre 1 et ${String(MAX_CAPACITY)}, ou vide pour ne pas limiter.`;
    return null;
  }
  return capacity;
}

/** Checks the session's fields: a place of the organisation, agents, a real local date and time in the place's zone, a duration, a title and a capacity. */
export function checkCollectiveForm(input: CollectiveFormInput, context: CollectiveFormContext): FormResult<CollectiveFormValue> {
  const errors: FieldErrors = {};
  const title = checkTitle(input.titre, errors);
  const maxParticipants = checkCapacity(input.capacite, errors);
  const placeId = /^\d{1,12}$/.test(input.lieu.trim()) ? Number(input.lieu.trim()) : Number.NaN;
  const timeZone = context.places.get(placeId);
  if (timeZone === undefined) errors.lieu = 'Choisissez un lieu de l’organisation.';
  const agentIds = [...new Set(input.agents)];
  if (agentIds.length === 0) errors.agents = 'Choisissez au moins un agent.';
  else if (agentIds.some((id) => !context.agentIds.has(id))) errors.agents = 'Choisissez des agents de l’organisation.';
  const day = parseIsoDate(input.date.trim());
  const today = parseIsoDate(context.today);
  if (day === null) errors.date = 'Date invalide, au format jj/mm/aaaa.';
  else if (today !== null && (day < today - MAX_DAYS_BEFORE || day > today + MAX_DAYS_AFTER)) errors.date = 'Date invalide : au plus un an avant ou deux ans après aujourd’hui.';
  const minute = /^\d{2}:\d{2}$/.test(input.heure.trim()) ? parseTimeOfDay(input.heure.trim()) : null;
  if (minute === null) errors.heure = 'Heure invalide, au format hh:mm.';
  const duration = /^\d{1,4}$/.test(input.duree.trim()) ? Number(input.duree.trim()) : Number.NaN;
  if (!Number.isInteger(duration) || duration < MIN_DURATION_MINUTES || duration > MAX_DURATION_MINUTES) {
    errors.duree = `Durée invalide : un nombre de minutes entre ${String(MIN_DURATION_MINUTES)} et ${String(MAX_DURATION_MINUTES)}.`;
  }
  if (Object.keys(errors).length > 0 || timeZone === undefined || day === null || minute === null) return { ok: false, errors };
  return {
    ok: true,
    value: { title, maxParticipants, placeId, agentIds, startsAtEpochMinutes: localToEpochMinutes(timeZone, day, minute), durationMinutes: duration },
  };
}
