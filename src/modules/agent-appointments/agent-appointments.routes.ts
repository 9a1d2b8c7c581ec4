// Agent appointment pages (issue 8): the creation wizard, the detail page with its status buttons
// and history, and the edit page. Every route is under /agents/organisations/:organisationId/rdv,
// passes `requireAgent` + `requireOrganisation`, then the fine policy; a refusal or a foreign id is
// a 404. Writes go through the appointments core only (ADR 0014, ADR 0016).
//
// The wizard keeps its state in the session under a random draft id (several tabs may each hold
// a draft): each step is a GET page and a POST that validates, saves and redirects (PRG), so the
// browser's back and forward buttons show the state as saved, and a 422 keeps what was typed.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken } from '../../platform/security/index.js';
import { zoneLabel } from '../../platform/views/format.js';
import { sendPage } from '../../platform/views/send-page.js';
import { dateToEpochMinutes, dayNumberToIsoDate, epochMinutesToDate, epochMinutesToLocal, formatTimeOfDay, isoToEpochMinutes } from '../../shared/time/index.js';
import { agentGuards, agentOf, canChangeAppointment, roleIn, type AgentPrincipal } from '../agents/index.js';
import {
  changeAppointmentStatus,
  createAppointmentByAgent,
  previewAgentAppointmentWarnings,
  updateAppointmentByAgent,
  type AgentAppointmentResult,
  type AppointmentWarning,
} from '../appointments/index.js';
import { AppointmentNotificationsSection, listAppointmentNotifications, planManualReminder, type ManualReminderResult } from '../notifications/index.js';
import { findErasedUserIds, findOrganisationUsers, type AppointmentDetail, type UserSummary } from './agent-appointments.repository.js';
import {
  appointmentParams,
  confirmationBody,
  detailsBody,
  draftParams,
  editBody,
  motifBody,
  newAppointmentQuery,
  participantsBody,
  reminderBody,
  searchQuery,
  statusBody,
} from './agent-appointments.schemas.js';
import {
  allowedStatusTargets,
  findUsableMotif,
  formatInstantIn,
  journalAppointmentView,
  listUsableMotifs,
  loadHistory,
  loadSchedulingOptions,
  loadVisibleAppointment,
  searchParticipants,
} from './agent-appointments.use-cases.js';
import { checkDetails, checkNewPerson, checkOverlapReason, type DetailsValue, type NewPersonValue } from './domain/appointment-forms.js';
import { STATUS_LABELS, describeWarning } from './domain/descriptions.js';
import {
  AppointmentDetailPage,
  ConfirmationStepPage,
  DetailsStepPage,
  EditAppointmentPage,
  MotifStepPage,
  ParticipantsStepPage,
  appointmentsBase,
  personLabel,
  wizardBase,
  type PersonFormValues,
  type SchedulingValues,
  type WarningView,
} from './views/agent-appointment-pages.js';

/** A usager created in the wizard, kept in the draft until the appointment is created. */
interface DraftPerson extends NewPersonValue {
  readonly responsibleUserId: number | null;
}

interface AppointmentDraft {
  readonly organisationId: number;
  motifId: number | null;
  userIds: number[];
  newPeople: DraftPerson[];
  /** The details step as typed (validated again at each use: places or agents may change). */
  details: SchedulingValues | null;
  /** Prefill of the details step (from the agenda or the slot search). */
  prefill: { agents: number[]; date: string; heure: string; placeId?: number | null } | null;
  readonly idempotencyKey: string;
  readonly createdAt: number;
}

declare module 'fastify' {
  interface Session {
    /** The agent's appointment wizards in progress, by draft id. */
    agentAppointmentDrafts?: Record<string, AppointmentDraft>;
    /** A message shown once on the next appointment page. */
    agentAppointmentNotice?: string;
  }
}

const MAX_DRAFTS = 5;
const MAX_PARTICIPANTS = 20;

const REFUSAL_MESSAGES: Readonly<Record<string, string>> = {
  SLOT_TAKEN: 'Un autre rendez-vous vient d’être pris sur cet horaire pour un des agents. Vérifiez les avertissements ci-dessous.',
  UNKNOWN_APPOINTMENT_TYPE: 'Ce motif n’est plus disponible. Choisissez-en un autre.',
  COLLECTIVE_TYPE: 'Les ateliers collectifs se gèrent depuis l’agenda.',
  UNKNOWN_PLACE: 'Ce lieu n’est plus disponible. Choisissez-en un autre.',
  PLACE_REQUIRED: 'Choisissez un lieu, ou saisissez une adresse ponctuelle.',
  UNKNOWN_AGENT: 'Un des agents n’appartient plus à l’organisation.',
  NO_AGENT: 'Choisissez au moins un agent.',
  UNKNOWN_USER: 'Un des participants n’existe plus.',
  ERASED_USER: 'Un des participants a été fusionné avec une autre fiche : revenez à l’étape « Participants » et ajoutez la fiche conservée.',
  GONE_USER: 'Un des participants n’est plus suivi par l’organisation : revenez à l’étape « Participants ».',
  NO_PARTICIPANT: 'Ajoutez au moins un participant.',
  EMAIL_TAKEN: 'L’adresse e-mail d’un nouvel usager appartient déjà à un compte : recherchez cet usager plutôt que de le créer.',
  INVALID_DURATION: 'Durée invalide : un nombre de minutes entre 5 et 720.',
  OVERLAP_REASON_REQUIRED: 'Indiquez pourquoi le chevauchement est voulu.',
  NOT_FOUND: 'Ce rendez-vous n’existe plus.',
  CANCELLED: 'Un rendez-vous annulé ne se modifie pas : remettez-le d’abord « à renseigner ».',
  UNCHANGED: 'Aucune modification à enregistrer.',
  INVALID_IDEMPOTENCY_KEY: 'Le formulaire a expiré : rechargez la page.',
  IDEMPOTENCY_KEY_REUSED: 'Le formulaire a déjà été envoyé avec d’autres valeurs : rechargez la page.',
  NOT_STARTED_YET: '« Vu » et « Absent non excusé » ne se renseignent qu’une fois le rendez-vous commencé.',
  TRANSITION_NOT_ALLOWED: 'Ce changement de statut n’est pas possible depuis le statut actuel.',
  UNCHANGED_STATUS: 'Le rendez-vous a déjà ce statut.',
};

