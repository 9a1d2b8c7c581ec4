// "Mes rendez-vous" (signed-in usager, for themself and their relatives) and the appointment
// opened from an SMS/e-mail link (no account). Routes: validate with zod → one use case → render,
// or redirect after a write (Post/Redirect/Get); refusals become French messages, never error pages.
//
// Both entry points share the same action routes below a base path:
//   /mes-rdv/:publicId/…                 the signed-in usager acts for themself or a relative;
//   /rdv/lien/:token/rendez-vous/…       whoever answered the last-name question acts as the beneficiary.
// Actions: GET+POST annuler, GET+POST quitter (collective), GET+POST deplacer, POST liste-attente,
// GET calendrier.ics. URLs carry the appointment's publicId, never a sequential id.
//
// SMS carry short links, `/r/:token` (a 22-character token, access-tokens `length: 'short'`), that
// redirect to `/rdv/lien/:token`, so that a reminder with its link fits one SMS segment.
//
// Tokens never reach the logs: every /rdv/lien/* and /r/* route runs with `logLevel: 'warn'`, so Fastify's
// "incoming request" / "request completed" lines (info) — the only ones printing the path — are
// skipped for them; the logger already drops query strings, and nothing here logs a URL. Helmet's
// `Referrer-Policy: no-referrer` keeps the path out of Referer headers. Only the token's SHA-256 is
// looked up; the session keeps the verified participation, never the token.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js';
import { csrfToken, rateLimit, regenerateSession } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import {
  dateToEpochMinutes,
  epochMinutesToDate,
  localDayOf,
  localToEpochMinutes,
  parseIsoDate,
  weekdayOf,
  type DayNumber,
} from '../../shared/time/index.js';
import { currentUserId } from '../auth/index.js';
import { findNextAvailabilities, searchSlots, type SearchFilters, type Slot } from '../availability/index.js';
import { MAX_FAILED_NAME_ATTEMPTS, accessTokenProblem, findAccessTokenByHash, hashAccessToken, isWellFormedAccessToken, verifyAppointmentAccess } from '../access-tokens/index.js';
import {
  APPOINTMENT_REFUSALS,
  cancelParticipation,
  findAppointment,
  findReferentAgentIds,
  getAppointmentCalendarFile,
  isCancelledStatus,
  leaveCollectiveAppointment,
  rescheduleAppointment,
  setWaitlist,
  type AppointmentRow,
  type CancelRefusal,
  type RescheduleRefusal,
  type WaitlistRefusal,
} from '../appointments/index.js';
import { accountAppointmentParams, emptyBody, lettersBody, linkParams, listQuery, rescheduleBody, waitlistBody, weekQuery } from './my-appointments.schemas.js';
import { listUserAppointments, type UserAppointmentView } from './my-appointments.use-cases.js';
import {
  ConfirmCancelPage,
  LinkAccessPage,
  LinkedAppointmentPage,
  MyAppointmentsPage,
  ReschedulePage,
  appointmentWhen,
  callTheService,
  formatDelay,
  type Notice,
} from './views/my-appointments-pages.js';

/** What a verified appointment link grants: this participation, acting as its beneficiary. */
export interface AppointmentAccessGrant {
  appointmentId: number;
  publicId: string;
  /** The beneficiary. */
  userId: number;
  participationId: number;
}

declare module 'fastify' {
  interface Session {
    /** Set once the last-name question of an appointment link was answered. */
    appointmentAccess?: AppointmentAccessGrant;
    /** Message shown once on the next page (after a cancel, a move…). */
    myAppointmentsNotice?: Notice;
  }
}

const LIST_PATH = '/mes-rdv';

/** Where the actions hang, and what their path parameters are: an account's appointment, or a link's. */
interface ActionsBase {
  readonly prefix: string;
  readonly params: typeof accountAppointmentParams | typeof linkParams;
  /** Routes whose path holds a token log at warn only: no request/response lines (see the header). */
  readonly logLevel?: 'warn';
}

/** A path parameter already checked by the route's schema. */
function pathParam(request: FastifyRequest, name: 'publicId' | 'token'): string {
  return (request.params as Record<string, string>)[name] ?? '';
}


function takeNotice(request: FastifyRequest): Notice | undefined {
  const notice = request.session.get('myAppointmentsNotice');
  if (notice !== undefined) request.session.set('myAppointmentsNotice', undefined);
  return notice;
}

