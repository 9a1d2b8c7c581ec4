// Collective appointment pages (issue 10 §3, ADR 0022), under
// /agents/organisations/:organisationId/collectifs: the list, the creation form, one session with
// its participants (add, remove, status) and the edit form. Every route passes `requireAgent` +
// `requireOrganisation`, then the fine policy; a refusal or a foreign id is a 404. Writes go
// through the appointments core's collective commands only (ADR 0014).
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken } from '../../platform/security/index.js';
import { formatDayLong, formatTime, zoneLabel } from '../../platform/views/format.js';
import { sendPage } from '../../platform/views/send-page.js';
import { dateToEpochMinutes, dayNumberToIsoDate, epochMinutesToDate, epochMinutesToLocal, formatTimeOfDay } from '../../shared/time/index.js';
import { agentGuards, agentOf, canUseMotif, roleIn, type AgentPrincipal } from '../agents/index.js';
import {
  addCollectiveParticipant,
  changeAppointmentStatus,
  changeParticipationStatus,
  createCollectiveAppointment,
  removeCollectiveParticipant,
  updateCollectiveAppointment,
  type CollectiveResult,
  type ParticipantResult,
} from '../appointments/index.js';
import type { CollectiveDetail, UserMatch } from './collective-appointments.repository.js';
import { cancelBody, collectiveParams, createBody, detailQuery, editBody, listQuery, participantBody, participantStatusBody } from './collective-appointments.schemas.js';
import {
  LIST_LIMIT,
  journalCollectiveView,
  listCollectives,
  listUsableCollectiveMotifs,
  loadCreatedParticipant,
  loadFormOptions,
  loadVisibleCollective,
  mayAddUser,
  participantStatusTargets,
  searchParticipants,
} from './collective-appointments.use-cases.js';
import { checkCollectiveForm, type CollectiveFormValue } from './domain/collective-form.js';
import { CollectiveDetailPage, CollectiveFormPage, CollectiveListPage, collectivesBase, type SessionFormValues } from './views/collective-pages.js';

declare module 'fastify' {
  interface Session {
    /** A message shown once on the next collective appointment page. */
    collectiveNotice?: string;
  }
}

/** French messages of the core's refusals, and the field each belongs to on the pages. */
const REFUSALS: Readonly<Record<string, { field: string; message: string }>> = {
  UNKNOWN_APPOINTMENT_TYPE: { field: 'motif', message: 'Choisissez un motif collectif de vos services.' },
  NOT_COLLECTIVE: { field: 'motif', message: 'Choisissez un motif collectif de vos services.' },
  UNKNOWN_PLACE: { field: 'lieu', message: 'Ce lieu n’est plus disponible : choisissez-en un autre.' },
  UNKNOWN_AGENT: { field: 'agents', message: 'Un des agents n’appartient plus à l’organisation.' },
  NO_AGENT: { field: 'agents', message: 'Choisissez au moins un agent.' },
  INVALID_DURATION: { field: 'duree', message: 'Durée invalide : un nombre de minutes entre 5 et 720.' },
  INVALID_CAPACITY: { field: 'capacite', message: 'Nombre de places invalide : un nombre entre 1 et 500, ou vide pour ne pas limiter.' },
  INVALID_TITLE: { field: 'titre', message: 'Titre invalide : 100 caractères au plus, sans caractère de contrôle.' },
  INVALID_START: { field: 'heure', message: 'Heure invalide, au format hh:mm.' },
  CANCELLED: { field: 'participants', message: 'Ce rendez-vous collectif est annulé : il ne se modifie plus.' },
  UNCHANGED: { field: 'titre', message: 'Aucune modification à enregistrer.' },
  CAPACITY_BELOW_PARTICIPANTS: { field: 'capacite', message: 'Il y a déjà plus de participants inscrits que ce nombre de places : retirez-en d’abord, ou choisissez un nombre plus grand.' },
  INVALID_IDEMPOTENCY_KEY: { field: 'motif', message: 'Le formulaire a expiré : rechargez la page.' },
  IDEMPOTENCY_KEY_REUSED: { field: 'motif', message: 'Le formulaire a déjà été envoyé avec d’autres valeurs : rechargez la page.' },
  FULL: { field: 'usager', message: 'Toutes les places sont prises : augmentez le nombre de places pour ajouter quelqu’un.' },
  ALREADY_PARTICIPATING: { field: 'usager', message: 'Cet usager est déjà inscrit à ce rendez-vous collectif.' },
  UNKNOWN_USER: { field: 'usager', message: 'Cet usager n’existe plus.' },
  ERASED_USER: { field: 'usager', message: 'Cet usager a été fusionné avec une autre fiche : cherchez la fiche conservée et inscrivez-la.' },
  NOT_PARTICIPATING: { field: 'participants', message: 'Cet usager ne participe plus à ce rendez-vous collectif.' },
  NOT_STARTED_YET: { field: 'participants', message: '« Présent » et « Absent non excusé » ne se renseignent qu’une fois le rendez-vous commencé.' },
  TRANSITION_NOT_ALLOWED: { field: 'participants', message: 'Ce changement de statut n’est pas possible depuis le statut actuel.' },
  NOT_ALLOWED_FOR_USAGER: { field: 'participants', message: 'Ce changement de statut n’est pas possible.' },
};

