// The one table from the appointments core's refusals to HTTP (ADR 0012): a status and a French
// message for each reason. Pages use the status and, where the page knows more (the service's
// phone number, the deadline), a richer message of their own; the REST API will answer
// `{ error: message, reason, statusCode }` from the same table.
import { HttpMappedError } from '../../platform/http/errors.js';
import type {
  BookingRefusalReason,
  CancelRefusalReason,
  JoinRefusalReason,
  LeaveRefusalReason,
  RescheduleRefusalReason,
  WaitlistRefusalReason,
} from './appointments.errors.js';
import type { StatusChangeRefusal } from './domain/index.js';

export type AppointmentRefusalReason =
  | BookingRefusalReason
  | JoinRefusalReason
  | CancelRefusalReason
  | LeaveRefusalReason
  | RescheduleRefusalReason
  | WaitlistRefusalReason
  | StatusChangeRefusal;

export interface RefusalAnswer {
  /** 404: unknown or foreign (ids cannot be probed); 409: the state forbids it now; 422: the request itself is wrong. */
  readonly statusCode: 404 | 409 | 422;
  readonly message: string;
}

export const APPOINTMENT_REFUSALS: Readonly<Record<AppointmentRefusalReason, RefusalAnswer>> = {
  NOT_FOUND: { statusCode: 404, message: 'Ce rendez-vous n’existe pas ou ne vous concerne pas.' },
  NOT_ALLOWED: { statusCode: 404, message: 'Ce rendez-vous n’existe pas ou ne vous concerne pas.' },
  UNKNOWN_USER: { statusCode: 404, message: 'Cette personne est introuvable.' },
  ERASED_USER: { statusCode: 409, message: 'Cette fiche a été fusionnée avec une autre par le service : elle ne peut plus prendre part à un rendez-vous. Utilisez la fiche conservée.' },
  UNKNOWN_APPOINTMENT_TYPE: { statusCode: 404, message: 'Ce motif de rendez-vous n’existe pas ou n’est plus proposé.' },
  SLOT_TAKEN: { statusCode: 409, message: 'Ce créneau vient d’être pris par une autre personne : choisissez-en un autre.' },
  SLOT_NOT_OFFERED: { statusCode: 409, message: 'Ce créneau n’est plus proposé : choisissez-en un autre.' },
  OUTSIDE_BOOKING_WINDOW: { statusCode: 409, message: 'Ce créneau n’est pas (ou plus) ouvert à la réservation en ligne.' },
  FULL: { statusCode: 409, message: 'Cette séance est complète.' },
  CANCELLED: { statusCode: 409, message: 'Cette séance a été annulée par le service.' },
  ALREADY_PARTICIPATING: { statusCode: 409, message: 'Cette personne est déjà inscrite à cette séance.' },
  ALREADY_CANCELLED: { statusCode: 409, message: 'Ce rendez-vous est déjà annulé.' },
  STATUS_FINAL: { statusCode: 409, message: 'Ce rendez-vous a déjà eu lieu.' },
  DEADLINE_PASSED: { statusCode: 409, message: 'Le délai pour faire cette modification en ligne est dépassé : contactez le service.' },
  TOO_SOON: { statusCode: 409, message: 'L’alerte « créneau plus tôt » n’est proposée que pour les rendez-vous dans plus de 7 jours.' },
  NOT_STARTED_YET: { statusCode: 409, message: 'Ce statut ne peut être indiqué qu’une fois le rendez-vous commencé.' },
  TRANSITION_NOT_ALLOWED: { statusCode: 409, message: 'Ce changement de statut n’est pas possible depuis le statut actuel.' },
  UNCHANGED: { statusCode: 409, message: 'Le rendez-vous a déjà ce statut.' },
  NOT_ALLOWED_FOR_USAGER: { statusCode: 404, message: 'Ce rendez-vous n’existe pas ou ne vous concerne pas.' },
  IDEMPOTENCY_KEY_REUSED: { statusCode: 422, message: 'Le formulaire a déjà servi pour une autre demande : rechargez la page.' },
  INVALID_IDEMPOTENCY_KEY: { statusCode: 422, message: 'Le formulaire est incomplet : rechargez la page.' },
  SAME_SLOT: { statusCode: 422, message: 'C’est déjà l’horaire de ce rendez-vous : choisissez un autre horaire.' },
  COLLECTIVE_TYPE: { statusCode: 422, message: 'Ce motif est une séance collective : choisissez une séance.' },
  NOT_COLLECTIVE: { statusCode: 422, message: 'Ce rendez-vous n’est pas une séance collective.' },
  COLLECTIVE_APPOINTMENT: { statusCode: 422, message: 'Une séance collective ne se déplace pas : désinscrivez-vous, puis inscrivez-vous à une autre séance.' },
  NOT_BOOKABLE_ONLINE: { statusCode: 409, message: 'Ce rendez-vous ne peut pas être pris ou modifié en ligne : contactez le service.' },
  BOOKED_BY_AGENT: { statusCode: 409, message: 'Ce rendez-vous a été fixé par le service : contactez-le pour le modifier.' },
  JOINT_APPOINTMENT: { statusCode: 409, message: 'Ce rendez-vous avec plusieurs professionnels ne peut pas être modifié en ligne.' },
  HOME_VISIT: { statusCode: 409, message: 'L’alerte « créneau plus tôt » n’est pas proposée pour les visites à domicile.' },
};

/** A refusal as an error for the single error handler (JSON or page), when a route has nothing better to show. */
export class AppointmentRefusalError extends HttpMappedError {
  override name = 'AppointmentRefusalError';
  readonly statusCode: number;
  readonly publicMessage: string;
  constructor(readonly reason: AppointmentRefusalReason) {
    super(`refus : ${reason}`);
    this.statusCode = APPOINTMENT_REFUSALS[reason].statusCode;
    this.publicMessage = APPOINTMENT_REFUSALS[reason].message;
  }
}
