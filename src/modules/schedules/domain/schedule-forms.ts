// Form rules of opening periods and absences (pure): what a person typed becomes a draft ready to
// save, or French messages keyed by the form's field names (422, input kept). The availability
// module's validateOpeningPeriod / validateAbsence then check the draft as every writer must.
import { addDays, dayNumberToIsoDate, parseIsoDate, parseTimeOfDay, weekdayOf, type Weekday } from '../../../shared/time/index.js';
import { validateAbsence, validateOpeningPeriod, type FieldError } from '../../availability/index.js';
import {
  MAX_RECURRENCE_COUNT,
  MAX_RECURRENCE_INTERVAL,
  MONTHLY_RANKS,
  WEEKDAY_CODES,
  buildRecurrence,
  type RecurrenceChoice,
  type RecurrenceEnd,
} from './recurrence-form.js';

export type FormErrors = Record<string, string>;
export type FormResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FormErrors };

/** The recurrence fields shared by both forms (names as in the HTML). */
export interface RecurrenceFields {
  readonly repetition?: string | undefined;
  /** Weekday codes (MO…SU) ticked for a weekly recurrence. */
  readonly jours: readonly string[];
  readonly intervalleSemaines?: string | undefined;
  readonly intervalleMois?: string | undefined;
  /** 1–4 or -1 (last). */
  readonly rang?: string | undefined;
  /** Weekday code of a monthly recurrence. */
  readonly jourDuMois?: string | undefined;
  /** jamais | date | nombre */
  readonly fin?: string | undefined;
  readonly dateFin?: string | undefined;
  readonly nombreOccurrences?: string | undefined;
}

export const MAX_TITLE_LENGTH = 120;

function hasControlCharacter(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- the point is to refuse control characters
  return /[\u0000-\u001f\u007f]/.test(text);
}

/** A title: required (or defaulted), bounded, printable. */
export function checkTitle(errors: FormErrors, field: string, value: string | undefined, fallback: string | null): string {
  const title = (value ?? '').trim().replace(/\s+/g, ' ');
  if (title === '') {
    if (fallback !== null) return fallback;
    errors[field] = 'Indiquez un titre.';
  } else if (title.length > MAX_TITLE_LENGTH) errors[field] = `Le titre ne doit pas dépasser ${String(MAX_TITLE_LENGTH)} caractères.`;
  else if (hasControlCharacter(title)) errors[field] = 'Le titre contient des caractères non autorisés.';
  return title;
}

function checkDay(errors: FormErrors, field: string, value: string | undefined, label: string): string | null {
  const text = (value ?? '').trim();
  if (text === '') {
    errors[field] = `Indiquez ${label}.`;
    return null;
  }
  if (parseIsoDate(text) === null) {
    errors[field] = `${label.charAt(0).toUpperCase()}${label.slice(1)} n’est pas une date valide (format AAAA-MM-JJ).`;
    return null;
  }
  return text;
}

