// French wording shared by the agenda's pages: days, times with their zone, people, links.
import { formatTime, zoneLabel } from '../../../platform/views/format.js';
import { civilFromDayNumber, dayNumberToIsoDate, weekdayOf, type DayNumber, type EpochMinutes } from '../../../shared/time/index.js';
import type { AgendaAppointment, AgendaParticipant } from '../agenda.repository.js';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

export const WEEKDAY_NAMES: readonly string[] = WEEKDAYS;

/** "lundi 23 novembre" */
export function formatDayHeading(day: DayNumber): string {
  const { month, day: dayOfMonth } = civilFromDayNumber(day);
  return `${WEEKDAYS[weekdayOf(day)] ?? ''} ${dayOfMonth === 1 ? '1er' : String(dayOfMonth)} ${MONTHS[month - 1] ?? ''}`;
}

/** "lundi 23 novembre 2026" */
export function formatDayWithYear(day: DayNumber): string {
  return `${formatDayHeading(day)} ${String(civilFromDayNumber(day).year)}`;
}

/** "novembre 2026" */
export function formatMonth(day: DayNumber): string {
  const { year, month } = civilFromDayNumber(day);
  return `${MONTHS[month - 1] ?? ''} ${String(year)}`;
}

/** "Heure de Paris" (a zone's name at the start of a sentence). */
export function zoneTitle(timeZone: string): string {
  const label = zoneLabel(timeZone);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** "9h00 – 9h45" in the zone. */
export function formatTimeRange(timeZone: string, startsAt: EpochMinutes, endsAt: EpochMinutes): string {
  return `${formatTime(timeZone, startsAt)} – ${formatTime(timeZone, endsAt)}`;
}

/** The time range in the display zone, and in the appointment's own zone when it differs. */
export function appointmentTimes(appointment: AgendaAppointment, displayZone: string): string {
  const shown = formatTimeRange(displayZone, appointment.startsAtEpochMinutes, appointment.endsAtEpochMinutes);
  if (appointment.timeZone === displayZone) return shown;
  return `${shown} (${formatTimeRange(appointment.timeZone, appointment.startsAtEpochMinutes, appointment.endsAtEpochMinutes)} ${zoneLabel(appointment.timeZone)})`;
}

/** "Camille Durand, Karim Haddad" — at most `limit` names, then "et 3 autres". */
export function participantNames(participants: readonly AgendaParticipant[], limit = 4): string {
  const names = participants.map((participant) => `${participant.firstName} ${participant.lastName}${participant.isCancelled ? ' (annulé)' : ''}`);
  if (names.length === 0) return 'Aucun participant';
  if (names.length <= limit) return names.join(', ');
  return `${names.slice(0, limit).join(', ')} et ${String(names.length - limit)} autres`;
}

/** The appointment's title: a collective session's name, else its motif. */
export function appointmentTitle(appointment: AgendaAppointment): string {
  return appointment.isCollective && appointment.name !== null && appointment.name !== appointment.motifName ? `${appointment.name} (${appointment.motifName})` : appointment.motifName;
}

const LOCATION_LABELS: Readonly<Record<AgendaAppointment['locationType'], string>> = {
  public_office: 'sur place',
  phone: 'par téléphone',
  home: 'à domicile',
  visio: 'en visioconférence',
};

/** Where: the place's name, or how the appointment happens. */
export function appointmentWhere(appointment: AgendaAppointment): string {
  if (appointment.placeName !== null) return appointment.placeName;
  return LOCATION_LABELS[appointment.locationType];
}

/** The appointment's page (built by the appointments pages). */
export function appointmentHref(organisationId: number, appointmentId: number): string {
  return `/agents/organisations/${String(organisationId)}/rdv/${String(appointmentId)}`;
}

export interface AgendaLinkState {
  readonly vue: string;
  readonly date: DayNumber;
  readonly agentIds?: readonly number[];
  readonly placeId?: number;
}

/** A link to the agenda keeping its agents or place. */
export function agendaHref(organisationId: number, state: AgendaLinkState): string {
  const query = new URLSearchParams({ vue: state.vue, date: dayNumberToIsoDate(state.date) });
  if (state.placeId !== undefined) query.set('lieu', String(state.placeId));
  else for (const agentId of state.agentIds ?? []) query.append('agents', String(agentId));
  return `/agents/organisations/${String(organisationId)}/agenda?${query.toString()}`;
}
