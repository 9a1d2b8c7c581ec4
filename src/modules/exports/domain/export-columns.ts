// The columns of the two exports and how one row of data becomes one row of cells (pure).
// Dates and times are real spreadsheet dates in the appointment's own zone: a spreadsheet has
// no zones, so the cell holds the local wall clock, and the « Fuseau horaire » column names the
// zone. Every text goes through `neutraliseCellText`. The module README lists the columns.
import { civilFromDayNumber, epochMinutesToLocal, type EpochMinutes } from '../../../shared/time/index.js';
import { neutraliseCellText } from './cell-safety.js';

export type ExportKind = 'appointments' | 'participations';
export type ExportedStatus = 'unknown' | 'seen' | 'noshow' | 'excused' | 'revoked';
export type ExportedLocationType = 'public_office' | 'phone' | 'home' | 'visio';
export type ExportedCreator = 'agent' | 'user' | 'prescripteur' | 'waitlist' | 'api_client';

/** A cell: text, number, date (local wall clock as UTC fields), or empty. */
export type CellValue = string | number | Date | null;

export interface ExportColumn {
  readonly header: string;
  /** Width in characters. */
  readonly width: number;
  /** Number format of dates, times and durations. */
  readonly numFmt?: string;
}

/** What the appointments' export reads of one appointment. */
export interface ExportedAppointment {
  readonly id: number;
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  readonly timeZone: string;
  readonly status: ExportedStatus;
  readonly isCollective: boolean;
  /** A collective session's own name. */
  readonly name: string | null;
  readonly motifName: string;
  readonly serviceName: string;
  readonly locationType: ExportedLocationType;
  readonly placeName: string | null;
  readonly agentNames: readonly string[];
  readonly createdByType: ExportedCreator;
  readonly createdByAgentName: string | null;
  readonly createdAtEpochMinutes: EpochMinutes;
}

export interface ExportedParticipant {
  readonly firstName: string;
  readonly lastName: string;
  readonly isCancelled: boolean;
}

/** One row of the appointments' export. */
export interface AppointmentExportRow extends ExportedAppointment {
  readonly participants: readonly ExportedParticipant[];
}

/** One row of the participations' export: a usager in an appointment. */
export interface ParticipationExportRow extends ExportedAppointment {
  readonly participationStatus: ExportedStatus;
  readonly participationCreatedByType: ExportedCreator;
  readonly userId: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthName: string | null;
  /** 'YYYY-MM-DD'. */
  readonly birthDate: string | null;
  readonly phoneNumber: string | null;
  readonly email: string | null;
  readonly address: string | null;
  /** The usager's file number in the département's software, when the territory shows it. */
  readonly caseNumber: string | null;
}

/** What the mapping needs besides the row: the status wording at the instant the export was asked for. */
export interface CellContext {
  /** « À venir », « Vu »… of a status for an appointment starting at `startsAt`. */
  readonly statusLabel: (status: ExportedStatus, startsAt: EpochMinutes) => string;
  /** The zone of « Créé le » (the organisation's). */
  readonly organisationTimeZone: string;
}

const DATE_FORMAT = 'dd/mm/yyyy';
const TIME_FORMAT = 'hh:mm';
const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm';

const LOCATION_LABELS: Readonly<Record<ExportedLocationType, string>> = {
  public_office: 'Sur place',
  phone: 'Par téléphone',
  home: 'À domicile',
  visio: 'En visioconférence',
};

const CREATOR_LABELS: Readonly<Record<ExportedCreator, string>> = {
  agent: 'Agent',
  user: 'Usager',
  prescripteur: 'Prescripteur',
  waitlist: 'Liste d’attente',
  api_client: 'Logiciel partenaire (API)',
};

/** The local wall clock of an instant, as a Date whose UTC fields are those of the zone (what a spreadsheet shows). */
export function localDateTimeCell(timeZone: string, at: EpochMinutes): Date {
  const { dayNumber, minuteOfDay } = epochMinutesToLocal(timeZone, at);
  return new Date((dayNumber * 1440 + minuteOfDay) * 60_000);
}

/** The local day of an instant, as a spreadsheet date (midnight). */
export function localDateCell(timeZone: string, at: EpochMinutes): Date {
  const { dayNumber } = epochMinutesToLocal(timeZone, at);
  return new Date(dayNumber * 86_400_000);
}

/** The local time of day of an instant, as a spreadsheet time (a fraction of a day). */
export function localTimeCell(timeZone: string, at: EpochMinutes): number {
  return epochMinutesToLocal(timeZone, at).minuteOfDay / 1440;
}

