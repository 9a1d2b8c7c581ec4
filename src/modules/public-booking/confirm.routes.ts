// The funnel's last steps: the chosen slot → identification → details and "for whom" →
// one atomic booking → confirmation page. A slot taken meanwhile gives a French message and the
// refreshed week, never an error page; a double click replays the same appointment.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { NotFoundError } from '../../platform/http/errors.js';
import { csrfToken, rateLimit } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { dateToEpochMinutes, dayNumberToIsoDate, epochMinutesToDate, localDayOf } from '../../shared/time/index.js';
import { currentUserId } from '../auth/index.js';
import { findConfirmation, findUserAndRelatives } from './confirm.repository.js';
import { confirmBooking } from './confirm.use-cases.js';
import { validateBookingForm, type BookingFormInput } from './domain/booking-form.js';
import { findMotifChoice, loadCatalogue, locationForOrganisationLink, mondayOf, resolveChosenSlot, resolveScope, type ChosenSlot } from './funnel.use-cases.js';
import { APPOINTMENT_REFUSALS, bookAppointment } from '../appointments/index.js';
import { findOrCreateBeneficiary } from './beneficiaries.use-cases.js';
import { validatePrescripteurForm, type PrescripteurFormInput } from './domain/prescripteur-form.js';
import { confirmBody, confirmationParams, prescripteurBody, slotFields as slotFieldsSchema, type SlotFields } from './public-booking.schemas.js';
import { ConfirmationPage, DetailsPage, IdentifyPage, PrescripteurConfirmationPage, PrescripteurPage } from './views/confirm-pages.js';

declare module 'fastify' {
  interface Session {
    /** The booking a prescripteur just made, shown once on the confirmation page. */
    prescripteurBooking?: { motifName: string; whereLabel: string; startsAtEpochMinutes: number; timeZone: string; beneficiaryName: string };
  }
}


type SlotParams = SlotFields;

const FORM_FIELDS = ['prenom', 'nom', 'naissance', 'telephone', 'adresse', 'pourQui', 'prochePrenom', 'procheNom', 'procheNaissance'] as const;
const PRESCRIPTEUR_FIELDS = [
  'prescripteurPrenom',
  'prescripteurNom',
  'prescripteurEmail',
  'prescripteurTelephone',
  'beneficiairePrenom',
  'beneficiaireNom',
  'beneficiaireTelephone',
  'beneficiaireNaissance',
  'beneficiaireEmail',
] as const;

/** The typed fields of a form as strings ('' when absent), to validate and to show again. */
function stringFields<Field extends string>(body: Partial<Record<Field, string>>, fields: readonly Field[]): Record<Field, string> {
  return Object.fromEntries(fields.map((field) => [field, body[field] ?? ''])) as Record<Field, string>;
}

function slotQuery(params: SlotParams): string {
  const query = new URLSearchParams({ motif: String(params.motif) });
  if (params.lieu !== undefined) query.set('lieu', String(params.lieu));
  if (params.organisation !== undefined) query.set('organisation', String(params.organisation));
  if (params.restriction !== undefined) query.set('restriction', params.restriction);
  return query.toString();
}

function slotFields(params: SlotParams): Record<string, string> {
  const fields: Record<string, string> = { motif: String(params.motif), debut: String(params.debut) };
  if (params.lieu !== undefined) fields.lieu = String(params.lieu);
  if (params.organisation !== undefined) fields.organisation = String(params.organisation);
  if (params.seance !== undefined) fields.seance = String(params.seance);
  if (params.restriction !== undefined) fields.restriction = params.restriction;
  return fields;
}

function weekHref(params: SlotParams, slot: ChosenSlot | null): string {
  const week = slot === null ? '' : `&semaine=${dayNumberToIsoDate(mondayOf(localDayOf(slot.timeZone, slot.startsAtEpochMinutes)))}`;
  return `/prendre-rdv?${slotQuery(params)}${week}`;
}