/** The field a refusal's message belongs to on the pages (for the error summary's link). */
const REFUSAL_FIELDS: Readonly<Record<string, string>> = {
  SLOT_TAKEN: 'avertissements',
  UNKNOWN_PLACE: 'lieu',
  PLACE_REQUIRED: 'lieu',
  UNKNOWN_AGENT: 'agents',
  NO_AGENT: 'agents',
  NO_PARTICIPANT: 'usagers',
  UNKNOWN_USER: 'usagers',
  ERASED_USER: 'usagers',
  GONE_USER: 'usagers',
  EMAIL_TAKEN: 'email',
  INVALID_DURATION: 'duree',
  OVERLAP_REASON_REQUIRED: 'motifChevauchement',
};

function today(timeZone: string, now: Date): string {
  return dayNumberToIsoDate(epochMinutesToLocal(timeZone, dateToEpochMinutes(now)).dayNumber);
}

function organisationZone(principal: AgentPrincipal, organisationId: number): string {
  return roleIn(principal, organisationId)?.timeZone ?? 'Europe/Paris';
}

function localValues(timeZone: string, at: Date): { date: string; heure: string } {
  const local = epochMinutesToLocal(timeZone, dateToEpochMinutes(at));
  return { date: dayNumberToIsoDate(local.dayNumber), heure: formatTimeOfDay(local.minuteOfDay) };
}

function zoneHint(timeZone: string): string {
  return `À l’heure du lieu (${zoneLabel(timeZone)} pour l’organisation)`;
}

function warningViews(warnings: readonly AppointmentWarning[], agents: ReadonlyMap<number, string>, users: readonly UserSummary[]): WarningView[] {
  const names = { agents, users: new Map(users.map((user) => [user.id, `${user.firstName} ${user.lastName}`])) };
  return warnings.map((warning) => ({ key: warning.key, kind: warning.kind, text: describeWarning(warning, names) }));
}

/** Why « Renvoyer le rappel » did nothing, in French. */
const MANUAL_REMINDER_REFUSALS: Readonly<Record<Exclude<ManualReminderResult, { ok: true }>['reason'], string>> = {
  NOT_FOUND: 'Ce rendez-vous n’existe plus.',
  CANCELLED: 'Le rendez-vous est annulé : aucun rappel n’est envoyé.',
  STARTED: 'Le rendez-vous a commencé : il est trop tard pour un rappel.',
  NOT_NOTIFIED: 'Ce motif n’envoie aucune notification aux usagers.',
  TOO_SOON: 'Un rappel vient déjà d’être renvoyé pour ce rendez-vous : attendez 10 minutes avant d’en renvoyer un autre.',
  NO_RECIPIENT: 'Aucun participant ne peut recevoir de rappel (pas d’adresse e-mail ni de mobile, ou rappels désactivés).',
};

function refusalMessage(reason: string): { field: string; message: string } {
  return { field: REFUSAL_FIELDS[reason] ?? 'formulaire', message: REFUSAL_MESSAGES[reason] ?? 'La demande n’a pas pu aboutir. Vérifiez le formulaire.' };
}

