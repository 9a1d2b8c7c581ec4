// Write-time validation of opening periods and absences (pure): forms and the API call it before
// saving, and computeLastDay fills the `last_day` column the GiST indexes search on.
// Messages are French (UI copy); fields use the camelCase names of the inputs.

import {
  dayNumberToIsoDate,
  isValidTimeZone,
  parseIsoDate,
  parseTimeOfDay,
  type DayNumber,
} from '../../../shared/time/index.js';
import type { IsoDate, OpeningPeriodOverride, TimeOfDay } from './availability.types.js';
import { compileRecurrence, lastOccurrenceDay, nextOccurrenceDay, parseRecurrence, type RecurrenceRule } from './recurrence.js';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type ValidationResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

export interface OpeningPeriodDraft {
  readonly firstDay: IsoDate;
  /** End date chosen in the form for a recurring period; ignored for a one-off period. */
  readonly lastDay?: IsoDate | null;
  readonly startTime: TimeOfDay;
  readonly endTime: TimeOfDay;
  readonly recurrence: string | null;
  readonly timeZone: string;
  readonly excludedDates?: readonly IsoDate[];
  readonly overrides?: readonly OpeningPeriodOverride[];
}

export interface AbsenceDraft {
  readonly firstDay: IsoDate;
  readonly startTime: TimeOfDay;
  readonly endDay: IsoDate;
  readonly endTime: TimeOfDay;
  /** End date chosen in the form for a recurring absence (last day it may start on). */
  readonly lastDay?: IsoDate | null;
  readonly recurrence: string | null;
  readonly timeZone: string;
  readonly excludedDates?: readonly IsoDate[];
}

/** What to store once a draft is valid. */
export interface ScheduleWriteValues {
  /** Value of the `last_day` column: last day covered; null = open-ended. */
  readonly lastDay: IsoDate | null;
}

function checkDate(errors: FieldError[], field: string, value: string | null | undefined, label: string): DayNumber | null {
  if (value === null || value === undefined) return null;
  const day = parseIsoDate(value);
  if (day === null) errors.push({ field, message: `${label} n'est pas une date valide.` });
  return day;
}

function checkTime(errors: FieldError[], field: string, value: string, label: string): number | null {
  const minutes = parseTimeOfDay(value);
  if (minutes === null) errors.push({ field, message: `${label} n'est pas une heure valide (HH:MM).` });
  return minutes;
}

function checkRecurrence(errors: FieldError[], recurrence: string | null): RecurrenceRule | null {
  if (recurrence === null) return null;
  const parsed = parseRecurrence(recurrence);
  if (!parsed.ok) {
    errors.push({ field: 'recurrence', message: parsed.message });
    return null;
  }
  return parsed.rule;
}

function checkTimeZone(errors: FieldError[], timeZone: string): void {
  if (!isValidTimeZone(timeZone) || !timeZone.includes('/')) {
    if (timeZone !== 'UTC') errors.push({ field: 'timeZone', message: `Le fuseau horaire « ${timeZone} » est inconnu.` });
  }
}

function checkExcludedDates(errors: FieldError[], excludedDates: readonly string[] | undefined): void {
  (excludedDates ?? []).forEach((date, index) => {
    checkDate(errors, `excludedDates.${index}`, date, 'La date exclue');
  });
}

/**
 * Value of `last_day` for a valid schedule: a one-off gives firstDay + spanDays; a recurring one
 * gives its last occurrence (UNTIL, COUNT or the chosen end date) + spanDays, or null when endless.
 * Call it on validated input: it throws RangeError on malformed dates or rules.
 */
export function computeLastDay(
  firstDay: IsoDate,
  recurrence: string | null,
  options: { readonly chosenLastDay?: IsoDate | null; readonly spanDays?: number } = {},
): IsoDate | null {
  const first = parseIsoDate(firstDay);
  if (first === null) throw new RangeError(`Invalid first day: ${firstDay}`);
  const spanDays = options.spanDays ?? 0;
  if (recurrence === null) return dayNumberToIsoDate(first + spanDays);
  const parsed = parseRecurrence(recurrence);
  if (!parsed.ok) throw new RangeError(`Invalid recurrence: ${recurrence}`);
  const chosen = options.chosenLastDay === null || options.chosenLastDay === undefined ? null : parseIsoDate(options.chosenLastDay);
  const bound = chosen ?? Number.POSITIVE_INFINITY;
  const last = lastOccurrenceDay(parsed.rule, first, bound);
  if (last !== null) return dayNumberToIsoDate(last + spanDays);
  // Endless rule and no chosen end date: the series never ends.
  const endless = chosen === null && compileRecurrence(parsed.rule, first).lastDay === Number.POSITIVE_INFINITY;
  return endless ? null : dayNumberToIsoDate(first + spanDays);
}

