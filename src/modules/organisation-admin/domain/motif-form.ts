// The motif form: every field of `appointment_types` the booking and notification rules read,
// checked by pure rules with a French message per field (ADR 0028). Durations are typed in
// minutes, notices and deadlines in hours (the maximum notice in days), reminders in hours; the
// bounds mirror the constraints of migrations 0001 and 0011 and keep values a person would mean.
import { choiceOf, hoursAsMinutes, minutesAsHours, multiLine, oneLine, wholeNumber, type FieldErrors, type FormResult } from './form-fields.js';

/** The values of migration 0001's checks (the same as platform/db/schema.ts's types). */
export type LocationType = 'public_office' | 'phone' | 'home' | 'visio';
export type BookableBy = 'agents' | 'agents_and_prescripteurs' | 'agents_and_prescripteurs_and_invited_users' | 'everyone';
export type SectorisationLevel = 'departement' | 'organisation' | 'agent';

export const LOCATION_TYPE_LABELS: Readonly<Record<LocationType, string>> = {
  public_office: 'Sur place',
  phone: 'Par téléphone',
  home: 'À domicile',
  visio: 'Par visioconférence',
};

export const BOOKABLE_BY_LABELS: Readonly<Record<BookableBy, string>> = {
  agents: 'Les agents seulement',
  agents_and_prescripteurs: 'Les agents et les prescripteurs',
  agents_and_prescripteurs_and_invited_users: 'Les agents, les prescripteurs et les usagers invités',
  everyone: 'Tout le monde (en ligne)',
};

export type MotifVisibility = 'visible_and_notified' | 'visible_and_not_notified' | 'invisible';
export const VISIBILITY_LABELS: Readonly<Record<MotifVisibility, string>> = {
  visible_and_notified: 'Visible de l’usager, qui reçoit les notifications',
  visible_and_not_notified: 'Visible de l’usager, sans notifications',
  invisible: 'Invisible de l’usager (rendez-vous interne)',
};

export const SECTORISATION_LABELS: Readonly<Record<SectorisationLevel, string>> = {
  departement: 'Tout le département',
  organisation: 'Les secteurs de l’organisation',
  agent: 'Les secteurs attribués aux agents',
};

export const MAX_MOTIF_NAME_LENGTH = 150;
export const MAX_MOTIF_TEXT_LENGTH = 2000;
export const MAX_DURATION_MINUTES = 1440;
export const MAX_BUFFER_MINUTES = 240;
/** Notices and deadlines: a year at most. */
export const MAX_NOTICE_HOURS = 8760;
export const MAX_BOOKING_HORIZON_DAYS = 730;
/** Reminders: up to 30 days before. */
export const MAX_REMINDER_HOURS = 720;

/** The form as typed (every field a string; checkboxes present or not). */
export interface MotifFormInput {
  readonly nom: string;
  readonly couleur: string;
  readonly service: string;
  readonly categorie: string;
  readonly duree: string;
  readonly pas: string;
  readonly tamponAvant: string;
  readonly tamponApres: string;
  readonly typeLieu: string;
  readonly collectif: boolean;
  readonly reservablePar: string;
  readonly delaiMinimum: string;
  readonly delaiMaximum: string;
  readonly delaiAnnulation: string;
  readonly delaiReport: string;
  readonly restriction: string;
  readonly instructions: string;
  readonly suiviUniquement: boolean;
  readonly sectorisation: string;
  readonly visibilite: string;
  readonly rappel1: string;
  readonly rappel2: string;
}

export interface MotifFormValue {
  readonly name: string;
  readonly color: string;
  readonly serviceId: number;
  readonly motifCategoryId: number | null;
  readonly durationMinutes: number;
  readonly slotStepMinutes: number | null;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly locationType: LocationType;
  readonly isCollective: boolean;
  readonly bookableBy: BookableBy;
  readonly minBookingNoticeMinutes: number;
  readonly maxBookingNoticeMinutes: number;
  readonly cancelDeadlineMinutes: number;
  readonly rescheduleDeadlineMinutes: number;
  readonly restrictionForBooking: string | null;
  readonly instructionForBooking: string | null;
  readonly isFollowUpOnly: boolean;
  readonly sectorisationLevel: SectorisationLevel;
  readonly visibility: MotifVisibility;
  /** Minutes before the start, largest first; at most two. */
  readonly reminderOffsetsMinutes: readonly number[];
}

/** What the form may choose from: the services and the motif categories enabled in the territory (plus, when editing, the motif’s own service and category). */
export interface MotifFormChoices {
  readonly serviceIds: ReadonlySet<number>;
  readonly categoryIds: ReadonlySet<number>;
}

const COLOUR = /^#[0-9a-f]{6}$/;
const ID = /^[1-9]\d{0,9}$/;