export function registerAgentAppointmentsRoutes(app: ZodApp, context: AppContext): void {
  const { db } = context;
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const guarded = { preHandler: [requireAgent, requireOrganisation] };
  const BASE = '/agents/organisations/:organisationId/rdv';

  function drafts(request: FastifyRequest): Record<string, AppointmentDraft> {
    return request.session.get('agentAppointmentDrafts') ?? {};
  }

  /** The draft of the path, in this organisation, or 404. */
  function draftOf(request: FastifyRequest, organisationId: number, draftId: string): AppointmentDraft {
    const draft = drafts(request)[draftId];
    if (draft?.organisationId !== organisationId) throw new NotFoundError();
    return draft;
  }

  function saveDraft(request: FastifyRequest, draftId: string, draft: AppointmentDraft): void {
    const all = { ...drafts(request), [draftId]: draft };
    const kept = Object.entries(all)
      .sort(([, a], [, b]) => b.createdAt - a.createdAt)
      .slice(0, MAX_DRAFTS);
    request.session.set('agentAppointmentDrafts', Object.fromEntries(kept));
  }

  function dropDraft(request: FastifyRequest, draftId: string): void {
    const all = { ...drafts(request) };
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the draft ids are the keys
    delete all[draftId];
    request.session.set('agentAppointmentDrafts', all);
  }

  function takeNotice(request: FastifyRequest): string | undefined {
    const notice = request.session.get('agentAppointmentNotice');
    if (notice !== undefined) request.session.set('agentAppointmentNotice', undefined);
    return notice;
  }

  /** The draft's chosen usagers, still known to the organisation. */
  async function chosenUsers(organisationId: number, draft: AppointmentDraft): Promise<UserSummary[]> {
    const users = await findOrganisationUsers(db, organisationId, draft.userIds);
    return draft.userIds.flatMap((id) => users.filter((user) => user.id === id));
  }

  /** The details of a draft, checked against today's places and agents. */
  async function draftDetails(organisationId: number, principal: AgentPrincipal, draft: AppointmentDraft, requiresPlace: boolean): Promise<{ value: DetailsValue | null; errors: Record<string, string> }> {
    if (draft.details === null) return { value: null, errors: {} };
    const options = await loadSchedulingOptions(db, organisationId);
    const checked = checkDetails(draft.details, {
      agentIds: new Set(options.agents.map((agent) => agent.id)),
      places: new Map(options.places.map((place) => [place.id, place.timeZone])),
      organisationTimeZone: organisationZone(principal, organisationId),
      requiresPlace,
    });
    return checked.ok ? { value: checked.value, errors: {} } : { value: null, errors: checked.errors };
  }

  // -------------------------------------------------------------------------------------------
  // Wizard
  // -------------------------------------------------------------------------------------------

  app.get(`${BASE}/nouveau`, { ...guarded, schema: { params: draftParams.pick({ organisationId: true }), querystring: newAppointmentQuery } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const motif = request.query.motif === undefined ? undefined : await findUsableMotif(db, principal, organisationId, request.query.motif);
    const startMinutes = request.query.debut === undefined ? null : isoToEpochMinutes(request.query.debut);
    // A place of another organisation (or unknown) is ignored, like an impossible instant.
    const place = request.query.lieu === undefined ? undefined : (await loadSchedulingOptions(db, organisationId)).places.find((candidate) => candidate.id === request.query.lieu);
    const local = startMinutes === null ? null : localValues(place?.timeZone ?? organisationZone(principal, organisationId), epochMinutesToDate(startMinutes));
    const draftId = randomBytes(18).toString('base64url');
    saveDraft(request, draftId, {
      organisationId,
      motifId: motif?.id ?? null,
      userIds: [],
      newPeople: [],
      details: null,
      prefill:
        request.query.agents === undefined && local === null && place === undefined
          ? null
          : { agents: request.query.agents ?? [], date: local?.date ?? '', heure: local?.heure ?? '', placeId: place?.id ?? null },
      idempotencyKey: randomUUID(),
      createdAt: context.now().getTime(),
    });
    return reply.redirect(`${wizardBase(organisationId, draftId)}/${motif === undefined ? 'motif' : 'participants'}`, 303);
  });

  app.get(`${BASE}/nouveau/:draftId/motif`, { ...guarded, schema: { params: draftParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, draftId } = request.params;
    const draft = draftOf(request, organisationId, draftId);
    const motifs = await listUsableMotifs(db, principal, organisationId);
    return sendPage(reply, MotifStepPage({ principal, organisationId, csrfToken: csrfToken(request), draftId, motifs, selected: draft.motifId }), { private: true });
  });

  app.post(`${BASE}/nouveau/:draftId/motif`, { ...guarded, schema: { params: draftParams, body: motifBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, draftId } = request.params;
    const draft = draftOf(request, organisationId, draftId);
    if (request.body.motif === undefined) {
      const motifs = await listUsableMotifs(db, principal, organisationId);
      return sendPage(reply, MotifStepPage({ principal, organisationId, csrfToken: csrfToken(request), draftId, motifs, selected: null, errors: { motif: 'Choisissez un motif.' } }), {
        statusCode: 422,
        private: true,
      });
    }
    const motif = await findUsableMotif(db, principal, organisationId, request.body.motif);
    if (motif === undefined) throw new NotFoundError();
    if (draft.motifId !== motif.id) draft.details = null;
    draft.motifId = motif.id;
    saveDraft(request, draftId, draft);
    return reply.redirect(`${wizardBase(organisationId, draftId)}/participants`, 303);
  });

  /** The draft's motif (still usable), or a redirect to the motif step. */
  async function draftMotif(principal: AgentPrincipal, organisationId: number, draft: AppointmentDraft) {
    return draft.motifId === null ? undefined : findUsableMotif(db, principal, organisationId, draft.motifId);
  }

  async function renderParticipants(
    request: FastifyRequest,
    reply: FastifyReply,
    params: { organisationId: number; draftId: string },
    form: { search?: string; values?: PersonFormValues; errors?: Record<string, string>; statusCode?: number },
  ): Promise<FastifyReply> {
    const principal = agentOf(request);
    const draft = draftOf(request, params.organisationId, params.draftId);
    const motif = await draftMotif(principal, params.organisationId, draft);
    if (motif === undefined) return reply.redirect(`${wizardBase(params.organisationId, params.draftId)}/motif`, 303);
    const chosen = await chosenUsers(params.organisationId, draft);
    let errors = form.errors;
    if (chosen.length !== draft.userIds.length) {
      // Picked earlier, merged into another usager (or no longer known) since: taken out of the draft, and said.
      const kept = new Set(chosen.map((user) => user.id));
      draft.userIds = draft.userIds.filter((id) => kept.has(id));
      draft.newPeople = draft.newPeople.filter((person) => person.responsibleUserId === null || kept.has(person.responsibleUserId));
      saveDraft(request, params.draftId, draft);
      errors = { participants: 'Un usager choisi a été fusionné avec une autre fiche, ou n’est plus suivi par l’organisation : il est retiré des participants. Cherchez la fiche conservée.', ...errors };
    }
    const search = (form.search ?? '').trim();
    const results = search.length >= 2 ? await searchParticipants(db, principal, params.organisationId, search, 'agent_appointment_wizard') : null;
    const responsibleNames = new Map(chosen.map((user) => [user.id, `${user.firstName} ${user.lastName}`]));
    return sendPage(
      reply,
      ParticipantsStepPage({
        principal,
        organisationId: params.organisationId,
        csrfToken: csrfToken(request),
        draftId: params.draftId,
        motifName: motif.name,
        chosen,
        newPeople: draft.newPeople.map((person) => ({ ...person, responsibleName: person.responsibleUserId === null ? null : (responsibleNames.get(person.responsibleUserId) ?? null) })),
        search,
        results,
        values: form.values ?? {},
        errors,
      }),
      { statusCode: form.statusCode ?? 200, private: true },
    );
  }

  app.get(`${BASE}/nouveau/:draftId/participants`, { ...guarded, schema: { params: draftParams, querystring: searchQuery } }, async (request, reply) =>
    renderParticipants(request, reply, request.params, { search: request.query.recherche }),
  );

  app.post(`${BASE}/nouveau/:draftId/participants`, { ...guarded, schema: { params: draftParams, body: participantsBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, draftId } = request.params;
    const draft = draftOf(request, organisationId, draftId);
    const body = request.body;
    const back = (): FastifyReply => reply.redirect(`${wizardBase(organisationId, draftId)}/participants`, 303);
    const tooMany = draft.userIds.length + draft.newPeople.length >= MAX_PARTICIPANTS;
    switch (body.action) {
      case 'ajouter': {
        if (body.usager === undefined) throw new NotFoundError();
        const [user] = await findOrganisationUsers(db, organisationId, [body.usager]);
        if (user === undefined) throw new NotFoundError();
        if (tooMany) return renderParticipants(request, reply, request.params, { errors: { recherche: `${String(MAX_PARTICIPANTS)} participants au plus.` }, statusCode: 422 });
        if (!draft.userIds.includes(user.id)) draft.userIds.push(user.id);
        saveDraft(request, draftId, draft);
        return back();
      }
      case 'retirer':
        draft.userIds = draft.userIds.filter((id) => id !== body.usager);
        draft.newPeople = draft.newPeople.filter((person) => person.responsibleUserId !== body.usager);
        saveDraft(request, draftId, draft);
        return back();
      case 'retirer-nouveau':
        draft.newPeople = draft.newPeople.filter((_, index) => index !== body.index);
        saveDraft(request, draftId, draft);
        return back();
      case 'creer': {
        const values = { prenom: body.prenom ?? '', nom: body.nom ?? '', naissance: body.naissance ?? '', telephone: body.telephone ?? '', email: body.email ?? '' };
        const responsibleUserId = body.procheDe === undefined || body.procheDe === '' ? null : body.procheDe;
        if (responsibleUserId !== null && !draft.userIds.includes(responsibleUserId)) throw new NotFoundError();
        const checked = checkNewPerson(values, today(organisationZone(principal, organisationId), context.now()));
        if (!checked.ok || tooMany) {
          const errors = checked.ok ? { prenom: `${String(MAX_PARTICIPANTS)} participants au plus.` } : checked.errors;
          return renderParticipants(request, reply, request.params, { values: { ...values, procheDe: responsibleUserId ?? '' }, errors, statusCode: 422 });
        }
        draft.newPeople.push({ ...checked.value, responsibleUserId });
        saveDraft(request, draftId, draft);
        return back();
      }
      case 'continuer':
        if (draft.userIds.length + draft.newPeople.length === 0) {
          return renderParticipants(request, reply, request.params, { errors: { participants: 'Ajoutez au moins un participant : recherchez un usager ou créez-le.' }, statusCode: 422 });
        }
        return reply.redirect(`${wizardBase(organisationId, draftId)}/details`, 303);
    }
  });

  async function renderDetails(
    request: FastifyRequest,
    reply: FastifyReply,
    params: { organisationId: number; draftId: string },
    form: { values?: SchedulingValues; errors?: Record<string, string>; statusCode?: number },
  ): Promise<FastifyReply> {
    const principal = agentOf(request);
    const draft = draftOf(request, params.organisationId, params.draftId);
    const motif = await draftMotif(principal, params.organisationId, draft);
    if (motif === undefined) return reply.redirect(`${wizardBase(params.organisationId, params.draftId)}/motif`, 303);
    const options = await loadSchedulingOptions(db, params.organisationId);
    const firstPlace = options.places[0];
    const ownAgent = options.agents.some((agent) => agent.id === principal.agentId) ? [principal.agentId] : [];
    const values: SchedulingValues = form.values ??
      draft.details ?? {
        agents: draft.prefill?.agents.length ? draft.prefill.agents : ownAgent,
        date: draft.prefill?.date ?? '',
        heure: draft.prefill?.heure ?? '',
        duree: String(motif.durationMinutes),
        lieu: motif.locationType !== 'public_office' ? '' : String(options.places.find((place) => place.id === draft.prefill?.placeId)?.id ?? firstPlace?.id ?? ''),
        adresse: '',
        contexte: '',
      };
    return sendPage(
      reply,
      DetailsStepPage({
        principal,
        organisationId: params.organisationId,
        csrfToken: csrfToken(request),
        draftId: params.draftId,
        motifName: motif.name,
        agents: options.agents,
        places: options.places,
        values,
        zoneHint: zoneHint(organisationZone(principal, params.organisationId)),
        errors: form.errors,
      }),
      { statusCode: form.statusCode ?? 200, private: true },
    );
  }

  app.get(`${BASE}/nouveau/:draftId/details`, { ...guarded, schema: { params: draftParams } }, async (request, reply) => renderDetails(request, reply, request.params, {}));

  app.post(`${BASE}/nouveau/:draftId/details`, { ...guarded, schema: { params: draftParams, body: detailsBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, draftId } = request.params;
    const draft = draftOf(request, organisationId, draftId);
    const motif = await draftMotif(principal, organisationId, draft);
    if (motif === undefined) return reply.redirect(`${wizardBase(organisationId, draftId)}/motif`, 303);
    const values: SchedulingValues = {
      agents: request.body.agents ?? [],
      date: request.body.date ?? '',
      heure: request.body.heure ?? '',
      duree: request.body.duree ?? '',
      lieu: request.body.lieu ?? '',
      adresse: request.body.adresse ?? '',
      contexte: request.body.contexte ?? '',
    };
    // A copy: the session's draft changes only once the step is valid.
    const candidate = { ...draft, details: { ...values, adresse: values.lieu.trim() === 'ponctuel' ? values.adresse : '' } };
    const checked = await draftDetails(organisationId, principal, candidate, motif.locationType === 'public_office');
    if (checked.value === null) return renderDetails(request, reply, request.params, { values, errors: checked.errors, statusCode: 422 });
    saveDraft(request, draftId, candidate);
    return reply.redirect(`${wizardBase(organisationId, draftId)}/confirmation`, 303);
  });

  /** Everything the review needs, or the step to go back to. */
  async function loadReview(request: FastifyRequest, organisationId: number, draftId: string) {
    const principal = agentOf(request);
    const draft = draftOf(request, organisationId, draftId);
    const motif = await draftMotif(principal, organisationId, draft);
    if (motif === undefined) return { redirect: 'motif' as const };
    const chosen = await chosenUsers(organisationId, draft);
    // Usagers picked earlier who are no longer found: merged into another (erased), or no longer
    // known to the organisation. Never dropped silently: the review says so and the creation is refused.
    const gone = draft.userIds.filter((id) => !chosen.some((user) => user.id === id));
    const erased = await findErasedUserIds(db, gone);
    const goneRefusal = gone.length === 0 ? null : erased.length === gone.length ? ('ERASED_USER' as const) : ('GONE_USER' as const);
    if (chosen.length + draft.newPeople.length === 0 && gone.length === 0) return { redirect: 'participants' as const };
    const details = await draftDetails(organisationId, principal, draft, motif.locationType === 'public_office');
    if (details.value === null) return { redirect: 'details' as const };
    const options = await loadSchedulingOptions(db, organisationId);
    const agentNames = new Map(options.agents.map((agent) => [agent.id, `${agent.firstName} ${agent.lastName}`]));
    const value = details.value;
    const place = options.places.find((candidate) => candidate.id === value.placeId);
    const timeZone = place?.timeZone ?? organisationZone(principal, organisationId);
    const startsAt = epochMinutesToDate(value.startsAtEpochMinutes);
    return {
      principal,
      draft,
      motif,
      chosen,
      erased,
      goneRefusal,
      value,
      startsAt,
      agentNames,
      summary: {
        motifName: motif.name,
        when: formatInstantIn(timeZone, startsAt),
        durationMinutes: value.durationMinutes,
        where: place === undefined ? (value.oneOffAddress === null ? 'Sans lieu (téléphone, visioconférence)' : `Adresse ponctuelle : ${value.oneOffAddress}`) : `${place.name}, ${place.address}`,
        agents: value.agentIds.map((id) => agentNames.get(id) ?? 'un agent'),
        participants: [...chosen.map(personLabel), ...draft.newPeople.map((person) => `${personLabel(person)} (nouveau)`)],
        context: value.context,
      },
    };
  }

  async function renderConfirmation(
    request: FastifyRequest,
    reply: FastifyReply,
    params: { organisationId: number; draftId: string },
    form: { warnings?: readonly AppointmentWarning[]; acknowledged?: readonly string[]; overlapReason?: string; errors?: Record<string, string>; statusCode?: number },
  ): Promise<FastifyReply> {
    const review = await loadReview(request, params.organisationId, params.draftId);
    if ('redirect' in review) return reply.redirect(`${wizardBase(params.organisationId, params.draftId)}/${review.redirect}`, 303);
    const errors = form.errors ?? (review.goneRefusal === null ? undefined : { [refusalMessage(review.goneRefusal).field]: refusalMessage(review.goneRefusal).message });
    let warnings = form.warnings;
    if (warnings === undefined) {
      const preview = await previewAgentAppointmentWarnings(db, {
        organisationId: params.organisationId,
        appointmentTypeId: review.motif.id,
        startsAt: review.startsAt,
        durationMinutes: review.value.durationMinutes,
        placeId: review.value.placeId,
        oneOffAddress: review.value.oneOffAddress,
        agentIds: review.value.agentIds,
        userIds: review.chosen.map((user) => user.id),
        now: context.now(),
      });
      if (!preview.ok) return reply.redirect(`${wizardBase(params.organisationId, params.draftId)}/details`, 303);
      warnings = preview.warnings;
    }
    return sendPage(
      reply,
      ConfirmationStepPage({
        principal: review.principal,
        organisationId: params.organisationId,
        csrfToken: csrfToken(request),
        draftId: params.draftId,
        summary: review.summary,
        warnings: warningViews(warnings, review.agentNames, review.chosen),
        acknowledged: form.acknowledged ?? [],
        overlapReason: form.overlapReason ?? '',
        idempotencyKey: review.draft.idempotencyKey,
        errors,
      }),
      { statusCode: form.statusCode ?? 200, private: true },
    );
  }

  app.get(`${BASE}/nouveau/:draftId/confirmation`, { ...guarded, schema: { params: draftParams } }, async (request, reply) => renderConfirmation(request, reply, request.params, {}));

  app.post(`${BASE}/nouveau/:draftId/confirmation`, { ...guarded, schema: { params: draftParams, body: confirmationBody } }, async (request, reply) => {
    const { organisationId, draftId } = request.params;
    const review = await loadReview(request, organisationId, draftId);
    if ('redirect' in review) return reply.redirect(`${wizardBase(organisationId, draftId)}/${review.redirect}`, 303);
    const acknowledged = request.body.avertissements ?? [];
    const reasonText = request.body.motifChevauchement ?? '';
    const reason = checkOverlapReason(reasonText, acknowledged.some((key) => key.startsWith('overlap:')));
    const kept = { acknowledged, overlapReason: reasonText };
    if (!reason.ok) return renderConfirmation(request, reply, request.params, { ...kept, errors: reason.errors, statusCode: 422 });
    if (review.goneRefusal === 'GONE_USER') {
      const { field, message } = refusalMessage('GONE_USER');
      return renderConfirmation(request, reply, request.params, { ...kept, errors: { [field]: message }, statusCode: 422 });
    }
    const result = await createAppointmentByAgent(db, {
      organisationId,
      appointmentTypeId: review.motif.id,
      startsAt: review.startsAt,
      durationMinutes: review.value.durationMinutes,
      placeId: review.value.placeId,
      oneOffAddress: review.value.oneOffAddress,
      agentIds: review.value.agentIds,
      // The erased ones too: the core refuses them (ERASED_USER), and nothing is written.
      userIds: [...review.chosen.map((user) => user.id), ...review.erased],
      newParticipants: review.draft.newPeople,
      context: review.value.context,
      acknowledgedWarnings: acknowledged,
      overlapReason: reason.value,
      actingAgentId: review.principal.agentId,
      idempotencyKey: request.body.cle,
      now: context.now(),
    });
    if (result.ok) {
      dropDraft(request, draftId);
      request.session.set('agentAppointmentNotice', result.overriddenWarnings.length === 0 ? 'Le rendez-vous est créé.' : 'Le rendez-vous est créé malgré les avertissements confirmés.');
      return reply.redirect(`${appointmentsBase(organisationId)}/${String(result.appointmentId)}`, 303);
    }
    if (result.reason === 'WARNINGS') {
      return renderConfirmation(request, reply, request.params, {
        ...kept,
        warnings: result.warnings,
        errors: { avertissements: 'Confirmez chacun des avertissements pour créer le rendez-vous.' },
        statusCode: 422,
      });
    }
    const { field, message } = refusalMessage(result.reason);
    return renderConfirmation(request, reply, request.params, { ...kept, errors: { [field]: message }, statusCode: result.reason === 'SLOT_TAKEN' ? 409 : 422 });
  });

  // -------------------------------------------------------------------------------------------
  // Detail and status
  // -------------------------------------------------------------------------------------------

  async function visibleOr404(request: FastifyRequest, organisationId: number, appointmentId: number): Promise<AppointmentDetail> {
    const principal = agentOf(request);
    const detail = await loadVisibleAppointment(db, principal, organisationId, appointmentId);
    if (detail === undefined) throw new NotFoundError();
    return detail;
  }

  async function renderDetail(request: FastifyRequest, reply: FastifyReply, detail: AppointmentDetail, form: { errors?: Record<string, string>; statusCode?: number } = {}): Promise<FastifyReply> {
    const principal = agentOf(request);
    const mayResend =
      detail.status !== 'excused' &&
      detail.status !== 'revoked' &&
      detail.startsAt.getTime() > context.now().getTime() &&
      canChangeAppointment(principal, { organisationId: detail.organisationId, serviceId: detail.serviceId, agentIds: detail.agents.map((agent) => agent.id) });
    const notifications = AppointmentNotificationsSection({
      view: await listAppointmentNotifications(db, detail.id),
      timeZone: detail.timeZone,
      resend: mayResend ? { action: `${appointmentsBase(detail.organisationId)}/${String(detail.id)}/rappel`, csrfToken: csrfToken(request) } : null,
    });
    return sendPage(
      reply,
      AppointmentDetailPage({
        principal,
        organisationId: detail.organisationId,
        csrfToken: csrfToken(request),
        detail,
        when: `${formatInstantIn(detail.timeZone, detail.startsAt)}, ${String(Math.round((detail.endsAt.getTime() - detail.startsAt.getTime()) / 60_000))} minutes`,
        targets: allowedStatusTargets(detail, context.now()),
        history: await loadHistory(db, detail),
        notifications,
        notice: takeNotice(request),
        errors: form.errors,
      }),
      { statusCode: form.statusCode ?? 200, private: true },
    );
  }

  app.get(`${BASE}/:appointmentId`, { ...guarded, schema: { params: appointmentParams } }, async (request, reply) => {
    const detail = await visibleOr404(request, request.params.organisationId, request.params.appointmentId);
    await journalAppointmentView(db, agentOf(request), detail);
    return renderDetail(request, reply, detail);
  });

  app.post(`${BASE}/:appointmentId/statut`, { ...guarded, schema: { params: appointmentParams, body: statusBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, appointmentId } = request.params;
    const detail = await visibleOr404(request, organisationId, appointmentId);
    if (!canChangeAppointment(principal, { organisationId, serviceId: detail.serviceId, agentIds: detail.agents.map((agent) => agent.id) })) throw new NotFoundError();
    const result = await changeAppointmentStatus(db, { appointmentId, status: request.body.statut, actor: { type: 'agent', agentId: principal.agentId }, now: context.now() });
    if (result.ok) {
      request.session.set('agentAppointmentNotice', `Statut mis à jour : ${STATUS_LABELS[result.status]}.`);
      return reply.redirect(`${appointmentsBase(organisationId)}/${String(appointmentId)}`, 303);
    }
    const reason = result.reason === 'UNCHANGED' ? 'UNCHANGED_STATUS' : result.reason;
    return renderDetail(request, reply, detail, { errors: { statut: refusalMessage(reason).message }, statusCode: result.reason === 'SLOT_TAKEN' ? 409 : 422 });
  });

  app.post(`${BASE}/:appointmentId/rappel`, { ...guarded, schema: { params: appointmentParams, body: reminderBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, appointmentId } = request.params;
    const detail = await visibleOr404(request, organisationId, appointmentId);
    if (!canChangeAppointment(principal, { organisationId, serviceId: detail.serviceId, agentIds: detail.agents.map((agent) => agent.id) })) throw new NotFoundError();
    const result = await planManualReminder(db, { appointmentId, agentId: principal.agentId, now: context.now() });
    if (!result.ok) {
      // The error summary links to the button when the page still shows it, else to the section.
      const field = result.reason === 'TOO_SOON' || result.reason === 'NO_RECIPIENT' ? 'rappel' : 'notifications';
      return renderDetail(request, reply, detail, { errors: { [field]: MANUAL_REMINDER_REFUSALS[result.reason] }, statusCode: result.reason === 'TOO_SOON' ? 429 : 422 });
    }
    const count = result.notifications === 1 ? '1 message part' : `${String(result.notifications)} messages partent`;
    request.session.set('agentAppointmentNotice', `Le rappel est renvoyé : ${count} dès maintenant (en journée, à l’heure du lieu).`);
    return reply.redirect(`${appointmentsBase(organisationId)}/${String(appointmentId)}#notifications`, 303);
  });

  // -------------------------------------------------------------------------------------------
  // Edit
  // -------------------------------------------------------------------------------------------

  function editValuesOf(detail: AppointmentDetail): SchedulingValues {
    const local = localValues(detail.timeZone, detail.startsAt);
    return {
      agents: detail.agents.map((agent) => agent.id),
      date: local.date,
      heure: local.heure,
      duree: String(Math.round((detail.endsAt.getTime() - detail.startsAt.getTime()) / 60_000)),
      lieu: detail.place === null ? '' : String(detail.place.id),
      adresse: '',
      contexte: detail.context ?? '',
    };
  }

  /** The organisation's places, plus the appointment's own one-off address (kept as it is). */
  async function editOptions(detail: AppointmentDetail) {
    const options = await loadSchedulingOptions(db, detail.organisationId);
    const places =
      detail.place !== null && !options.places.some((place) => place.id === detail.place?.id)
        ? [...options.places, { id: detail.place.id, name: detail.place.singleUse ? 'Adresse ponctuelle actuelle' : detail.place.name, address: detail.place.address, timeZone: detail.timeZone }]
        : options.places;
    return { agents: options.agents, places };
  }

  async function renderEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    detail: AppointmentDetail,
    form: {
      search?: string;
      values?: SchedulingValues;
      keptUserIds?: readonly number[];
      person?: Record<string, string>;
      warnings?: readonly AppointmentWarning[];
      acknowledged?: readonly string[];
      overlapReason?: string;
      idempotencyKey?: string;
      errors?: Record<string, string>;
      statusCode?: number;
    },
  ): Promise<FastifyReply> {
    const principal = agentOf(request);
    const options = await editOptions(detail);
    const search = (form.search ?? '').trim();
    const results = search.length >= 2 ? await searchParticipants(db, principal, detail.organisationId, search, 'agent_appointment_edit') : [];
    const keptUserIds = form.keptUserIds ?? detail.participants.map((participant) => participant.id);
    const extra = await findOrganisationUsers(db, detail.organisationId, keptUserIds);
    const participants: UserSummary[] = [];
    for (const user of [...detail.participants, ...extra, ...results]) if (!participants.some((known) => known.id === user.id)) participants.push(user);
    const agentNames = new Map(options.agents.map((agent) => [agent.id, `${agent.firstName} ${agent.lastName}`]));
    return sendPage(
      reply,
      EditAppointmentPage({
        principal,
        organisationId: detail.organisationId,
        csrfToken: csrfToken(request),
        detail,
        agents: options.agents,
        places: options.places,
        values: form.values ?? editValuesOf(detail),
        zoneHint: zoneHint(detail.timeZone),
        participants,
        keptUserIds,
        search,
        person: form.person ?? {},
        warnings: warningViews(form.warnings ?? [], agentNames, participants),
        acknowledged: form.acknowledged ?? [],
        overlapReason: form.overlapReason ?? '',
        idempotencyKey: form.idempotencyKey ?? randomUUID(),
        errors: form.errors,
      }),
      { statusCode: form.statusCode ?? 200, private: true },
    );
  }

  async function editableOr404(request: FastifyRequest, organisationId: number, appointmentId: number): Promise<AppointmentDetail> {
    const principal = agentOf(request);
    const detail = await visibleOr404(request, organisationId, appointmentId);
    if (detail.isCollective || !canChangeAppointment(principal, { organisationId, serviceId: detail.serviceId, agentIds: detail.agents.map((agent) => agent.id) })) throw new NotFoundError();
    return detail;
  }

  app.get(`${BASE}/:appointmentId/modifier`, { ...guarded, schema: { params: appointmentParams, querystring: searchQuery } }, async (request, reply) => {
    const detail = await editableOr404(request, request.params.organisationId, request.params.appointmentId);
    return renderEdit(request, reply, detail, { search: request.query.recherche });
  });

  app.post(`${BASE}/:appointmentId/modifier`, { ...guarded, schema: { params: appointmentParams, body: editBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, appointmentId } = request.params;
    const detail = await editableOr404(request, organisationId, appointmentId);
    const body = request.body;
    const values: SchedulingValues = {
      agents: body.agents ?? [],
      date: body.date ?? '',
      heure: body.heure ?? '',
      duree: body.duree ?? '',
      lieu: body.lieu ?? '',
      adresse: body.adresse ?? '',
      contexte: body.contexte ?? '',
    };
    const keptUserIds = [...new Set(body.usagers ?? [])];
    if (keptUserIds.length > MAX_PARTICIPANTS) throw new NotFoundError();
    const known = await findOrganisationUsers(db, organisationId, keptUserIds);
    if (known.length !== keptUserIds.length) throw new NotFoundError();
    const person = { prenom: body.prenom ?? '', nom: body.nom ?? '', naissance: body.naissance ?? '', telephone: body.telephone ?? '', email: body.email ?? '' };
    const acknowledged = body.avertissements ?? [];
    const reasonText = body.motifChevauchement ?? '';
    const kept = { values, keptUserIds, person, acknowledged, overlapReason: reasonText, idempotencyKey: body.cle };
    const options = await editOptions(detail);
    const details = checkDetails(values, {
      agentIds: new Set(options.agents.map((agent) => agent.id)),
      places: new Map(options.places.map((place) => [place.id, place.timeZone])),
      organisationTimeZone: organisationZone(principal, organisationId),
      requiresPlace: detail.locationType === 'public_office',
    });
    const wantsPerson = Object.values(person).some((value) => value.trim() !== '');
    const newPerson = wantsPerson ? checkNewPerson(person, today(detail.timeZone, context.now())) : null;
    const reason = checkOverlapReason(reasonText, acknowledged.some((key) => key.startsWith('overlap:')));
    const errors = {
      ...(details.ok ? {} : details.errors),
      ...(newPerson === null || newPerson.ok ? {} : newPerson.errors),
      ...(reason.ok ? {} : reason.errors),
      ...(keptUserIds.length === 0 && newPerson === null ? { usagers: 'Gardez ou ajoutez au moins un participant.' } : {}),
    };
    if (!details.ok || (newPerson !== null && !newPerson.ok) || !reason.ok || Object.keys(errors).length > 0) {
      return renderEdit(request, reply, detail, { ...kept, errors, statusCode: 422 });
    }
    const result: AgentAppointmentResult = await updateAppointmentByAgent(db, {
      appointmentId,
      organisationId,
      startsAt: epochMinutesToDate(details.value.startsAtEpochMinutes),
      durationMinutes: details.value.durationMinutes,
      placeId: details.value.placeId,
      oneOffAddress: details.value.oneOffAddress,
      agentIds: details.value.agentIds,
      userIds: keptUserIds,
      newParticipants: newPerson === null ? [] : [{ ...newPerson.value, responsibleUserId: null }],
      context: details.value.context,
      acknowledgedWarnings: acknowledged,
      overlapReason: reason.value,
      actingAgentId: principal.agentId,
      idempotencyKey: body.cle,
      now: context.now(),
    });
    if (result.ok) {
      request.session.set('agentAppointmentNotice', 'Le rendez-vous est modifié.');
      return reply.redirect(`${appointmentsBase(organisationId)}/${String(appointmentId)}`, 303);
    }
    if (result.reason === 'WARNINGS') {
      return renderEdit(request, reply, detail, {
        ...kept,
        warnings: result.warnings,
        errors: { avertissements: 'Confirmez chacun des avertissements pour enregistrer les modifications.' },
        statusCode: 422,
      });
    }
    const { field, message } = refusalMessage(result.reason);
    return renderEdit(request, reply, detail, { ...kept, errors: { [field]: message }, statusCode: result.reason === 'SLOT_TAKEN' ? 409 : 422 });
  });
}