function refusalOf(reason: string): { field: string; message: string } {
  return REFUSALS[reason] ?? { field: 'participants', message: 'La demande n’a pas pu aboutir.' };
}

/** "mercredi 2 décembre 2026 à 9h30 (heure de Paris), 90 minutes". */
function describeWhen(timeZone: string, startsAt: Date, endsAt: Date): string {
  const minutes = dateToEpochMinutes(startsAt);
  const day = formatDayLong(epochMinutesToLocal(timeZone, minutes).dayNumber);
  return `${day} à ${formatTime(timeZone, minutes)} (${zoneLabel(timeZone)}), ${String(Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000))} minutes`;
}

function organisationZone(principal: AgentPrincipal, organisationId: number): string {
  return roleIn(principal, organisationId)?.timeZone ?? 'Europe/Paris';
}

function zoneHint(timeZone: string): string {
  return `Au format hh:mm, à l’heure du lieu (${zoneLabel(timeZone)} pour l’organisation)`;
}

/** The edit form's values from the session as it is. */
function valuesOf(session: CollectiveDetail): SessionFormValues {
  const local = epochMinutesToLocal(session.timeZone, dateToEpochMinutes(session.startsAt));
  return {
    motif: String(session.motifId),
    titre: session.title ?? '',
    capacite: session.maxParticipants === null ? '' : String(session.maxParticipants),
    lieu: session.placeId === null ? '' : String(session.placeId),
    agents: session.agentIds,
    date: dayNumberToIsoDate(local.dayNumber),
    heure: formatTimeOfDay(local.minuteOfDay),
    duree: String(Math.round((session.endsAt.getTime() - session.startsAt.getTime()) / 60_000)),
  };
}

function typedValues(body: { titre?: string; capacite?: string; lieu?: string; agents?: number[]; date?: string; heure?: string; duree?: string }, motif: string): SessionFormValues {
  return { motif, titre: body.titre ?? '', capacite: body.capacite ?? '', lieu: body.lieu ?? '', agents: body.agents ?? [], date: body.date ?? '', heure: body.heure ?? '', duree: body.duree ?? '' };
}

function draftOf(value: CollectiveFormValue) {
  return {
    title: value.title,
    maxParticipants: value.maxParticipants,
    startsAt: epochMinutesToDate(value.startsAtEpochMinutes),
    durationMinutes: value.durationMinutes,
    placeId: value.placeId,
    agentIds: value.agentIds,
  };
}