export function checkMotifForm(input: MotifFormInput, choices: MotifFormChoices): FormResult<MotifFormValue> {
  const errors: FieldErrors = {};
  const name = oneLine(input.nom, MAX_MOTIF_NAME_LENGTH);
  if (!name.ok) errors.nom = `Nom invalide : ${String(MAX_MOTIF_NAME_LENGTH)} caractères au plus, sur une ligne.`;
  else if (name.value === null) errors.nom = 'Saisissez le nom du motif, par exemple « Consultation de puériculture ».';

  const color = input.couleur.trim().toLowerCase();
  if (!COLOUR.test(color)) errors.couleur = 'Couleur invalide : au format #rrggbb, par exemple #000091.';

  const serviceId = ID.test(input.service.trim()) ? Number(input.service.trim()) : null;
  if (serviceId === null || !choices.serviceIds.has(serviceId)) errors.service = 'Choisissez un service proposé par le territoire.';
  let categoryId: number | null = null;
  if (input.categorie.trim() !== '') {
    categoryId = ID.test(input.categorie.trim()) ? Number(input.categorie.trim()) : null;
    if (categoryId === null || !choices.categoryIds.has(categoryId)) errors.categorie = 'Choisissez une catégorie de la liste, ou aucune.';
  }

  const duration = wholeNumber(input.duree, 1, MAX_DURATION_MINUTES);
  if (!duration.ok) errors.duree = `Durée invalide : un nombre de minutes entre 1 et ${String(MAX_DURATION_MINUTES)}.`;
  else if (duration.value === null) errors.duree = 'Saisissez la durée du rendez-vous, en minutes.';
  const step = wholeNumber(input.pas, 5, MAX_DURATION_MINUTES);
  if (!step.ok) errors.pas = `Intervalle entre créneaux invalide : un nombre de minutes entre 5 et ${String(MAX_DURATION_MINUTES)}, ou vide pour la durée du motif.`;
  const before = wholeNumber(input.tamponAvant, 0, MAX_BUFFER_MINUTES);
  if (!before.ok) errors.tamponAvant = `Temps de préparation invalide : un nombre de minutes entre 0 et ${String(MAX_BUFFER_MINUTES)}.`;
  const after = wholeNumber(input.tamponApres, 0, MAX_BUFFER_MINUTES);
  if (!after.ok) errors.tamponApres = `Temps après le rendez-vous invalide : un nombre de minutes entre 0 et ${String(MAX_BUFFER_MINUTES)}.`;

  const locationType = choiceOf(input.typeLieu, LOCATION_TYPE_LABELS);
  if (!locationType.ok) errors.typeLieu = 'Choisissez le type de rendez-vous dans la liste.';
  const bookableBy = choiceOf(input.reservablePar, BOOKABLE_BY_LABELS);
  if (!bookableBy.ok) errors.reservablePar = 'Choisissez qui peut prendre ce rendez-vous.';
  const sectorisation = choiceOf(input.sectorisation, SECTORISATION_LABELS);
  if (!sectorisation.ok) errors.sectorisation = 'Choisissez la sectorisation dans la liste.';
  const visibility = choiceOf(input.visibilite, VISIBILITY_LABELS);
  if (!visibility.ok) errors.visibilite = 'Choisissez la visibilité dans la liste.';
  if (input.collectif && locationType.ok && locationType.value !== 'public_office') errors.collectif = 'Un motif collectif (atelier) se tient sur place : choisissez « Sur place ».';

  const minNotice = hoursAsMinutes(input.delaiMinimum, 0, MAX_NOTICE_HOURS);
  if (!minNotice.ok || minNotice.value === null) errors.delaiMinimum = `Délai minimum invalide : un nombre d’heures entre 0 et ${String(MAX_NOTICE_HOURS)} (0,5 pour 30 minutes).`;
  const maxDays = wholeNumber(input.delaiMaximum, 1, MAX_BOOKING_HORIZON_DAYS);
  if (!maxDays.ok || maxDays.value === null) errors.delaiMaximum = `Délai maximum invalide : un nombre de jours entre 1 et ${String(MAX_BOOKING_HORIZON_DAYS)}.`;
  else if (minNotice.ok && minNotice.value !== null && maxDays.value * 1440 <= minNotice.value) {
    errors.delaiMaximum = 'Le délai maximum de réservation doit être plus long que le délai minimum.';
  }
  const cancel = hoursAsMinutes(input.delaiAnnulation, 0, MAX_NOTICE_HOURS);
  if (!cancel.ok || cancel.value === null) errors.delaiAnnulation = `Délai d’annulation invalide : un nombre d’heures entre 0 et ${String(MAX_NOTICE_HOURS)}.`;
  const reschedule = hoursAsMinutes(input.delaiReport, 0, MAX_NOTICE_HOURS);
  if (!reschedule.ok || reschedule.value === null) errors.delaiReport = `Délai de report invalide : un nombre d’heures entre 0 et ${String(MAX_NOTICE_HOURS)}.`;

  const restriction = multiLine(input.restriction, MAX_MOTIF_TEXT_LENGTH);
  if (!restriction.ok) errors.restriction = `Conditions invalides : ${String(MAX_MOTIF_TEXT_LENGTH)} caractères au plus.`;
  const instructions = multiLine(input.instructions, MAX_MOTIF_TEXT_LENGTH);
  if (!instructions.ok) errors.instructions = `Instructions invalides : ${String(MAX_MOTIF_TEXT_LENGTH)} caractères au plus.`;

  const reminders: number[] = [];
  for (const field of ['rappel1', 'rappel2'] as const) {
    const text = input[field].trim();
    if (text === '') continue;
    const hours = wholeNumber(text, 1, MAX_REMINDER_HOURS);
    if (!hours.ok || hours.value === null) errors[field] = `Rappel invalide : un nombre d’heures entre 1 et ${String(MAX_REMINDER_HOURS)}, ou vide.`;
    else if (reminders.includes(hours.value * 60)) errors[field] = 'Les deux rappels doivent être à des moments différents.';
    else reminders.push(hours.value * 60);
  }

  if (
    Object.keys(errors).length > 0 ||
    !name.ok || name.value === null || serviceId === null || !duration.ok || duration.value === null || !step.ok || !before.ok || !after.ok ||
    !locationType.ok || !bookableBy.ok || !sectorisation.ok || !visibility.ok || !minNotice.ok || minNotice.value === null ||
    !maxDays.ok || maxDays.value === null || !cancel.ok || cancel.value === null || !reschedule.ok || reschedule.value === null ||
    !restriction.ok || !instructions.ok
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      name: name.value,
      color,
      serviceId,
      motifCategoryId: categoryId,
      durationMinutes: duration.value,
      slotStepMinutes: step.value,
      bufferBeforeMinutes: before.value ?? 0,
      bufferAfterMinutes: after.value ?? 0,
      locationType: locationType.value,
      isCollective: input.collectif,
      bookableBy: bookableBy.value,
      minBookingNoticeMinutes: minNotice.value,
      maxBookingNoticeMinutes: maxDays.value * 1440,
      cancelDeadlineMinutes: cancel.value,
      rescheduleDeadlineMinutes: reschedule.value,
      restrictionForBooking: restriction.value,
      instructionForBooking: instructions.value,
      isFollowUpOnly: input.suiviUniquement,
      sectorisationLevel: sectorisation.value,
      visibility: visibility.value,
      reminderOffsetsMinutes: [...reminders].sort((a, b) => b - a),
    },
  };
}