function redirectWithNotice(request: FastifyRequest, reply: FastifyReply, to: string, notice: Notice): FastifyReply {
  request.session.set('myAppointmentsNotice', notice);
  return reply.redirect(to, 303);
}

function mondayOf(day: DayNumber): DayNumber {
  return day - weekdayOf(day);
}

// ---------------------------------------------------------------------------------------------
// French wording of refusals
// ---------------------------------------------------------------------------------------------

function cancelRefusalMessage(reason: CancelRefusal, view: UserAppointmentView, deadlineMinutes: number): string {
  switch (reason) {
    case 'ALREADY_CANCELLED':
      return 'Ce rendez-vous est déjà annulé.';
    case 'STATUS_FINAL':
      return 'Ce rendez-vous a déjà eu lieu : il ne peut plus être annulé.';
    case 'DEADLINE_PASSED':
      return deadlineMinutes <= 0
        ? `L’annulation en ligne n’est plus possible une fois le rendez-vous commencé. ${callTheService(view.organisation)}`
        : `L’annulation en ligne n’est plus possible moins de ${formatDelay(deadlineMinutes)} avant le rendez-vous. ${callTheService(view.organisation)}`;
  }
}

function rescheduleRefusalMessage(reason: RescheduleRefusal, view: UserAppointmentView, deadlineMinutes: number): string {
  const call = callTheService(view.organisation);
  switch (reason) {
    case 'ALREADY_CANCELLED':
      return 'Ce rendez-vous est annulé : il ne peut plus être déplacé. Prenez un nouveau rendez-vous.';
    case 'STATUS_FINAL':
      return 'Ce rendez-vous a déjà eu lieu : il ne peut plus être déplacé.';
    case 'DEADLINE_PASSED':
      return `Un rendez-vous ne peut plus être déplacé en ligne moins de ${formatDelay(deadlineMinutes)} avant. Vous pouvez l’annuler, ou : ${call}`;
    case 'COLLECTIVE_APPOINTMENT':
      return 'Une séance collective ne se déplace pas : désinscrivez-vous, puis inscrivez-vous à une autre séance.';
    case 'NOT_BOOKABLE_ONLINE':
      return `Ce rendez-vous ne peut pas être déplacé en ligne. ${call}`;
    case 'BOOKED_BY_AGENT':
      return `Ce rendez-vous a été fixé par le service : pour le déplacer, ${call.charAt(0).toLowerCase()}${call.slice(1)}`;
    case 'JOINT_APPOINTMENT':
      return `Ce rendez-vous avec plusieurs professionnels ne peut pas être déplacé en ligne. ${call}`;
  }
}

function waitlistRefusalMessage(reason: WaitlistRefusal): string {
  switch (reason) {
    case 'ALREADY_CANCELLED':
      return 'Ce rendez-vous est annulé.';
    case 'STATUS_FINAL':
      return 'Ce rendez-vous a déjà eu lieu.';
    case 'COLLECTIVE_APPOINTMENT':
      return 'L’alerte « créneau plus tôt » n’existe pas pour les séances collectives.';
    case 'NOT_BOOKABLE_ONLINE':
      return 'L’alerte « créneau plus tôt » n’est pas proposée pour ce rendez-vous.';
    case 'HOME_VISIT':
      return 'L’alerte « créneau plus tôt » n’est pas proposée pour les visites à domicile.';
    case 'TOO_SOON':
      return 'L’alerte « créneau plus tôt » n’est proposée que pour les rendez-vous dans plus de 7 jours.';
  }
}

const LINK_PROBLEMS: Record<'INVALID_TOKEN' | 'EXPIRED' | 'LOCKED', string> = {
  INVALID_TOKEN:
    'Ce lien de rendez-vous n’est pas valide. Vérifiez que l’adresse a été copiée en entier, connectez-vous à votre compte, ou contactez le service qui vous a donné rendez-vous.',
  EXPIRED: 'Ce lien de rendez-vous a expiré. Connectez-vous à votre compte, ou contactez le service qui vous a donné rendez-vous.',
  LOCKED:
    'Pour votre sécurité, ce lien a été bloqué après plusieurs essais erronés. Connectez-vous à votre compte, ou contactez le service qui vous a donné rendez-vous.',
};

// ---------------------------------------------------------------------------------------------
// Who acts on which appointment
// ---------------------------------------------------------------------------------------------