/** A 'YYYY-MM-DD' date as a spreadsheet date, or empty when it is not one. */
function isoDateCell(text: string | null): Date | null {
  if (text === null || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function textCell(text: string | null | undefined): string | null {
  if (text === null || text === undefined || text === '') return null;
  return neutraliseCellText(text);
}

function creatorLabel(type: ExportedCreator, agentName: string | null): string {
  return type === 'agent' && agentName !== null ? `${CREATOR_LABELS.agent} (${agentName})` : CREATOR_LABELS[type];
}

/** The columns both exports share, in order: the appointment. */
const APPOINTMENT_COLUMNS: readonly ExportColumn[] = [
  { header: 'Identifiant du rendez-vous', width: 14 },
  { header: 'Date', width: 12, numFmt: DATE_FORMAT },
  { header: 'Heure', width: 8, numFmt: TIME_FORMAT },
  { header: 'Durée (minutes)', width: 10 },
  { header: 'Fuseau horaire', width: 18 },
  { header: 'Motif', width: 30 },
  { header: 'Service', width: 20 },
  { header: 'Modalité', width: 18 },
  { header: 'Lieu', width: 28 },
  { header: 'Agents', width: 30 },
  { header: 'Statut du rendez-vous', width: 18 },
  { header: 'Rendez-vous collectif', width: 10 },
  { header: 'Nom de la séance', width: 24 },
  { header: 'Créé par', width: 24 },
  { header: 'Créé le', width: 17, numFmt: DATE_TIME_FORMAT },
];

function appointmentCells(row: ExportedAppointment, context: CellContext): CellValue[] {
  return [
    row.id,
    localDateCell(row.timeZone, row.startsAtEpochMinutes),
    localTimeCell(row.timeZone, row.startsAtEpochMinutes),
    row.endsAtEpochMinutes - row.startsAtEpochMinutes,
    row.timeZone,
    textCell(row.motifName),
    textCell(row.serviceName),
    LOCATION_LABELS[row.locationType],
    textCell(row.placeName),
    textCell(row.agentNames.join(', ')),
    context.statusLabel(row.status, row.startsAtEpochMinutes),
    row.isCollective ? 'Oui' : 'Non',
    textCell(row.name),
    textCell(creatorLabel(row.createdByType, row.createdByAgentName)),
    localDateTimeCell(context.organisationTimeZone, row.createdAtEpochMinutes),
  ];
}

/** The appointments' export: one row per appointment. */
export const APPOINTMENT_EXPORT_COLUMNS: readonly ExportColumn[] = [
  ...APPOINTMENT_COLUMNS,
  { header: 'Nombre de participants', width: 12 },
  { header: 'Participants excusés ou annulés', width: 12 },
  { header: 'Usagers', width: 40 },
];

/** The cells of one appointment (usagers « NOM Prénom », separated by commas). */
export function appointmentExportCells(row: AppointmentExportRow, context: CellContext): CellValue[] {
  const active = row.participants.filter((participant) => !participant.isCancelled);
  return [
    ...appointmentCells(row, context),
    active.length,
    row.participants.length - active.length,
    textCell(row.participants.map((participant) => `${participant.lastName.toUpperCase()} ${participant.firstName}`).join(', ')),
  ];
}

/** The participations' export: one row per usager and appointment; « Numéro de dossier » only where the territory shows it. */
export function participationExportColumns(options: { withCaseNumber: boolean }): readonly ExportColumn[] {
  return [
    ...APPOINTMENT_COLUMNS,
    { header: 'Statut de la participation', width: 18 },
    { header: 'Inscrit par', width: 20 },
    { header: 'Identifiant de l’usager', width: 12 },
    { header: 'Nom', width: 20 },
    { header: 'Prénom', width: 20 },
    { header: 'Nom de naissance', width: 20 },
    { header: 'Date de naissance', width: 12, numFmt: DATE_FORMAT },
    { header: 'Téléphone', width: 16 },
    { header: 'Adresse e-mail', width: 28 },
    { header: 'Adresse', width: 36 },
    ...(options.withCaseNumber ? [{ header: 'Numéro de dossier', width: 16 }] : []),
  ];
}

/** The cells of one participation. */
export function participationExportCells(row: ParticipationExportRow, context: CellContext, options: { withCaseNumber: boolean }): CellValue[] {
  return [
    ...appointmentCells(row, context),
    context.statusLabel(row.participationStatus, row.startsAtEpochMinutes),
    CREATOR_LABELS[row.participationCreatedByType],
    row.userId,
    textCell(row.lastName),
    textCell(row.firstName),
    textCell(row.birthName),
    isoDateCell(row.birthDate),
    textCell(row.phoneNumber),
    textCell(row.email),
    textCell(row.address),
    ...(options.withCaseNumber ? [textCell(row.caseNumber)] : []),
  ];
}

/** The file's name: only fixed words, the kind and digits (it ends in a header). */
export function exportFileName(kind: ExportKind, requestedAt: EpochMinutes, timeZone: string, publicId: string): string {
  const { dayNumber, minuteOfDay } = epochMinutesToLocal(timeZone, requestedAt);
  const { year, month, day } = civilFromDayNumber(dayNumber);
  const two = (value: number): string => String(value).padStart(2, '0');
  const stamp = `${String(year)}-${two(month)}-${two(day)}-${two(Math.floor(minuteOfDay / 60))}h${two(minuteOfDay % 60)}`;
  const suffix = publicId.replace(/[^0-9a-f]/g, '').slice(0, 8);
  return `${kind === 'appointments' ? 'rendez-vous' : 'participations'}-${stamp}-${suffix}.xlsx`;
}