/** The form showing a stored motif (minutes back into hours and days). */
export function motifFormInputOf(value: MotifFormValue): MotifFormInput {
  const [first, second] = value.reminderOffsetsMinutes;
  return {
    nom: value.name,
    couleur: value.color,
    service: String(value.serviceId),
    categorie: value.motifCategoryId === null ? '' : String(value.motifCategoryId),
    duree: String(value.durationMinutes),
    pas: value.slotStepMinutes === null ? '' : String(value.slotStepMinutes),
    tamponAvant: String(value.bufferBeforeMinutes),
    tamponApres: String(value.bufferAfterMinutes),
    typeLieu: value.locationType,
    collectif: value.isCollective,
    reservablePar: value.bookableBy,
    delaiMinimum: minutesAsHours(value.minBookingNoticeMinutes),
    // A horizon stored in minutes that is not whole days shows rounded up (the form speaks in days).
    delaiMaximum: String(Math.ceil(value.maxBookingNoticeMinutes / 1440)),
    delaiAnnulation: minutesAsHours(value.cancelDeadlineMinutes),
    delaiReport: minutesAsHours(value.rescheduleDeadlineMinutes),
    restriction: value.restrictionForBooking ?? '',
    instructions: value.instructionForBooking ?? '',
    suiviUniquement: value.isFollowUpOnly,
    sectorisation: value.sectorisationLevel,
    visibilite: value.visibility,
    rappel1: first === undefined ? '' : String(Math.round(first / 60)),
    rappel2: second === undefined ? '' : String(Math.round(second / 60)),
  };
}

/** A new motif's form: the database's defaults (30 min notice, 3 months, 4 h / 48 h deadlines, a reminder 48 h before). */
export const NEW_MOTIF_INPUT: MotifFormInput = {
  nom: '',
  couleur: '#000091',
  service: '',
  categorie: '',
  duree: '30',
  pas: '',
  tamponAvant: '0',
  tamponApres: '0',
  typeLieu: 'public_office',
  collectif: false,
  reservablePar: 'everyone',
  delaiMinimum: '0,5',
  delaiMaximum: '91',
  delaiAnnulation: '4',
  delaiReport: '48',
  restriction: '',
  instructions: '',
  suiviUniquement: false,
  sectorisation: 'departement',
  visibilite: 'visible_and_notified',
  rappel1: '48',
  rappel2: '',
};

/** The copy's name: « Nom (copie) », then « (copie 2) »… among the names taken, within the length limit. */
export function copyName(name: string, taken: ReadonlySet<string>): string {
  const folded = new Set([...taken].map((candidate) => candidate.toLocaleLowerCase('fr')));
  for (let index = 1; ; index += 1) {
    const suffix = index === 1 ? ' (copie)' : ` (copie ${String(index)})`;
    const candidate = `${name.slice(0, MAX_MOTIF_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    if (!folded.has(candidate.toLocaleLowerCase('fr'))) return candidate;
  }
}