/** The appointment an action is about, and who acts. */
interface Scope {
  readonly view: UserAppointmentView;
  /** Base path of the actions (`/mes-rdv/<publicId>` or `/rdv/lien/<token>/rendez-vous`). */
  readonly base: string;
  /** The page to go back to after an action. */
  readonly home: string;
  readonly backLabel: string;
  /** The signed-in usager (the beneficiary or their responsible); undefined through a link (the beneficiary acts). */
  readonly actorUserId: number | undefined;
}

type Resolution = Scope | { readonly redirect: string };
type Resolver = (request: FastifyRequest) => Promise<Resolution>;

/** The participation to act on: the first one still active when the usager and a relative share a session. */
function pickView(views: readonly UserAppointmentView[]): UserAppointmentView | undefined {
  return views.find((view) => !isCancelledStatus(view.status)) ?? views[0];
}

function allOf(list: { upcoming: readonly UserAppointmentView[]; past: readonly UserAppointmentView[] }): UserAppointmentView[] {
  return [...list.upcoming, ...list.past];
}

function isPast(view: UserAppointmentView, now: Date): boolean {
  return view.endsAt.getTime() <= now.getTime();
}

/** Signed-in usager and an appointment of theirs or of a relative; otherwise sign-in, or 404. */
function accountResolver(context: AppContext): Resolver {
  return async (request) => {
    const userId = currentUserId(request);
    if (userId === undefined) {
      // Only the path (no query): it is made of safe characters and needs no encoding.
      const path = request.url.split('?')[0] ?? LIST_PATH;
      return { redirect: `/connexion?retour=${request.method === 'GET' ? path : LIST_PATH}` };
    }
    const publicId = pathParam(request, 'publicId');
    const list = await listUserAppointments(context.db, { userId, now: context.now() });
    const view = pickView(allOf(list).filter((candidate) => candidate.publicId === publicId));
    if (view === undefined) throw new NotFoundError();
    return { view, base: `${LIST_PATH}/${publicId}`, home: LIST_PATH, backLabel: 'Retour à mes rendez-vous', actorUserId: userId };
  };
}

/** The token must still be valid; raises the French 403 page otherwise. */
async function checkLinkToken(context: AppContext, token: string): Promise<{ participationId: number | null }> {
  if (!isWellFormedAccessToken(token)) throw new ForbiddenError(LINK_PROBLEMS.INVALID_TOKEN);
  const stored = await findAccessTokenByHash(context.db, hashAccessToken(token));
  if (stored === undefined) throw new ForbiddenError(LINK_PROBLEMS.INVALID_TOKEN);
  const problem = accessTokenProblem(stored, 'appointment_access', context.now());
  if (problem !== null) throw new ForbiddenError(LINK_PROBLEMS[problem === 'ALREADY_USED' ? 'INVALID_TOKEN' : problem]);
  return { participationId: stored.participationId };
}

/** A link whose last-name question was answered in this session; otherwise back to the question. */
function linkResolver(context: AppContext): Resolver {
  return async (request) => {
    const token = pathParam(request, 'token');
    const { participationId } = await checkLinkToken(context, token);
    const access = request.session.get('appointmentAccess');
    const linkPath = `/rdv/lien/${token}`;
    if (access === undefined || participationId === null || access.participationId !== participationId) return { redirect: linkPath };
    const list = await listUserAppointments(context.db, { userId: access.userId, now: context.now() });
    const view = allOf(list).find((candidate) => candidate.participationId === access.participationId);
    if (view === undefined) throw new NotFoundError();
    const base = `${linkPath}/rendez-vous`;
    return { view, base, home: base, backLabel: 'Retour au rendez-vous', actorUserId: undefined };
  };
}

// ---------------------------------------------------------------------------------------------
// Read side of the actions: the motif's rules, the week of slots to move to
// ---------------------------------------------------------------------------------------------

async function loadAppointment(context: AppContext, view: UserAppointmentView): Promise<AppointmentRow> {
  const row = await findAppointment(context.db, view.appointmentId, { lock: false });
  if (row === undefined) throw new NotFoundError();
  return row;
}

/** Why cancelling online is impossible now, in French, or null (from the list's own facts: no query). */
function cancelExplanation(view: UserAppointmentView): string | null {
  return view.cancelRefusal === null ? null : cancelRefusalMessage(view.cancelRefusal, view, view.appointmentType.cancelDeadlineMinutes);
}

