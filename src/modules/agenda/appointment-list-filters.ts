// The appointment list's filters, in one place: how the query (or an export's form, which
// carries the same fields) is read — `du` absent means "from today", `du=` lifts the bound — and
// the French error when the dates are reversed. The ids are checked against what the principal
// may see by `resolveAppointmentListFilters` (agenda.use-cases.ts). The list page and the
// exports module both use these, so "the list's filters" has one definition.
import { dateToEpochMinutes, dayNumberToIsoDate, localDayOf, type DayNumber } from '../../shared/time/index.js';
import { roleIn, type AgentPrincipal } from '../agents/index.js';
import type { StatusFilter } from './domain/appointment-status.js';

/** The filter fields as the schema parsed them (`''` is a select's "all" option). */
export interface AppointmentListFilterInput {
  readonly agent?: number | '';
  readonly motif?: number | '';
  readonly lieu?: number | '';
  readonly statut?: StatusFilter | '';
  readonly du?: DayNumber | '';
  readonly au?: DayNumber | '';
}

/** The filters as typed (kept in the form, the pagination links and the export forms). */
export interface ListFormValues {
  readonly agent: string;
  readonly motif: string;
  readonly lieu: string;
  readonly statut: string;
  readonly du: string;
  readonly au: string;
}

/** The list's selection: ids and local days of the organisation. */
export interface AppointmentListSelection {
  readonly agentId?: number;
  readonly motifId?: number;
  readonly placeId?: number;
  readonly status?: StatusFilter;
  readonly fromDay?: DayNumber;
  readonly toDay?: DayNumber;
}

export interface ReadListFilters {
  readonly form: ListFormValues;
  readonly selection: AppointmentListSelection;
  /** French field messages (422) when the filters cannot be applied. */
  readonly errors?: Record<string, string>;
}

function present<T>(value: T | '' | undefined): T | undefined {
  return value === '' ? undefined : value;
}

function text(value: number | '' | undefined): string {
  return value === undefined || value === '' ? '' : String(value);
}

/** Reads the filters: without a `du` at all the list starts today (in `timeZone`); `du=` lifts the bound. */
export function readAppointmentListFilters(input: AppointmentListFilterInput, timeZone: string, now: Date): ReadListFilters {
  const fromDay = input.du === undefined ? localDayOf(timeZone, dateToEpochMinutes(now)) : present(input.du);
  const toDay = present(input.au);
  const form: ListFormValues = {
    agent: text(input.agent),
    motif: text(input.motif),
    lieu: text(input.lieu),
    statut: input.statut ?? '',
    du: fromDay === undefined ? '' : dayNumberToIsoDate(fromDay),
    au: toDay === undefined ? '' : dayNumberToIsoDate(toDay),
  };
  const selection: AppointmentListSelection = {
    agentId: present(input.agent),
    motifId: present(input.motif),
    placeId: present(input.lieu),
    status: present(input.statut),
    fromDay,
    toDay,
  };
  if (fromDay !== undefined && toDay !== undefined && toDay < fromDay) {
    return { form, selection, errors: { au: 'La date de fin doit être le même jour que la date de début ou après.' } };
  }
  return { form, selection };
}

/** The zone in which the principal's list reads its days (their organisation's). */
export function listTimeZoneOf(principal: AgentPrincipal, organisationId: number): string {
  return roleIn(principal, organisationId)?.timeZone ?? 'Europe/Paris';
}