function checkTime(errors: FormErrors, field: string, value: string | undefined, label: string): string | null {
  const text = (value ?? '').trim();
  const minutes = /^\d{1,2}:\d{2}$/.test(text) ? parseTimeOfDay(text) : null;
  if (minutes === null || minutes >= 24 * 60) {
    errors[field] = text === '' ? `Indiquez ${label}.` : `${label.charAt(0).toUpperCase()}${label.slice(1)} n’est pas une heure valide (format HH:MM).`;
    return null;
  }
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function checkInteger(errors: FormErrors, field: string, value: string | undefined, min: number, max: number, message: string): number | null {
  const text = (value ?? '').trim();
  if (!/^\d{1,4}$/.test(text) || Number(text) < min || Number(text) > max) {
    errors[field] = message;
    return null;
  }
  return Number(text);
}

function weekdayOfCode(code: string | undefined): Weekday | null {
  const index = WEEKDAY_CODES.indexOf((code ?? '') as (typeof WEEKDAY_CODES)[number]);
  return index < 0 ? null : (index as Weekday);
}

/** The recurrence part of a form; `firstDay` is the already checked first day (or null). */
export function checkRecurrenceFields(errors: FormErrors, fields: RecurrenceFields, firstDay: string | null): RecurrenceChoice {
  const repetition = fields.repetition ?? 'aucune';
  if (repetition === 'aucune') return { kind: 'none' };
  if (repetition !== 'hebdomadaire' && repetition !== 'mensuelle') {
    errors.repetition = 'Choisissez une répétition dans la liste.';
    return { kind: 'none' };
  }
  let end: RecurrenceEnd = { kind: 'never' };
  const fin = fields.fin ?? 'jamais';
  if (fin === 'date') {
    const day = checkDay(errors, 'dateFin', fields.dateFin, 'la date de fin');
    if (day !== null) {
      if (firstDay !== null && day < firstDay) errors.dateFin = 'La date de fin doit être le premier jour ou après.';
      end = { kind: 'until', day };
    }
  } else if (fin === 'nombre') {
    const count = checkInteger(errors, 'nombreOccurrences', fields.nombreOccurrences, 1, MAX_RECURRENCE_COUNT, `Indiquez un nombre de fois entre 1 et ${String(MAX_RECURRENCE_COUNT)}.`);
    if (count !== null) end = { kind: 'count', count };
  } else if (fin !== 'jamais') {
    errors.fin = 'Choisissez comment la répétition se termine.';
  }
  const intervalMessage = (unit: string): string => `Indiquez un intervalle entre 1 et ${String(MAX_RECURRENCE_INTERVAL)} ${unit}.`;
  if (repetition === 'hebdomadaire') {
    const intervalWeeks = checkInteger(errors, 'intervalleSemaines', fields.intervalleSemaines ?? '1', 1, MAX_RECURRENCE_INTERVAL, intervalMessage('semaines')) ?? 1;
    const weekdays: Weekday[] = [];
    for (const code of fields.jours) {
      const weekday = weekdayOfCode(code);
      if (weekday === null) errors.jours = 'Choisissez les jours dans la liste.';
      else if (!weekdays.includes(weekday)) weekdays.push(weekday);
    }
    if (weekdays.length === 0 && errors.jours === undefined) errors.jours = 'Cochez au moins un jour de la semaine.';
    return { kind: 'weekly', intervalWeeks, weekdays, end };
  }
  const intervalMonths = checkInteger(errors, 'intervalleMois', fields.intervalleMois ?? '1', 1, MAX_RECURRENCE_INTERVAL, intervalMessage('mois')) ?? 1;
  const rankText = (fields.rang ?? '').trim();
  const rank = MONTHLY_RANKS.find((candidate) => String(candidate) === rankText);
  if (rank === undefined) errors.rang = 'Choisissez la semaine du mois (1re, 2e, 3e, 4e ou dernière).';
  const firstWeekday = firstDay === null ? null : weekdayOf(parseIsoDate(firstDay) ?? 0);
  const weekday = fields.jourDuMois === undefined || fields.jourDuMois === '' ? firstWeekday : weekdayOfCode(fields.jourDuMois);
  if (weekday === null) errors.jourDuMois = 'Choisissez le jour de la semaine dans la liste.';
  return { kind: 'monthly', intervalMonths, rank: rank ?? 1, weekday: weekday ?? 0, end };
}

/** Field names of the availability validators → the form's. */
const VALIDATOR_FIELDS: Readonly<Record<string, string>> = {
  firstDay: 'premierJour',
  startTime: 'heureDebut',
  endTime: 'heureFin',
  endDay: 'jourFin',
  lastDay: 'dateFin',
  recurrence: 'repetition',
};

function mergeValidatorErrors(errors: FormErrors, validatorErrors: readonly FieldError[]): void {
  for (const error of validatorErrors) {
    const field = VALIDATOR_FIELDS[error.field] ?? 'repetition';
    errors[field] ??= error.message;
  }
}

// ---------------------------------------------------------------------------------------------
// Opening periods
// ---------------------------------------------------------------------------------------------

export interface PeriodFormFields extends RecurrenceFields {
  readonly titre?: string | undefined;
  readonly agent?: string | undefined;
  /** A place id, or '' for a period without place (phone, video, home visits). */
  readonly lieu?: string | undefined;
  readonly motifs: readonly string[];
  readonly premierJour?: string | undefined;
  readonly heureDebut?: string | undefined;
  readonly heureFin?: string | undefined;
}

/** What the form may choose from (loaded for the principal and the organisation). */
export interface PeriodFormOptions {
  /** Agents whose schedule the principal manages. */
  readonly agentIds: ReadonlySet<number>;
  /** Enabled places of the organisation, with their zone. */
  readonly placeZones: ReadonlyMap<number, string>;
  /** Motifs an agent's period may offer (by agent). */
  readonly motifIdsOf: (agentId: number) => ReadonlySet<number>;
  readonly organisationTimeZone: string;
}

export interface OpeningPeriodValues {
  readonly title: string;
  readonly agentId: number;
  readonly placeId: number | null;
  readonly appointmentTypeIds: readonly number[];
  readonly firstDay: string;
  readonly lastDay: string | null;
  readonly startTime: string;
  readonly endTime: string;
  readonly recurrence: string | null;
  readonly timeZone: string;
}

function idOf(text: string | undefined): number | null {
  return text !== undefined && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : null;
}

/** Checks the opening period form; on success the values to store (with `last_day` computed). */
export function checkOpeningPeriodForm(fields: PeriodFormFields, options: PeriodFormOptions): FormResult<OpeningPeriodValues> {
  const errors: FormErrors = {};
  const title = checkTitle(errors, 'titre', fields.titre, null);
  const agentId = idOf(fields.agent);
  if (agentId === null || !options.agentIds.has(agentId)) errors.agent = 'Choisissez un agent dans la liste.';
  let placeId: number | null = null;
  if ((fields.lieu ?? '') !== '') {
    placeId = idOf(fields.lieu);
    if (placeId === null || !options.placeZones.has(placeId)) errors.lieu = 'Choisissez un lieu dans la liste.';
  }
  const allowedMotifs = agentId === null ? new Set<number>() : options.motifIdsOf(agentId);
  const appointmentTypeIds: number[] = [];
  for (const text of fields.motifs) {
    const id = idOf(text);
    if (id === null || !allowedMotifs.has(id)) errors.motifs = 'Choisissez des motifs dans la liste (ceux des services de l’agent).';
    else if (!appointmentTypeIds.includes(id)) appointmentTypeIds.push(id);
  }
  if (fields.motifs.length === 0) errors.motifs = 'Cochez au moins un motif.';
  const firstDay = checkDay(errors, 'premierJour', fields.premierJour, 'le premier jour');
  const startTime = checkTime(errors, 'heureDebut', fields.heureDebut, 'l’heure de début');
  const endTime = checkTime(errors, 'heureFin', fields.heureFin, 'l’heure de fin');
  if (startTime !== null && endTime !== null && endTime <= startTime) errors.heureFin = 'L’heure de fin doit être après l’heure de début.';
  const choice = checkRecurrenceFields(errors, fields, firstDay);
  const timeZone = placeId === null ? options.organisationTimeZone : (options.placeZones.get(placeId) ?? options.organisationTimeZone);
  if (Object.keys(errors).length > 0 || firstDay === null || startTime === null || endTime === null || agentId === null) return { ok: false, errors };
  const recurrence = buildRecurrence(choice);
  const validation = validateOpeningPeriod({ firstDay, startTime, endTime, recurrence, timeZone });
  if (!validation.ok) {
    mergeValidatorErrors(errors, validation.errors);
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: { title, agentId, placeId, appointmentTypeIds, firstDay, lastDay: validation.value.lastDay, startTime, endTime, recurrence, timeZone },
  };
}

// ---------------------------------------------------------------------------------------------
// Absences
// ---------------------------------------------------------------------------------------------

export interface AbsenceFormFields extends RecurrenceFields {
  readonly titre?: string | undefined;
  /** Agent ids ticked (several at creation; the edited absence's agent when editing). */
  readonly agents: readonly string[];
  readonly premierJour?: string | undefined;
  readonly heureDebut?: string | undefined;
  /** Last day of one occurrence (empty = the first day). */
  readonly jourFin?: string | undefined;
  readonly heureFin?: string | undefined;
  /** Checkbox: whole days (from 00:00 on the first day to the end of the last day). */
  readonly journeeEntiere?: string | undefined;
}

export interface AbsenceValues {
  readonly title: string;
  readonly agentIds: readonly number[];
  readonly firstDay: string;
  readonly startTime: string;
  readonly endDay: string;
  readonly endTime: string;
  readonly lastDay: string | null;
  readonly recurrence: string | null;
  readonly timeZone: string;
}

/**
 * Checks the absence form. Whole days are stored from 00:00 on the first day to 00:00 the day
 * after the last one (the seed's convention; `absenceFormOf` reads them back as whole days).
 */
export function checkAbsenceForm(fields: AbsenceFormFields, options: { readonly agentIds: ReadonlySet<number>; readonly timeZone: string }): FormResult<AbsenceValues> {
  const errors: FormErrors = {};
  const title = checkTitle(errors, 'titre', fields.titre, 'Absence');
  const agentIds: number[] = [];
  for (const text of fields.agents) {
    const id = idOf(text);
    if (id === null || !options.agentIds.has(id)) errors.agents = 'Choisissez les agents dans la liste.';
    else if (!agentIds.includes(id)) agentIds.push(id);
  }
  if (fields.agents.length === 0) errors.agents = 'Cochez au moins un agent.';
  const firstDay = checkDay(errors, 'premierJour', fields.premierJour, 'le premier jour');
  const lastDayOfOne = (fields.jourFin ?? '').trim() === '' ? firstDay : checkDay(errors, 'jourFin', fields.jourFin, 'le jour de fin');
  const wholeDay = fields.journeeEntiere !== undefined;
  let startTime: string | null = '00:00';
  let endTime: string | null = '00:00';
  let endDay: string | null = lastDayOfOne === null ? null : dayNumberToIsoDate(addDays(parseIsoDate(lastDayOfOne) ?? 0, 1));
  if (!wholeDay) {
    startTime = checkTime(errors, 'heureDebut', fields.heureDebut, 'l’heure de début');
    endTime = checkTime(errors, 'heureFin', fields.heureFin, 'l’heure de fin');
    endDay = lastDayOfOne;
  }
  if (firstDay !== null && lastDayOfOne !== null && lastDayOfOne < firstDay) errors.jourFin = 'Le jour de fin doit être le premier jour ou après.';
  else if (!wholeDay && firstDay !== null && firstDay === lastDayOfOne && startTime !== null && endTime !== null && endTime <= startTime) {
    errors.heureFin = 'L’heure de fin doit être après l’heure de début.';
  }
  const choice = checkRecurrenceFields(errors, fields, firstDay);
  if (Object.keys(errors).length > 0 || firstDay === null || endDay === null || startTime === null || endTime === null) return { ok: false, errors };
  const recurrence = buildRecurrence(choice);
  const validation = validateAbsence({ firstDay, startTime, endDay, endTime, recurrence, timeZone: options.timeZone });
  if (!validation.ok) {
    mergeValidatorErrors(errors, validation.errors);
    return { ok: false, errors };
  }
  return { ok: true, value: { title, agentIds, firstDay, startTime, endDay, endTime, lastDay: validation.value.lastDay, recurrence, timeZone: options.timeZone } };
}

/** Whether a stored absence is made of whole days (00:00 → 00:00 on a later day). */
export function isWholeDayAbsence(absence: { readonly firstDay: string; readonly startTime: string; readonly endDay: string; readonly endTime: string }): boolean {
  return absence.startTime.startsWith('00:00') && absence.endTime.startsWith('00:00') && absence.endDay > absence.firstDay;
}

/** The last day shown in the form for a stored absence (the day before a 00:00 end of whole days). */
export function absenceFormLastDay(absence: { readonly firstDay: string; readonly startTime: string; readonly endDay: string; readonly endTime: string }): string {
  return isWholeDayAbsence(absence) ? dayNumberToIsoDate(addDays(parseIsoDate(absence.endDay) ?? 0, -1)) : absence.endDay;
}


/** The form fields of a recurrence choice (edit pages start from the stored rule). */
export function recurrenceFieldsOf(choice: RecurrenceChoice): RecurrenceFields {
  const endFields = (end: RecurrenceEnd): Partial<RecurrenceFields> =>
    end.kind === 'until' ? { fin: 'date', dateFin: end.day } : end.kind === 'count' ? { fin: 'nombre', nombreOccurrences: String(end.count) } : { fin: 'jamais' };
  switch (choice.kind) {
    case 'none':
      return { repetition: 'aucune', jours: [], fin: 'jamais' };
    case 'weekly':
      return { repetition: 'hebdomadaire', jours: choice.weekdays.map((weekday) => WEEKDAY_CODES[weekday]), intervalleSemaines: String(choice.intervalWeeks), ...endFields(choice.end) };
    case 'monthly':
      return { repetition: 'mensuelle', jours: [], intervalleMois: String(choice.intervalMonths), rang: String(choice.rank), jourDuMois: WEEKDAY_CODES[choice.weekday], ...endFields(choice.end) };
  }
}

export interface MoveOccurrenceFields {
  readonly heureDebut?: string | undefined;
  readonly heureFin?: string | undefined;
  /** A place id, or '' for the period's own place. */
  readonly lieu?: string | undefined;
}

/** Checks the "move one occurrence" form against the organisation's enabled places. */
export function checkMoveOccurrenceForm(
  fields: MoveOccurrenceFields,
  placeIds: ReadonlySet<number>,
): FormResult<{ readonly startTime: string; readonly endTime: string; readonly placeId: number | null }> {
  const errors: FormErrors = {};
  const startTime = checkTime(errors, 'heureDebut', fields.heureDebut, 'l’heure de début');
  const endTime = checkTime(errors, 'heureFin', fields.heureFin, 'l’heure de fin');
  if (startTime !== null && endTime !== null && endTime <= startTime) errors.heureFin = 'L’heure de fin doit être après l’heure de début.';
  let placeId: number | null = null;
  if ((fields.lieu ?? '') !== '') {
    placeId = idOf(fields.lieu);
    if (placeId === null || !placeIds.has(placeId)) errors.lieu = 'Choisissez un lieu dans la liste.';
  }
  if (Object.keys(errors).length > 0 || startTime === null || endTime === null) return { ok: false, errors };
  return { ok: true, value: { startTime, endTime, placeId } };
}