/** Why moving online is impossible now and what to do instead, or null. */
function rescheduleExplanation(view: UserAppointmentView): string | null {
  return view.rescheduleRefusal === null ? null : rescheduleRefusalMessage(view.rescheduleRefusal, view, view.appointmentType.rescheduleDeadlineMinutes);
}

interface RescheduleWeek {
  readonly weekStart: DayNumber;
  readonly today: DayNumber;
  readonly slots: readonly Slot[];
  readonly nextAvailability: Slot | null;
}

/** Public slots of the same motif, place and organisation over one week, in the appointment's zone. */
async function loadRescheduleWeek(context: AppContext, view: UserAppointmentView, row: AppointmentRow, requested: DayNumber | null): Promise<RescheduleWeek> {
  const now = context.now();
  const timeZone = view.timeZone;
  const today = localDayOf(timeZone, dateToEpochMinutes(now));
  const weekStart = Math.max(mondayOf(requested ?? today), mondayOf(today));
  const from = epochMinutesToDate(localToEpochMinutes(timeZone, weekStart, 0));
  const to = epochMinutesToDate(localToEpochMinutes(timeZone, weekStart + 7, 0));
  const filters: SearchFilters = {
    placeIds: row.placeId === null ? null : [row.placeId],
    organisationIds: [row.organisationId],
    referentAgentIds: row.type.isFollowUpOnly ? await findReferentAgentIds(context.db, view.beneficiary.userId) : null,
  };
  const current = dateToEpochMinutes(row.startsAt);
  const usable = (slot: Slot): boolean => slot.placeId === row.placeId && slot.startsAtEpochMinutes !== current;
  const slots = (await searchSlots(context.db, { appointmentTypeId: row.appointmentTypeId, audience: 'public', from, to, now, filters })).filter(usable);
  let nextAvailability: Slot | null = null;
  if (slots.length === 0) {
    const next = await findNextAvailabilities(context.db, {
      appointmentTypeId: row.appointmentTypeId,
      appointmentTypeIds: [row.appointmentTypeId],
      audience: 'public',
      now,
      filters,
    });
    const found = next.get(row.placeId ?? row.organisationId);
    nextAvailability = found !== undefined && usable(found) ? found : null;
  }
  return { weekStart, today, slots, nextAvailability };
}

// ---------------------------------------------------------------------------------------------
// Actions, registered below both base paths
// ---------------------------------------------------------------------------------------------