export function registerCollectiveAppointmentsRoutes(app: ZodApp, context: AppContext): void {
  const { db } = context;
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const guarded = { preHandler: [requireAgent, requireOrganisation] };
  const BASE = '/agents/organisations/:organisationId/collectifs';

  function takeNotice(request: FastifyRequest): string | undefined {
    const notice = request.session.get('collectiveNotice');
    if (notice !== undefined) request.session.set('collectiveNotice', undefined);
    return notice;
  }

  async function visibleOr404(request: FastifyRequest, organisationId: number, collectiveId: number): Promise<CollectiveDetail> {
    const session = await loadVisibleCollective(db, agentOf(request), organisationId, collectiveId);
    if (session === undefined) throw new NotFoundError();
    return session;
  }

  /** Checks the typed fields against the organisation's places and agents. */
  async function checkForm(principal: AgentPrincipal, organisationId: number, values: SessionFormValues) {
    const options = await loadFormOptions(db, organisationId);
    const zone = organisationZone(principal, organisationId);
    return checkCollectiveForm(values, {
      places: new Map(options.places.map((place) => [place.id, place.timeZone])),
      agentIds: new Set(options.agents.map((agent) => agent.id)),
      today: dayNumberToIsoDate(epochMinutesToLocal(zone, dateToEpochMinutes(context.now())).dayNumber),
    });
  }

  app.get(BASE, { ...guarded, schema: { params: collectiveParams.pick({ organisationId: true }), querystring: listQuery } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const period = request.query.periode === 'passes' ? 'past' : 'upcoming';
    const sessions = await listCollectives(db, principal, organisationId, period, context.now());
    const rows = sessions.map((session) => ({ session, when: describeWhen(session.timeZone, session.startsAt, session.endsAt) }));
    return sendPage(reply, CollectiveListPage({ principal, organisationId, csrfToken: csrfToken(request), period, rows, truncated: sessions.length === LIST_LIMIT }), { private: true });
  });

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    organisationId: number,
    form: { session?: CollectiveDetail; values?: SessionFormValues; idempotencyKey?: string; errors?: Record<string, string>; statusCode?: number },
  ): Promise<FastifyReply> {
    const principal = agentOf(request);
    const options = await loadFormOptions(db, organisationId);
    const mode =
      form.session === undefined
        ? { kind: 'create' as const, motifs: await listUsableCollectiveMotifs(db, principal, organisationId), idempotencyKey: form.idempotencyKey ?? randomUUID() }
        : { kind: 'edit' as const, session: form.session };
    const values = form.values ?? (form.session === undefined ? { motif: '', titre: '', capacite: '', lieu: options.places.length === 1 ? String(options.places[0]?.id) : '', agents: [principal.agentId], date: '', heure: '', duree: '' } : valuesOf(form.session));
    return sendPage(
      reply,
      CollectiveFormPage({ principal, organisationId, csrfToken: csrfToken(request), mode, places: options.places, agents: options.agents, values, zoneHint: zoneHint(organisationZone(principal, organisationId)), errors: form.errors }),
      { statusCode: form.statusCode ?? 200, private: true },
    );
  }

  function refusedForm(request: FastifyRequest, reply: FastifyReply, organisationId: number, form: Parameters<typeof renderForm>[3], result: Exclude<CollectiveResult, { ok: true }>): Promise<FastifyReply> {
    const { field, message } = refusalOf(result.reason);
    return renderForm(request, reply, organisationId, { ...form, errors: { [field]: message }, statusCode: 422 });
  }

  app.get(`${BASE}/nouveau`, { ...guarded, schema: { params: collectiveParams.pick({ organisationId: true }) } }, async (request, reply) => renderForm(request, reply, request.params.organisationId, {}));

  app.post(`${BASE}/nouveau`, { ...guarded, schema: { params: collectiveParams.pick({ organisationId: true }), body: createBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const values = typedValues(request.body, (request.body.motif ?? '').trim());
    const kept = { values, idempotencyKey: request.body.cle };
    const motifs = await listUsableCollectiveMotifs(db, principal, organisationId);
    const motif = motifs.find((candidate) => String(candidate.id) === values.motif);
    const checked = await checkForm(principal, organisationId, values);
    const errors = { ...(motif === undefined ? { motif: 'Choisissez un motif collectif de vos services.' } : {}), ...(checked.ok ? {} : checked.errors) };
    if (motif === undefined || !checked.ok || !canUseMotif(principal, { organisationId, serviceId: motif.serviceId })) return renderForm(request, reply, organisationId, { ...kept, errors, statusCode: 422 });
    const result = await createCollectiveAppointment(db, {
      organisationId,
      appointmentTypeId: motif.id,
      ...draftOf(checked.value),
      actingAgentId: principal.agentId,
      idempotencyKey: request.body.cle,
      now: context.now(),
    });
    if (!result.ok) return refusedForm(request, reply, organisationId, kept, result);
    request.session.set('collectiveNotice', 'Le rendez-vous collectif est créé.');
    return reply.redirect(`${collectivesBase(organisationId)}/${String(result.appointmentId)}`, 303);
  });

  async function renderDetail(
    request: FastifyRequest,
    reply: FastifyReply,
    session: CollectiveDetail,
    form: { search?: string; created?: UserMatch; errors?: Record<string, string>; statusCode?: number } = {},
  ): Promise<FastifyReply> {
    const principal = agentOf(request);
    const now = context.now();
    const search = (form.search ?? '').trim();
    const results = form.created !== undefined ? [form.created] : search.length >= 2 ? await searchParticipants(db, principal, session.organisationId, search) : null;
    const rows = session.participants.map((participant) => ({ participant, targets: participantStatusTargets(participant.status, session.startsAt, now) }));
    return sendPage(
      reply,
      CollectiveDetailPage({
        principal,
        organisationId: session.organisationId,
        csrfToken: csrfToken(request),
        session,
        when: describeWhen(session.timeZone, session.startsAt, session.endsAt),
        started: session.startsAt.getTime() <= now.getTime(),
        rows,
        search,
        results,
        notice: form.created === undefined ? takeNotice(request) : `La fiche de ${form.created.firstName} ${form.created.lastName} est créée : inscrivez cette personne ci-dessous.`,
        errors: form.errors,
      }),
      { statusCode: form.statusCode ?? 200, private: true },
    );
  }

  app.get(`${BASE}/:collectiveId`, { ...guarded, schema: { params: collectiveParams, querystring: detailQuery } }, async (request, reply) => {
    const session = await visibleOr404(request, request.params.organisationId, request.params.collectiveId);
    const createdId = request.query.nouvelUsager;
    // The usager just created from this page: offered for adding (a usager outside the scope is a foreign id).
    const created = createdId === undefined ? undefined : await loadCreatedParticipant(db, agentOf(request), session.organisationId, createdId);
    if (createdId !== undefined && created === undefined) throw new NotFoundError();
    await journalCollectiveView(db, agentOf(request), session);
    return renderDetail(request, reply, session, { search: request.query.recherche, created });
  });

  /** After a participant command: back to the page with a notice, or the page with the refusal. */
  async function answerParticipantCommand(request: FastifyRequest, reply: FastifyReply, session: CollectiveDetail, result: ParticipantResult, notice: string): Promise<FastifyReply> {
    if (result.ok) {
      request.session.set('collectiveNotice', notice);
      return reply.redirect(`${collectivesBase(session.organisationId)}/${String(session.id)}#participants`, 303);
    }
    if (result.reason === 'NOT_FOUND') throw new NotFoundError();
    const { field, message } = refusalOf(result.reason);
    return renderDetail(request, reply, await visibleOr404(request, session.organisationId, session.id), { errors: { [field]: message }, statusCode: result.reason === 'FULL' ? 409 : 422 });
  }

  app.post(`${BASE}/:collectiveId/participants`, { ...guarded, schema: { params: collectiveParams, body: participantBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, collectiveId } = request.params;
    const session = await visibleOr404(request, organisationId, collectiveId);
    // A usager outside the agent's directory scope is a foreign id.
    if (!(await mayAddUser(db, principal, organisationId, request.body.usager))) throw new NotFoundError();
    const result = await addCollectiveParticipant(db, { organisationId, appointmentId: session.id, userId: request.body.usager, actingAgentId: principal.agentId, now: context.now() });
    return answerParticipantCommand(request, reply, session, result, 'Le participant est inscrit ; il est prévenu s’il accepte les notifications.');
  });

  /** The session's participant named in the body, or 404 (another session's, or nobody's). */
  function participantOr404(session: CollectiveDetail, userId: number): void {
    if (!session.participants.some((participant) => participant.userId === userId)) throw new NotFoundError();
  }

  app.post(`${BASE}/:collectiveId/participants/retrait`, { ...guarded, schema: { params: collectiveParams, body: participantBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, collectiveId } = request.params;
    const session = await visibleOr404(request, organisationId, collectiveId);
    participantOr404(session, request.body.usager);
    const result = await removeCollectiveParticipant(db, { organisationId, appointmentId: session.id, userId: request.body.usager, actingAgentId: principal.agentId, now: context.now() });
    return answerParticipantCommand(request, reply, session, result, 'Le participant est retiré ; il est prévenu de l’annulation s’il accepte les notifications.');
  });

  app.post(`${BASE}/:collectiveId/participants/statut`, { ...guarded, schema: { params: collectiveParams, body: participantStatusBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, collectiveId } = request.params;
    const session = await visibleOr404(request, organisationId, collectiveId);
    participantOr404(session, request.body.usager);
    const result = await changeParticipationStatus(db, { organisationId, appointmentId: session.id, userId: request.body.usager, status: request.body.statut, actingAgentId: principal.agentId, now: context.now() });
    return answerParticipantCommand(request, reply, session, result, 'Le statut du participant est enregistré.');
  });

  app.post(`${BASE}/:collectiveId/annuler`, { ...guarded, schema: { params: collectiveParams, body: cancelBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, collectiveId } = request.params;
    const session = await visibleOr404(request, organisationId, collectiveId);
    const result = await changeAppointmentStatus(db, { appointmentId: session.id, status: 'revoked', actor: { type: 'agent', agentId: principal.agentId }, now: context.now() });
    if (!result.ok) return renderDetail(request, reply, session, { errors: { annuler: refusalOf(result.reason === 'UNCHANGED' ? 'CANCELLED' : result.reason).message }, statusCode: 409 });
    request.session.set('collectiveNotice', 'Le rendez-vous collectif est annulé ; les participants inscrits en sont prévenus.');
    return reply.redirect(`${collectivesBase(organisationId)}/${String(session.id)}`, 303);
  });

  app.get(`${BASE}/:collectiveId/modifier`, { ...guarded, schema: { params: collectiveParams } }, async (request, reply) => {
    const session = await visibleOr404(request, request.params.organisationId, request.params.collectiveId);
    return renderForm(request, reply, session.organisationId, { session });
  });

  app.post(`${BASE}/:collectiveId/modifier`, { ...guarded, schema: { params: collectiveParams, body: editBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, collectiveId } = request.params;
    const session = await visibleOr404(request, organisationId, collectiveId);
    const values = typedValues(request.body, String(session.motifId));
    const checked = await checkForm(principal, organisationId, values);
    if (!checked.ok) return renderForm(request, reply, organisationId, { session, values, errors: checked.errors, statusCode: 422 });
    const result = await updateCollectiveAppointment(db, { organisationId, appointmentId: session.id, ...draftOf(checked.value), actingAgentId: principal.agentId, now: context.now() });
    if (!result.ok) {
      if (result.reason === 'NOT_FOUND') throw new NotFoundError();
      return refusedForm(request, reply, organisationId, { session, values }, result);
    }
    request.session.set('collectiveNotice', 'Le rendez-vous collectif est modifié ; les participants sont prévenus d’un changement d’horaire ou de lieu.');
    return reply.redirect(`${collectivesBase(organisationId)}/${String(session.id)}`, 303);
  });
}