/** The slot was taken meanwhile: back to the refreshed week, which says so (never an error page). */
function slotGone(reply: FastifyReply, params: SlotParams, slot: ChosenSlot): FastifyReply {
  return reply.redirect(`${weekHref(params, slot)}&indisponible=1`, 303);
}

function newIdempotencyKey(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Who books: the signed-in usager, or — in a funnel opened from a partner's invitation — the
 * invited usager, whom the verified token identifies. `invited` opens invitation-only motifs.
 */
function bookingUser(request: FastifyRequest): { userId: number; invited: boolean } | undefined {
  const invitation = request.session.get('searchLocation')?.invitation;
  const userId = currentUserId(request) ?? invitation?.userId;
  return userId === undefined ? undefined : { userId, invited: invitation?.userId === userId };
}

/** Registers /prendre-rdv/creneau, /prendre-rdv/confirmer and /rdv/:publicId/confirmation. */
export function registerConfirmRoutes(app: ZodApp, context: AppContext): void {
  /** The chosen slot from the URL or form, checked again; null answers 404. */
  async function chosenSlot(request: FastifyRequest, params: SlotParams): Promise<ChosenSlot | null> {
    const location = request.session.get('searchLocation');
    if (location === undefined) return null;
    const scope = await resolveScope(context.db, location);
    if (scope === null) return null;
    const selection = findMotifChoice(await loadCatalogue(context.db, scope), params.motif);
    if (selection === null) return null;
    if (selection.motif.restrictionForBooking !== null && params.restriction === undefined) return null;
    const target = params.lieu !== undefined ? { placeId: params.lieu } : params.organisation !== undefined ? { organisationId: params.organisation } : null;
    if (target === null) return null;
    return resolveChosenSlot(context.db, scope, selection, target, params.debut, params.seance ?? null, context.now());
  }

  async function renderDetails(
    request: FastifyRequest,
    reply: FastifyReply,
    userId: number,
    slot: ChosenSlot,
    params: SlotParams,
    form: { values: Record<string, string>; errors: Record<string, string>; idempotencyKey: string; notice?: string },
    statusCode: number,
  ): Promise<FastifyReply> {
    const { user, relatives } = await findUserAndRelatives(context.db, userId);
    if (user === undefined) throw new NotFoundError();
    return sendPage(
      reply,
      DetailsPage({
        csrfToken: csrfToken(request),
        slot,
        slotFields: slotFields(params),
        idempotencyKey: form.idempotencyKey,
        user,
        relatives,
        values: form.values,
        errors: form.errors,
        phoneRequired: slot.locationType === 'phone',
        ...(form.notice === undefined ? {} : { notice: form.notice }),
      }),
      { statusCode: statusCode },
    );
  }

  app.get('/prendre-rdv/creneau', { schema: { querystring: slotFieldsSchema } }, async (request, reply) => {
    const params = request.query;
    if (request.session.get('searchLocation') === undefined) {
      // A link opened on another device (the account's confirmation e-mail): the address is not in
      // this session, so the funnel restarts from the slot's organisation (never from a URL address).
      const target = params.lieu !== undefined ? { placeId: params.lieu } : params.organisation !== undefined ? { organisationId: params.organisation } : null;
      const location = target === null ? null : await locationForOrganisationLink(context.db, target);
      if (location === null) return reply.redirect('/', 303);
      request.session.set('searchLocation', location);
    }
    const slot = await chosenSlot(request, params);
    if (slot === null) throw new NotFoundError();
    if (!slot.stillOffered) return slotGone(reply, params, slot);
    const userId = bookingUser(request)?.userId;
    if (userId === undefined) {
      return sendPage(reply, IdentifyPage({ slot, returnTo: request.url, prescripteurHref: `/prendre-rdv/prescripteur?${new URLSearchParams(slotFields(params)).toString()}` }));
    }
    const activated = params.compte === 'active' ? { notice: 'Votre compte est activé. Vérifiez vos informations puis confirmez le rendez-vous.' } : {};
    return renderDetails(request, reply, userId, slot, params, { values: {}, errors: {}, idempotencyKey: newIdempotencyKey(), ...activated }, 200);
  });

  app.post('/prendre-rdv/confirmer', { schema: { body: confirmBody }, config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 600 }) } }, async (request, reply) => {
    const booking = bookingUser(request);
    const userId = booking?.userId;
    const body = request.body;
    const params: SlotParams = body;
    if (userId === undefined) return reply.redirect(`/prendre-rdv/creneau?${new URLSearchParams(slotFields(params)).toString()}`, 303);
    const values = stringFields(body, FORM_FIELDS);
    const key = body.cle;
    const slot = await chosenSlot(request, params);
    if (slot === null) throw new NotFoundError();
    const { relatives } = await findUserAndRelatives(context.db, userId);
    const now = context.now();
    const validated = validateBookingForm(values satisfies BookingFormInput, {
      phoneRequired: slot.locationType === 'phone',
      relativeIds: relatives.map((relative) => relative.id),
      today: dayNumberToIsoDate(localDayOf(slot.timeZone, dateToEpochMinutes(now))),
    });
    if (!validated.ok) return renderDetails(request, reply, userId, slot, params, { values, errors: validated.errors, idempotencyKey: key }, 422);
    const result = await confirmBooking(context.db, {
      userId,
      invited: booking?.invited === true,
      appointmentTypeId: slot.appointmentTypeId,
      startsAt: epochMinutesToDate(slot.startsAtEpochMinutes),
      placeId: slot.placeId,
      allowedAgentIds: slot.allowedAgentIds,
      collectiveAppointmentId: slot.collectiveAppointmentId,
      form: validated.value,
      idempotencyKey: key,
      now,
    });
    if (result.ok) return reply.redirect(`/rdv/${result.appointment.publicId}/confirmation`, 303);
    switch (result.reason) {
      case 'SLOT_TAKEN':
      case 'SLOT_NOT_OFFERED':
      case 'OUTSIDE_BOOKING_WINDOW':
      case 'FULL':
      case 'CANCELLED':
        return slotGone(reply, params, slot);
      case 'ALREADY_PARTICIPATING':
        return renderDetails(request, reply, userId, slot, params, { values, errors: {}, idempotencyKey: newIdempotencyKey(), notice: 'Cette personne est déjà inscrite à cette séance.' }, 409);
      case 'ERASED_USER':
        // The usager (or the relative chosen) was merged into another record by the service meanwhile.
        return renderDetails(request, reply, userId, slot, params, { values, errors: {}, idempotencyKey: newIdempotencyKey(), notice: APPOINTMENT_REFUSALS.ERASED_USER.message }, 409);
      case 'IDEMPOTENCY_KEY_REUSED':
      case 'INVALID_IDEMPOTENCY_KEY':
      case 'COLLECTIVE_TYPE':
      case 'NOT_COLLECTIVE':
      case 'NOT_BOOKABLE_ONLINE':
      case 'NOT_ALLOWED':
      case 'NOT_FOUND':
      case 'UNKNOWN_APPOINTMENT_TYPE':
      case 'UNKNOWN_USER':
        request.log.warn({ reason: result.reason }, 'booking refused');
        return renderDetails(
          request,
          reply,
          userId,
          slot,
          params,
          { values, errors: {}, idempotencyKey: newIdempotencyKey(), notice: 'La réservation n’a pas pu être enregistrée. Vérifiez vos informations puis réessayez, ou contactez le service.' },
          422,
        );
    }
  });

  app.get('/prendre-rdv/prescripteur', { schema: { querystring: slotFieldsSchema } }, async (request, reply) => {
    if (request.session.get('searchLocation') === undefined) return reply.redirect('/', 303);
    const slot = await chosenSlot(request, request.query);
    if (slot === null || slot.collectiveAppointmentId !== null) throw new NotFoundError();
    if (!slot.stillOffered) return slotGone(reply, request.query, slot);
    return sendPage(
      reply,
      PrescripteurPage({ csrfToken: csrfToken(request), slot, slotFields: slotFields(request.query), idempotencyKey: newIdempotencyKey(), values: {}, errors: {} }),
    );
  });

  app.post('/prendre-rdv/prescripteur', { schema: { body: prescripteurBody }, config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 600 }) } }, async (request, reply) => {
    const body = request.body;
    const params: SlotParams = body;
    const slot = await chosenSlot(request, params);
    if (slot === null || slot.collectiveAppointmentId !== null) throw new NotFoundError();
    const values = stringFields(body, PRESCRIPTEUR_FIELDS);
    const key = body.cle;
    const now = context.now();
    const render = (errors: Record<string, string>, statusCode: number): FastifyReply =>
      sendPage(reply, PrescripteurPage({ csrfToken: csrfToken(request), slot, slotFields: slotFields(params), idempotencyKey: key, values, errors }), { statusCode: statusCode });
    const validated = validatePrescripteurForm(values satisfies PrescripteurFormInput, dayNumberToIsoDate(localDayOf(slot.timeZone, dateToEpochMinutes(now))));
    if (!validated.ok) return render(validated.errors, 422);
    const beneficiary = await findOrCreateBeneficiary(context.db, validated.value.beneficiary);
    if (!beneficiary.ok) return render({ beneficiaireNom: 'Ces informations ne permettent pas d’identifier la personne. Vérifiez le nom et le téléphone.' }, 422);
    const result = await bookAppointment(context.db, {
      appointmentTypeId: slot.appointmentTypeId,
      startsAt: epochMinutesToDate(slot.startsAtEpochMinutes),
      placeId: slot.placeId,
      allowedAgentIds: slot.allowedAgentIds,
      userId: beneficiary.userId,
      bookedBy: { type: 'prescripteur', identity: validated.value.prescripteur },
      idempotencyKey: key,
      now,
    });
    if (!result.ok) {
      if (result.reason === 'SLOT_TAKEN' || result.reason === 'SLOT_NOT_OFFERED' || result.reason === 'OUTSIDE_BOOKING_WINDOW') {
        return slotGone(reply, params, slot);
      }
      request.log.warn({ reason: result.reason }, 'prescripteur booking refused');
      return render({ beneficiaireNom: 'La réservation n’a pas pu être enregistrée pour cette personne. Contactez le service.' }, 422);
    }
    request.session.set('prescripteurBooking', {
      motifName: slot.motifName,
      whereLabel: slot.whereLabel,
      startsAtEpochMinutes: slot.startsAtEpochMinutes,
      timeZone: slot.timeZone,
      beneficiaryName: `${validated.value.beneficiary.firstName} ${validated.value.beneficiary.lastName}`,
    });
    return reply.redirect('/prendre-rdv/prescripteur/confirmation', 303);
  });

  app.get('/prendre-rdv/prescripteur/confirmation', async (request, reply) => {
    const booking = request.session.get('prescripteurBooking');
    if (booking === undefined) return reply.redirect('/', 303);
    return sendPage(reply, PrescripteurConfirmationPage({ slot: booking, beneficiaryName: booking.beneficiaryName }));
  });

  app.get('/rdv/:publicId/confirmation', { schema: { params: confirmationParams } }, async (request, reply) => {
    const { publicId } = request.params;
    const userId = bookingUser(request)?.userId;
    if (userId === undefined) return reply.redirect(`/connexion?retour=${encodeURIComponent(request.url)}`, 303);
    const appointment = await findConfirmation(context.db, publicId, userId);
    if (appointment === undefined) throw new NotFoundError();
    return sendPage(reply, ConfirmationPage({ appointment, feedbackUrl: context.config.feedbackUrl }));
  });
}