function registerAppointmentActions(app: ZodApp, context: AppContext, base: ActionsBase, resolve: Resolver): void {
  const { prefix } = base;
  const logLevel = base.logLevel === undefined ? {} : { logLevel: base.logLevel };
  const options = { ...logLevel, schema: { params: base.params } };
  const withBody = <Body extends typeof rescheduleBody | typeof waitlistBody | typeof emptyBody>(body: Body) => ({ ...logLevel, schema: { params: base.params, body } });
  /** Resolves the scope, or answers with the redirect (sign-in, link question). */
  const withScope =
    (handler: (scope: Scope, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const resolution = await resolve(request);
      if ('redirect' in resolution) return reply.redirect(resolution.redirect, 303);
      return handler(resolution, request, reply);
    };

  const renderConfirm = async (scope: Scope, request: FastifyRequest, reply: FastifyReply, mode: 'cancel' | 'leave', refusal: string | null, status: number): Promise<FastifyReply> =>
    sendPage(
      reply,
      ConfirmCancelPage({
        csrfToken: csrfToken(request),
        view: scope.view,
        action: `${scope.base}/${mode === 'cancel' ? 'annuler' : 'quitter'}`,
        backHref: scope.home,
        backLabel: scope.backLabel,
        mode,
        refusal,
      }),
      { statusCode: status, private: true },
    );

  // Cancel an individual appointment (a collective one is "left").
  app.get(
    `${prefix}/annuler`,
    options,
    withScope(async (scope, request, reply) => {
      if (scope.view.isCollective) return reply.redirect(`${scope.base}/quitter`, 303);
      return renderConfirm(scope, request, reply, 'cancel', cancelExplanation(scope.view), 200);
    }),
  );

  app.post(
    `${prefix}/annuler`,
    withBody(emptyBody),
    withScope(async (scope, request, reply) => {
      const result = await cancelParticipation(context.db, {
        appointmentId: scope.view.appointmentId,
        userId: scope.view.beneficiary.userId,
        actorUserId: scope.actorUserId,
        now: context.now(),
      });
      if (result.ok) {
        return redirectWithNotice(request, reply, scope.home, { kind: 'success', message: `Votre rendez-vous du ${appointmentWhen(scope.view)} est annulé.` });
      }
      if (result.reason === 'NOT_FOUND' || result.reason === 'NOT_ALLOWED') throw new NotFoundError();
      const mode = scope.view.isCollective ? 'leave' : 'cancel';
      return renderConfirm(scope, request, reply, mode, cancelRefusalMessage(result.reason, scope.view, scope.view.appointmentType.cancelDeadlineMinutes), APPOINTMENT_REFUSALS[result.reason].statusCode);
    }),
  );

  // Leave a collective session.
  app.get(
    `${prefix}/quitter`,
    options,
    withScope(async (scope, request, reply) => {
      if (!scope.view.isCollective) throw new NotFoundError();
      return renderConfirm(scope, request, reply, 'leave', cancelExplanation(scope.view), 200);
    }),
  );

  app.post(
    `${prefix}/quitter`,
    withBody(emptyBody),
    withScope(async (scope, request, reply) => {
      const result = await leaveCollectiveAppointment(context.db, {
        appointmentId: scope.view.appointmentId,
        userId: scope.view.beneficiary.userId,
        actorUserId: scope.actorUserId,
        now: context.now(),
      });
      if (result.ok) {
        return redirectWithNotice(request, reply, scope.home, { kind: 'success', message: `Votre désinscription de la séance du ${appointmentWhen(scope.view)} est enregistrée.` });
      }
      if (result.reason === 'NOT_FOUND' || result.reason === 'NOT_ALLOWED' || result.reason === 'NOT_COLLECTIVE') throw new NotFoundError();
      return renderConfirm(scope, request, reply, 'leave', cancelRefusalMessage(result.reason, scope.view, scope.view.appointmentType.cancelDeadlineMinutes), APPOINTMENT_REFUSALS[result.reason].statusCode);
    }),
  );

  // Move to another slot of the same motif and place.
  const renderWeek = async (
    scope: Scope,
    request: FastifyRequest,
    reply: FastifyReply,
    requested: DayNumber | null,
    status: number,
    messages: { alert?: string; error?: string } = {},
  ): Promise<FastifyReply> => {
    const common = { csrfToken: csrfToken(request), view: scope.view, action: `${scope.base}/deplacer`, backHref: scope.home, backLabel: scope.backLabel, idempotencyKey: randomUUID() };
    const refusal = rescheduleExplanation(scope.view);
    if (refusal !== null) {
      return sendPage(reply, ReschedulePage({ ...common, refusal, weekStart: 0, today: 0, slots: [], nextAvailability: null }), { statusCode: status === 200 ? 200 : 409, private: true });
    }
    const row = await loadAppointment(context, scope.view);
    const week = await loadRescheduleWeek(context, scope.view, row, requested);
    return sendPage(reply, ReschedulePage({ ...common, refusal: null, ...week, ...messages }), { statusCode: status, private: true });
  };

  app.get(
    `${prefix}/deplacer`,
    { ...logLevel, schema: { params: base.params, querystring: weekQuery } },
    withScope(async (scope, request, reply) => {
      const { semaine } = request.query as { semaine?: string };
      const requested = semaine === undefined ? null : parseIsoDate(semaine);
      if (semaine !== undefined && requested === null) throw new NotFoundError();
      return renderWeek(scope, request, reply, requested, 200);
    }),
  );

  app.post(
    `${prefix}/deplacer`,
    withBody(rescheduleBody),
    withScope(async (scope, request, reply) => {
      const body = request.body as { debut?: number; cle: string; semaine?: string };
      const shownWeek = body.semaine === undefined ? null : parseIsoDate(body.semaine);
      if (body.debut === undefined) return renderWeek(scope, request, reply, shownWeek, 422, { error: 'Choisissez un nouvel horaire dans la liste.' });
      const startsAtMinutes = body.debut;
      const chosenWeek = localDayOf(scope.view.timeZone, startsAtMinutes);
      const result = await rescheduleAppointment(context.db, {
        appointmentId: scope.view.appointmentId,
        userId: scope.view.beneficiary.userId,
        actorUserId: scope.actorUserId,
        newStartsAt: epochMinutesToDate(startsAtMinutes),
        idempotencyKey: body.cle,
        now: context.now(),
      });
      if (result.ok) {
        const when = appointmentWhen(result.appointment);
        return redirectWithNotice(request, reply, scope.home, { kind: 'success', message: `Votre rendez-vous est déplacé au ${when}.` });
      }
      switch (result.reason) {
        case 'NOT_FOUND':
        case 'NOT_ALLOWED':
          throw new NotFoundError();
        case 'SLOT_TAKEN':
          return renderWeek(scope, request, reply, chosenWeek, 409, {
            alert: 'Ce créneau vient d’être pris par une autre personne. Votre rendez-vous n’a pas changé : choisissez un autre horaire ci-dessous.',
          });
        case 'SLOT_NOT_OFFERED':
        case 'OUTSIDE_BOOKING_WINDOW':
          return renderWeek(scope, request, reply, chosenWeek, 409, {
            alert: 'Ce créneau n’est plus proposé. Votre rendez-vous n’a pas changé : choisissez un autre horaire ci-dessous.',
          });
        case 'SAME_SLOT':
          return renderWeek(scope, request, reply, chosenWeek, 422, { error: 'C’est déjà l’horaire de votre rendez-vous : choisissez un autre horaire.' });
        case 'INVALID_IDEMPOTENCY_KEY':
        case 'IDEMPOTENCY_KEY_REUSED':
          return renderWeek(scope, request, reply, chosenWeek, 422, { alert: 'Le formulaire a expiré. Choisissez de nouveau un horaire.' });
        case 'ALREADY_CANCELLED':
        case 'STATUS_FINAL':
        case 'DEADLINE_PASSED':
        case 'COLLECTIVE_APPOINTMENT':
        case 'NOT_BOOKABLE_ONLINE':
        case 'BOOKED_BY_AGENT':
        case 'JOINT_APPOINTMENT':
          return renderWeek(scope, request, reply, chosenWeek, 409);
      }
    }),
  );

  // "Prévenez-moi si un créneau plus tôt se libère."
  app.post(
    `${prefix}/liste-attente`,
    withBody(waitlistBody),
    withScope(async (scope, request, reply) => {
      const enabled = (request.body as { actif: 'oui' | 'non' }).actif === 'oui';
      const result = await setWaitlist(context.db, {
        appointmentId: scope.view.appointmentId,
        userId: scope.view.beneficiary.userId,
        actorUserId: scope.actorUserId,
        enabled,
        now: context.now(),
      });
      if (result.ok) {
        const message = enabled
          ? 'C’est noté : vous serez prévenu(e) si un créneau plus tôt se libère.'
          : 'Vous ne serez plus prévenu(e) des créneaux plus tôt.';
        return redirectWithNotice(request, reply, scope.home, { kind: 'success', message });
      }
      if (result.reason === 'NOT_FOUND' || result.reason === 'NOT_ALLOWED') throw new NotFoundError();
      return redirectWithNotice(request, reply, scope.home, { kind: 'error', message: waitlistRefusalMessage(result.reason) });
    }),
  );

  // The calendar file: no motif in it (SUMMARY names the organisation).
  app.get(
    `${prefix}/calendrier.ics`,
    options,
    withScope(async (scope, _request, reply) => {
      const file = await getAppointmentCalendarFile(context.db, {
        appointmentId: scope.view.appointmentId,
        uidDomain: new URL(context.config.baseUrl).hostname,
        now: context.now(),
      });
      if (file === undefined) throw new NotFoundError();
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="rendez-vous.ics"')
        .type('text/calendar; charset=utf-8')
        .send(file);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

/** Registers `/mes-rdv`, its actions, and the token-link pages `/rdv/lien/:token…`. */
export function registerMyAppointmentsRoutes(app: ZodApp, context: AppContext): void {
  app.get(LIST_PATH, { schema: { querystring: listQuery } }, async (request, reply) => {
    const userId = currentUserId(request);
    if (userId === undefined) return reply.redirect(`/connexion?retour=${LIST_PATH}`, 303);
    const activated: Notice | undefined = request.query.compte === 'active' ? { kind: 'success', message: 'Votre compte est activé.' } : undefined;
    // One query for the whole list: each view carries what the usager may still do, and why not.
    const list = await listUserAppointments(context.db, { userId, now: context.now() });
    const upcoming = list.upcoming.map((view) => ({
      view,
      cancelExplanation: view.status === 'unknown' ? cancelExplanation(view) : null,
      rescheduleExplanation: view.status === 'unknown' ? rescheduleExplanation(view) : null,
    }));
    return sendPage(reply, MyAppointmentsPage({ csrfToken: csrfToken(request), upcoming, past: list.past, notice: takeNotice(request) ?? activated }), { private: true });
  });

  registerAppointmentActions(app, context, { prefix: `${LIST_PATH}/:publicId`, params: accountAppointmentParams }, accountResolver(context));

  // Token links. The question page first…
  app.get(
    '/rdv/lien/:token',
    { logLevel: 'warn', schema: { params: linkParams }, config: { rateLimit: rateLimit({ max: 300, timeWindowSeconds: 600 }) } },
    async (request, reply) => {
      const { token } = request.params;
      const { participationId } = await checkLinkToken(context, token);
      const access = request.session.get('appointmentAccess');
      if (access !== undefined && participationId !== null && access.participationId === participationId) {
        return reply.redirect(`/rdv/lien/${token}/rendez-vous`, 303);
      }
      return sendPage(reply, LinkAccessPage({ csrfToken: csrfToken(request), action: `/rdv/lien/${token}` }), { private: true });
    },
  );

  // …reached from an SMS by its short link (the token is checked there)…
  app.get('/r/:token', { logLevel: 'warn', schema: { params: linkParams } }, async (request, reply) => reply.redirect(`/rdv/lien/${request.params.token}`, 303));

  // …its answer (each wrong answer counts; the fifth locks the link)…
  app.post(
    '/rdv/lien/:token',
    { logLevel: 'warn', schema: { params: linkParams, body: lettersBody }, config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 600 }) } },
    async (request, reply) => {
      const { token } = request.params;
      const lettres = (request.body.lettres ?? '').trim();
      const action = `/rdv/lien/${token}`;
      if (lettres === '' || lettres.length > 50) {
        await checkLinkToken(context, token);
        return sendPage(reply, LinkAccessPage({ csrfToken: csrfToken(request), action, error: 'Saisissez les 3 premières lettres du nom de famille.' }), { statusCode: 422, private: true });
      }
      const result = await verifyAppointmentAccess(context.db, { token, lastNamePrefix: lettres, now: context.now() });
      if (!result.ok) {
        if (result.reason !== 'NAME_MISMATCH') throw new ForbiddenError(LINK_PROBLEMS[result.reason]);
        const stored = await findAccessTokenByHash(context.db, hashAccessToken(token));
        const left = Math.max(0, MAX_FAILED_NAME_ATTEMPTS - (stored?.failedAttempts ?? MAX_FAILED_NAME_ATTEMPTS));
        const error = `Ces lettres ne correspondent pas au nom de famille de la personne qui a rendez-vous. Il vous reste ${String(left)} essai${left > 1 ? 's' : ''}.`;
        return sendPage(reply, LinkAccessPage({ csrfToken: csrfToken(request), action, value: lettres, error }), { statusCode: 422, private: true });
      }
      // A change of privilege: a new session id, against fixation.
      await regenerateSession(request, ['userId', 'searchLocation']);
      request.session.set('appointmentAccess', {
        appointmentId: result.appointmentId,
        publicId: result.publicId,
        userId: result.userId,
        participationId: result.participationId,
      });
      return reply.redirect(`${action}/rendez-vous`, 303);
    },
  );

  // …then the appointment itself, and its actions.
  const resolveLink = linkResolver(context);
  app.get('/rdv/lien/:token/rendez-vous', { logLevel: 'warn', schema: { params: linkParams } }, async (request, reply) => {
    const resolution = await resolveLink(request);
    if ('redirect' in resolution) return reply.redirect(resolution.redirect, 303);
    const now = context.now();
    const past = isPast(resolution.view, now);
    return sendPage(
      reply,
      LinkedAppointmentPage({
        csrfToken: csrfToken(request),
        view: resolution.view,
        base: resolution.base,
        isPast: past,
        cancelExplanation: past || resolution.view.status !== 'unknown' ? null : cancelExplanation(resolution.view),
        rescheduleExplanation: past || resolution.view.status !== 'unknown' ? null : rescheduleExplanation(resolution.view),
        notice: takeNotice(request),
      }),
      { private: true },
    );
  });

  registerAppointmentActions(app, context, { prefix: '/rdv/lien/:token/rendez-vous', params: linkParams, logLevel: 'warn' }, resolveLink);
}