/** Validates an opening period before it is saved and computes its `last_day`. */
export function validateOpeningPeriod(draft: OpeningPeriodDraft): ValidationResult<ScheduleWriteValues> {
  const errors: FieldError[] = [];
  const firstDay = checkDate(errors, 'firstDay', draft.firstDay, 'Le premier jour');
  const chosenLastDay = draft.recurrence === null ? null : checkDate(errors, 'lastDay', draft.lastDay, 'La date de fin');
  const start = checkTime(errors, 'startTime', draft.startTime, "L'heure de début");
  const end = checkTime(errors, 'endTime', draft.endTime, "L'heure de fin");
  if (start !== null && end !== null && end <= start) {
    errors.push({ field: 'endTime', message: "L'heure de fin doit être après l'heure de début." });
  }
  const rule = checkRecurrence(errors, draft.recurrence);
  checkTimeZone(errors, draft.timeZone);
  checkExcludedDates(errors, draft.excludedDates);
  (draft.overrides ?? []).forEach((override, index) => {
    checkDate(errors, `overrides.${index}.occurrenceDate`, override.occurrenceDate, 'La date de la séance modifiée');
    const overrideStart = checkTime(errors, `overrides.${index}.startTime`, override.startTime, "L'heure de début");
    const overrideEnd = checkTime(errors, `overrides.${index}.endTime`, override.endTime, "L'heure de fin");
    if (overrideStart !== null && overrideEnd !== null && overrideEnd <= overrideStart) {
      errors.push({ field: `overrides.${index}.endTime`, message: "L'heure de fin doit être après l'heure de début." });
    }
  });
  if (firstDay !== null && chosenLastDay !== null && chosenLastDay < firstDay) {
    errors.push({ field: 'lastDay', message: 'La date de fin doit être après le premier jour.' });
  }
  if (errors.length === 0 && firstDay !== null && rule !== null) {
    checkHasOccurrence(errors, rule, firstDay, chosenLastDay);
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { lastDay: computeLastDay(draft.firstDay, draft.recurrence, { chosenLastDay: draft.lastDay ?? null }) },
  };
}

function checkHasOccurrence(errors: FieldError[], rule: RecurrenceRule, firstDay: DayNumber, chosenLastDay: DayNumber | null): void {
  const compiled = compileRecurrence(rule, firstDay);
  const first = nextOccurrenceDay(compiled, firstDay);
  if (first === null || (chosenLastDay !== null && first > chosenLastDay)) {
    errors.push({ field: 'recurrence', message: 'Cette récurrence ne produit aucune occurrence.' });
  }
}

/** Validates an absence before it is saved and computes its `last_day`. */
export function validateAbsence(draft: AbsenceDraft): ValidationResult<ScheduleWriteValues> {
  const errors: FieldError[] = [];
  const firstDay = checkDate(errors, 'firstDay', draft.firstDay, 'Le premier jour');
  const endDay = checkDate(errors, 'endDay', draft.endDay, 'Le jour de fin');
  const chosenLastDay = draft.recurrence === null ? null : checkDate(errors, 'lastDay', draft.lastDay, 'La date de fin');
  const start = checkTime(errors, 'startTime', draft.startTime, "L'heure de début");
  const end = checkTime(errors, 'endTime', draft.endTime, "L'heure de fin");
  if (firstDay !== null && endDay !== null && start !== null && end !== null) {
    if (endDay < firstDay || (endDay === firstDay && end <= start)) {
      errors.push({ field: endDay < firstDay ? 'endDay' : 'endTime', message: "La fin de l'absence doit être après son début." });
    }
  }
  const rule = checkRecurrence(errors, draft.recurrence);
  checkTimeZone(errors, draft.timeZone);
  checkExcludedDates(errors, draft.excludedDates);
  if (firstDay !== null && chosenLastDay !== null && chosenLastDay < firstDay) {
    errors.push({ field: 'lastDay', message: 'La date de fin doit être après le premier jour.' });
  }
  if (errors.length === 0 && firstDay !== null && rule !== null) {
    checkHasOccurrence(errors, rule, firstDay, chosenLastDay);
  }
  if (errors.length > 0 || firstDay === null || endDay === null) return { ok: false, errors };
  return {
    ok: true,
    value: {
      lastDay: computeLastDay(draft.firstDay, draft.recurrence, {
        chosenLastDay: draft.lastDay ?? null,
        spanDays: endDay - firstDay,
      }),
    },
  };
}
