// Opening periods ("plages d'ouverture") and absences in the agent workspace. Routes: schema →
// guards (requireAgent, requireOrganisation) → one use case (which applies canSeeAgenda /
// canManageScheduleOf) → render, or redirect after a write (Post/Redirect/Get). Anything refused or
// foreign is a 404. Paths, under /agents/organisations/:organisationId:
//   GET  plages[?agent=]                              GET/POST plages/nouvelle
//   GET/POST plages/:periodId/modifier                GET/POST plages/:periodId/supprimer
//   GET  plages/:periodId/occurrences[?du=&au=]
//   POST plages/:periodId/occurrences/:date/annuler | retablir | reinitialiser
//   GET/POST plages/:periodId/occurrences/:date/modifier
//   GET  absences[?agent=]                            GET/POST absences/nouvelle
//   GET/POST absences/:absenceId/modifier             GET/POST absences/:absenceId/supprimer
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { addDays, dateToEpochMinutes, dayNumberToIsoDate, localDayOf, parseIsoDate } from '../../shared/time/index.js';
import { agentGuards, agentOf, organisationParams, roleIn } from '../agents/index.js';
import { isOccurrenceDay, listOccurrences, type OccurrenceEdit, type OccurrenceEditRefusal } from './domain/occurrence-edits.js';
import { describeAbsence, recurrenceChoiceOf } from './domain/recurrence-form.js';
import { absenceFormLastDay, checkMoveOccurrenceForm, isWholeDayAbsence, recurrenceFieldsOf } from './domain/schedule-forms.js';
import {
  absenceBody,
  absenceParams,
  agentQuery,
  emptyBody,
  moveOccurrenceBody,
  occurrenceParams,
  occurrencesQuery,
  periodBody,
  periodParams,
} from './schedules.schemas.js';
import {
  findSeenAbsence,
  findSeenPeriod,
  listAbsencesOfAgent,
  listPeriodsOfAgent,
  loadAgentChoices,
  loadPeriodFormData,
  motifsOfAgent,
  editOccurrence,
  removeAbsence,
  removePeriod,
  saveAbsence,
  savePeriod,
  type ScheduleActor,
} from './schedules.use-cases.js';
import type { FormValues } from './views/schedule-fields.js';
import {
  AbsenceFormView,
  AbsenceListView,
  ConfirmDeleteView,
  MoveOccurrenceView,
  OccurrencesView,
  PeriodFormView,
  PeriodListView,
  schedulePath,
  type Notice,
} from './views/schedules-pages.js';

declare module 'fastify' {
  interface Session {
    /** Message shown once on the next schedules page (after a save, a cancelled occurrence…). */
    schedulesNotice?: Notice;
  }
}

/** The occurrences page shows eight weeks by default, and at most a year. */
const DEFAULT_OCCURRENCE_DAYS = 56;
const MAX_OCCURRENCE_DAYS = 366;

const OCCURRENCE_REFUSALS: Record<OccurrenceEditRefusal | 'UNKNOWN_PLACE', string> = {
  NOT_AN_OCCURRENCE: 'Cette date n’est pas une séance de la plage.',
  ALREADY_CANCELLED: 'Cette séance était déjà annulée.',
  NOT_CANCELLED: 'Cette séance n’était pas annulée.',
  CANCELLED: 'Cette séance est annulée : rétablissez-la avant de la modifier.',
  NOT_MOVED: 'Cette séance avait déjà ses horaires habituels.',
  ENDS_BEFORE_START: 'L’heure de fin doit être après l’heure de début.',
  UNKNOWN_PLACE: 'Choisissez un lieu dans la liste.',
};

function takeNotice(request: FastifyRequest): Notice | undefined {
  const notice = request.session.get('schedulesNotice');
  if (notice !== undefined) request.session.set('schedulesNotice', undefined);
  return notice;
}

function redirectWithNotice(request: FastifyRequest, reply: FastifyReply, to: string, notice: Notice): FastifyReply {
  request.session.set('schedulesNotice', notice);
  return reply.redirect(to, 303);
}

function formatDayShort(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day ?? ''}/${month ?? ''}/${year ?? ''}`;
}

export function registerSchedulesRoutes(app: ZodApp, context: AppContext): void {
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const guards = { preHandler: [requireAgent, requireOrganisation] };
  const db = context.db;

  function actorOf(request: FastifyRequest, organisationId: number): ScheduleActor {
    const principal = agentOf(request);
    const now = context.now();
    const timeZone = roleIn(principal, organisationId)?.timeZone ?? 'Europe/Paris';
    return { principal, organisationId, now, today: localDayOf(timeZone, dateToEpochMinutes(now)) };
  }

  function base(request: FastifyRequest, organisationId: number): { principal: ReturnType<typeof agentOf>; organisationId: number; csrfToken: string } {
    return { principal: agentOf(request), organisationId, csrfToken: csrfToken(request) };
  }

  // -------------------------------------------------------------------------------------------
  // Opening periods
  // -------------------------------------------------------------------------------------------

  app.get('/agents/organisations/:organisationId/plages', { ...guards, schema: { params: organisationParams, querystring: agentQuery } }, async (request, reply) => {
    const { organisationId } = request.params;
    const page = await listPeriodsOfAgent(db, actorOf(request, organisationId), request.query.agent);
    if (page === undefined) throw new NotFoundError();
    return sendPage(reply, PeriodListView({ ...base(request, organisationId), page, notice: takeNotice(request) }), { private: true });
  });

  async function renderPeriodForm(
    request: FastifyRequest,
    reply: FastifyReply,
    input: { organisationId: number; mode: 'create' | 'edit'; action: string; values: FormValues; statusCode: number; errors?: Record<string, string>; warnings?: Parameters<typeof PeriodFormView>[0]['warnings'] },
  ): Promise<FastifyReply> {
    const data = await loadPeriodFormData(db, actorOf(request, input.organisationId));
    const agentText = input.values.agent;
    const agentId = typeof agentText === 'string' && /^\d{1,10}$/.test(agentText) ? Number(agentText) : (data.agents[0]?.id ?? 0);
    const page = PeriodFormView({
      ...base(request, input.organisationId),
      mode: input.mode,
      action: input.action,
      agents: data.agents,
      places: data.places,
      motifs: motifsOfAgent(data, agentId),
      values: input.values,
      errors: input.errors,
      warnings: input.warnings,
      cancelPath: schedulePath(input.organisationId, `plages?agent=${String(agentId)}`),
    });
    return sendPage(reply, page, { statusCode: input.statusCode, private: true });
  }

  app.get('/agents/organisations/:organisationId/plages/nouvelle', { ...guards, schema: { params: organisationParams, querystring: agentQuery } }, async (request, reply) => {
    const { organisationId } = request.params;
    const actor = actorOf(request, organisationId);
    const data = await loadPeriodFormData(db, actor);
    const agentId = request.query.agent ?? actor.principal.agentId;
    if (!data.agents.some((agent) => agent.id === agentId)) throw new NotFoundError();
    const values: FormValues = { agent: String(agentId), premierJour: dayNumberToIsoDate(actor.today), heureDebut: '09:00', heureFin: '12:00', repetition: 'aucune', fin: 'jamais' };
    return renderPeriodForm(request, reply, { organisationId, mode: 'create', action: request.url.split('?')[0] ?? '', values, statusCode: 200 });
  });

  app.post('/agents/organisations/:organisationId/plages/nouvelle', { ...guards, schema: { params: organisationParams, body: periodBody } }, async (request, reply) => {
    const { organisationId } = request.params;
    const action = schedulePath(organisationId, 'plages/nouvelle');
    const result = await savePeriod(db, actorOf(request, organisationId), { fields: request.body, confirmWarnings: request.body.confirmerAvertissements !== undefined });
    if (result === undefined) throw new NotFoundError();
    if (!result.ok) {
      return result.kind === 'invalid'
        ? renderPeriodForm(request, reply, { organisationId, mode: 'create', action, values: request.body, statusCode: 422, errors: result.errors })
        : renderPeriodForm(request, reply, { organisationId, mode: 'create', action, values: request.body, statusCode: 200, warnings: result.warnings });
    }
    return redirectWithNotice(request, reply, schedulePath(organisationId, `plages?agent=${request.body.agent ?? ''}`), { kind: 'success', text: 'La plage d’ouverture est enregistrée.' });
  });

  app.get('/agents/organisations/:organisationId/plages/:periodId/modifier', { ...guards, schema: { params: periodParams } }, async (request, reply) => {
    const { organisationId, periodId } = request.params;
    const seen = await findSeenPeriod(db, actorOf(request, organisationId), periodId);
    if (seen === undefined || !seen.owner.canManage) throw new NotFoundError();
    const { period } = seen.view;
    const values: FormValues = {
      titre: period.title,
      agent: String(period.agentId),
      lieu: period.placeId === null ? '' : String(period.placeId),
      motifs: period.appointmentTypeIds.map(String),
      premierJour: period.firstDay,
      heureDebut: period.startTime,
      heureFin: period.endTime,
      ...recurrenceFieldsOf(recurrenceChoiceOf(period.recurrence, period.firstDay)),
    };
    return renderPeriodForm(request, reply, { organisationId, mode: 'edit', action: schedulePath(organisationId, `plages/${String(periodId)}/modifier`), values, statusCode: 200 });
  });

  app.post('/agents/organisations/:organisationId/plages/:periodId/modifier', { ...guards, schema: { params: periodParams, body: periodBody } }, async (request, reply) => {
    const { organisationId, periodId } = request.params;
    const action = schedulePath(organisationId, `plages/${String(periodId)}/modifier`);
    const result = await savePeriod(db, actorOf(request, organisationId), { periodId, fields: request.body, confirmWarnings: request.body.confirmerAvertissements !== undefined });
    if (result === undefined) throw new NotFoundError();
    if (!result.ok) {
      return result.kind === 'invalid'
        ? renderPeriodForm(request, reply, { organisationId, mode: 'edit', action, values: request.body, statusCode: 422, errors: result.errors })
        : renderPeriodForm(request, reply, { organisationId, mode: 'edit', action, values: request.body, statusCode: 200, warnings: result.warnings });
    }
    return redirectWithNotice(request, reply, schedulePath(organisationId, `plages?agent=${request.body.agent ?? ''}`), { kind: 'success', text: 'La plage d’ouverture est modifiée.' });
  });

  app.get('/agents/organisations/:organisationId/plages/:periodId/supprimer', { ...guards, schema: { params: periodParams } }, async (request, reply) => {
    const { organisationId, periodId } = request.params;
    const seen = await findSeenPeriod(db, actorOf(request, organisationId), periodId);
    if (seen === undefined || !seen.owner.canManage) throw new NotFoundError();
    const page = ConfirmDeleteView({
      ...base(request, organisationId),
      section: 'plages',
      heading: `Supprimer la plage « ${seen.view.period.title} » ?`,
      description: seen.view.description,
      action: schedulePath(organisationId, `plages/${String(periodId)}/supprimer`),
      cancelPath: schedulePath(organisationId, `plages?agent=${String(seen.owner.id)}`),
    });
    return sendPage(reply, page, { private: true });
  });

  app.post('/agents/organisations/:organisationId/plages/:periodId/supprimer', { ...guards, schema: { params: periodParams, body: emptyBody } }, async (request, reply) => {
    const { organisationId, periodId } = request.params;
    const actor = actorOf(request, organisationId);
    const seen = await findSeenPeriod(db, actor, periodId);
    if (seen === undefined || !(await removePeriod(db, actor, periodId))) throw new NotFoundError();
    return redirectWithNotice(request, reply, schedulePath(organisationId, `plages?agent=${String(seen.owner.id)}`), { kind: 'success', text: 'La plage d’ouverture est supprimée.' });
  });

  // -------------------------------------------------------------------------------------------
  // Single occurrences
  // -------------------------------------------------------------------------------------------

  app.get(
    '/agents/organisations/:organisationId/plages/:periodId/occurrences',
    { ...guards, schema: { params: periodParams, querystring: occurrencesQuery } },
    async (request, reply) => {
      const { organisationId, periodId } = request.params;
      const actor = actorOf(request, organisationId);
      const seen = await findSeenPeriod(db, actor, periodId);
      if (seen === undefined) throw new NotFoundError();
      const fromDay = (request.query.du === undefined ? null : parseIsoDate(request.query.du)) ?? actor.today;
      const askedTo = request.query.au === undefined ? null : parseIsoDate(request.query.au);
      const toDay = Math.min(Math.max(askedTo ?? addDays(fromDay, DEFAULT_OCCURRENCE_DAYS), fromDay), addDays(fromDay, MAX_OCCURRENCE_DAYS));
      const page = OccurrencesView({
        ...base(request, organisationId),
        view: seen.view,
        owner: seen.owner,
        occurrences: listOccurrences(seen.view.period, fromDay, toDay, 200),
        placeNames: seen.placeNames,
        fromDate: dayNumberToIsoDate(fromDay),
        toDate: dayNumberToIsoDate(toDay),
        notice: takeNotice(request),
      });
      return sendPage(reply, page, { private: true });
    },
  );

  async function applyEdit(request: FastifyRequest, reply: FastifyReply, params: { organisationId: number; periodId: number; date: string }, edit: OccurrenceEdit, success: string): Promise<FastifyReply> {
    const outcome = await editOccurrence(db, actorOf(request, params.organisationId), { periodId: params.periodId, date: params.date, edit });
    if (outcome === undefined || (!outcome.ok && outcome.reason === 'NOT_AN_OCCURRENCE')) throw new NotFoundError();
    const to = schedulePath(params.organisationId, `plages/${String(params.periodId)}/occurrences?du=${params.date}`);
    return redirectWithNotice(request, reply, to, outcome.ok ? { kind: 'success', text: success } : { kind: 'info', text: OCCURRENCE_REFUSALS[outcome.reason] });
  }

  app.post('/agents/organisations/:organisationId/plages/:periodId/occurrences/:date/annuler', { ...guards, schema: { params: occurrenceParams, body: emptyBody } }, async (request, reply) =>
    applyEdit(request, reply, request.params, { kind: 'cancel' }, `La séance du ${formatDayShort(request.params.date)} est annulée : elle n’est plus proposée.`),
  );

  app.post('/agents/organisations/:organisationId/plages/:periodId/occurrences/:date/retablir', { ...guards, schema: { params: occurrenceParams, body: emptyBody } }, async (request, reply) =>
    applyEdit(request, reply, request.params, { kind: 'restore' }, `La séance du ${formatDayShort(request.params.date)} est rétablie.`),
  );

  app.post(
    '/agents/organisations/:organisationId/plages/:periodId/occurrences/:date/reinitialiser',
    { ...guards, schema: { params: occurrenceParams, body: emptyBody } },
    async (request, reply) => applyEdit(request, reply, request.params, { kind: 'reset' }, `La séance du ${formatDayShort(request.params.date)} reprend les horaires et le lieu habituels.`),
  );

  async function renderMoveForm(
    request: FastifyRequest,
    reply: FastifyReply,
    params: { organisationId: number; periodId: number; date: string },
    values: FormValues | null,
    errors: Record<string, string> | undefined,
  ): Promise<FastifyReply> {
    const seen = await findSeenPeriod(db, actorOf(request, params.organisationId), params.periodId);
    if (seen === undefined || !seen.owner.canManage || !isOccurrenceDay(seen.view.period, params.date)) throw new NotFoundError();
    const day = parseIsoDate(params.date) ?? 0;
    const [occurrence] = listOccurrences(seen.view.period, day, day, 1);
    if (occurrence === undefined || occurrence.cancelled) throw new NotFoundError();
    const current: FormValues = {
      heureDebut: occurrence.startTime,
      heureFin: occurrence.endTime,
      lieu: occurrence.placeId === null || occurrence.placeId === seen.view.period.placeId ? '' : String(occurrence.placeId),
    };
    const page = MoveOccurrenceView({
      ...base(request, params.organisationId),
      view: seen.view,
      date: params.date,
      places: seen.places,
      values: values ?? current,
      errors,
      action: schedulePath(params.organisationId, `plages/${String(params.periodId)}/occurrences/${params.date}/modifier`),
      cancelPath: schedulePath(params.organisationId, `plages/${String(params.periodId)}/occurrences?du=${params.date}`),
    });
    return sendPage(reply, page, { statusCode: errors === undefined ? 200 : 422, private: true });
  }

  app.get('/agents/organisations/:organisationId/plages/:periodId/occurrences/:date/modifier', { ...guards, schema: { params: occurrenceParams } }, async (request, reply) =>
    renderMoveForm(request, reply, request.params, null, undefined),
  );

  app.post(
    '/agents/organisations/:organisationId/plages/:periodId/occurrences/:date/modifier',
    { ...guards, schema: { params: occurrenceParams, body: moveOccurrenceBody } },
    async (request, reply) => {
      const { organisationId, periodId } = request.params;
      const seen = await findSeenPeriod(db, actorOf(request, organisationId), periodId);
      if (seen === undefined || !seen.owner.canManage) throw new NotFoundError();
      const checked = checkMoveOccurrenceForm(request.body, new Set(seen.places.map((place) => place.id)));
      if (!checked.ok) return renderMoveForm(request, reply, request.params, request.body, checked.errors);
      const edit: OccurrenceEdit = { kind: 'move', ...checked.value, placeId: checked.value.placeId ?? seen.view.period.placeId };
      return applyEdit(request, reply, request.params, edit, `La séance du ${formatDayShort(request.params.date)} est modifiée.`);
    },
  );

  // -------------------------------------------------------------------------------------------
  // Absences
  // -------------------------------------------------------------------------------------------

  app.get('/agents/organisations/:organisationId/absences', { ...guards, schema: { params: organisationParams, querystring: agentQuery } }, async (request, reply) => {
    const { organisationId } = request.params;
    const page = await listAbsencesOfAgent(db, actorOf(request, organisationId), request.query.agent);
    if (page === undefined) throw new NotFoundError();
    return sendPage(reply, AbsenceListView({ ...base(request, organisationId), page, notice: takeNotice(request) }), { private: true });
  });

  async function renderAbsenceForm(
    request: FastifyRequest,
    reply: FastifyReply,
    input: {
      organisationId: number;
      mode: 'create' | 'edit';
      action: string;
      values: FormValues;
      statusCode: number;
      agentId?: number;
      errors?: Record<string, string>;
      coveredAppointments?: Parameters<typeof AbsenceFormView>[0]['coveredAppointments'];
    },
  ): Promise<FastifyReply> {
    const managed = (await loadAgentChoices(db, actorOf(request, input.organisationId))).filter((agent) => agent.canManage);
    const agents = input.agentId === undefined ? managed : managed.filter((agent) => agent.id === input.agentId);
    const firstAgent = input.agentId ?? agentOf(request).agentId;
    const page = AbsenceFormView({
      ...base(request, input.organisationId),
      mode: input.mode,
      action: input.action,
      agents,
      values: input.values,
      errors: input.errors,
      coveredAppointments: input.coveredAppointments,
      cancelPath: schedulePath(input.organisationId, `absences?agent=${String(firstAgent)}`),
    });
    return sendPage(reply, page, { statusCode: input.statusCode, private: true });
  }

  app.get('/agents/organisations/:organisationId/absences/nouvelle', { ...guards, schema: { params: organisationParams, querystring: agentQuery } }, async (request, reply) => {
    const { organisationId } = request.params;
    const actor = actorOf(request, organisationId);
    const agentId = request.query.agent ?? actor.principal.agentId;
    const managed = (await loadAgentChoices(db, actor)).filter((agent) => agent.canManage);
    if (!managed.some((agent) => agent.id === agentId)) throw new NotFoundError();
    const values: FormValues = { agents: [String(agentId)], premierJour: dayNumberToIsoDate(actor.today), heureDebut: '09:00', heureFin: '17:00', repetition: 'aucune', fin: 'jamais' };
    return renderAbsenceForm(request, reply, { organisationId, mode: 'create', action: schedulePath(organisationId, 'absences/nouvelle'), values, statusCode: 200 });
  });

  app.post('/agents/organisations/:organisationId/absences/nouvelle', { ...guards, schema: { params: organisationParams, body: absenceBody } }, async (request, reply) => {
    const { organisationId } = request.params;
    const action = schedulePath(organisationId, 'absences/nouvelle');
    const result = await saveAbsence(db, actorOf(request, organisationId), { fields: request.body, confirmWarnings: request.body.confirmerAvertissements !== undefined });
    if (result === undefined) throw new NotFoundError();
    if (!result.ok) {
      return result.kind === 'invalid'
        ? renderAbsenceForm(request, reply, { organisationId, mode: 'create', action, values: request.body, statusCode: 422, errors: result.errors })
        : renderAbsenceForm(request, reply, { organisationId, mode: 'create', action, values: request.body, statusCode: 200, coveredAppointments: result.appointments });
    }
    const count = result.absenceIds.length;
    const text = count === 1 ? 'L’absence est enregistrée.' : `L’absence est enregistrée pour ${String(count)} agents.`;
    return redirectWithNotice(request, reply, schedulePath(organisationId, `absences?agent=${request.body.agents[0] ?? ''}`), { kind: 'success', text });
  });

  app.get('/agents/organisations/:organisationId/absences/:absenceId/modifier', { ...guards, schema: { params: absenceParams } }, async (request, reply) => {
    const { organisationId, absenceId } = request.params;
    const seen = await findSeenAbsence(db, actorOf(request, organisationId), absenceId);
    if (seen === undefined || !seen.owner.canManage) throw new NotFoundError();
    const { absence } = seen;
    const wholeDay = isWholeDayAbsence(absence);
    const lastDay = absenceFormLastDay(absence);
    const values: FormValues = {
      titre: absence.title,
      agents: [String(absence.agentId)],
      premierJour: absence.firstDay,
      heureDebut: wholeDay ? '' : absence.startTime,
      jourFin: lastDay === absence.firstDay ? '' : lastDay,
      heureFin: wholeDay ? '' : absence.endTime,
      journeeEntiere: wholeDay ? 'oui' : undefined,
      ...recurrenceFieldsOf(recurrenceChoiceOf(absence.recurrence, absence.firstDay)),
    };
    return renderAbsenceForm(request, reply, { organisationId, mode: 'edit', action: schedulePath(organisationId, `absences/${String(absenceId)}/modifier`), values, statusCode: 200, agentId: absence.agentId });
  });

  app.post('/agents/organisations/:organisationId/absences/:absenceId/modifier', { ...guards, schema: { params: absenceParams, body: absenceBody } }, async (request, reply) => {
    const { organisationId, absenceId } = request.params;
    const actor = actorOf(request, organisationId);
    const seen = await findSeenAbsence(db, actor, absenceId);
    if (seen === undefined || !seen.owner.canManage) throw new NotFoundError();
    const action = schedulePath(organisationId, `absences/${String(absenceId)}/modifier`);
    const result = await saveAbsence(db, actor, { absenceId, fields: request.body, confirmWarnings: request.body.confirmerAvertissements !== undefined });
    if (result === undefined) throw new NotFoundError();
    const agentId = seen.absence.agentId;
    if (!result.ok) {
      return result.kind === 'invalid'
        ? renderAbsenceForm(request, reply, { organisationId, mode: 'edit', action, values: request.body, statusCode: 422, errors: result.errors, agentId })
        : renderAbsenceForm(request, reply, { organisationId, mode: 'edit', action, values: request.body, statusCode: 200, coveredAppointments: result.appointments, agentId });
    }
    return redirectWithNotice(request, reply, schedulePath(organisationId, `absences?agent=${String(agentId)}`), { kind: 'success', text: 'L’absence est modifiée.' });
  });

  app.get('/agents/organisations/:organisationId/absences/:absenceId/supprimer', { ...guards, schema: { params: absenceParams } }, async (request, reply) => {
    const { organisationId, absenceId } = request.params;
    const seen = await findSeenAbsence(db, actorOf(request, organisationId), absenceId);
    if (seen === undefined || !seen.owner.canManage) throw new NotFoundError();
    const page = ConfirmDeleteView({
      ...base(request, organisationId),
      section: 'absences',
      heading: `Supprimer l’absence « ${seen.absence.title} » ?`,
      description: describeAbsence(seen.absence),
      action: schedulePath(organisationId, `absences/${String(absenceId)}/supprimer`),
      cancelPath: schedulePath(organisationId, `absences?agent=${String(seen.owner.id)}`),
    });
    return sendPage(reply, page, { private: true });
  });

  app.post('/agents/organisations/:organisationId/absences/:absenceId/supprimer', { ...guards, schema: { params: absenceParams, body: emptyBody } }, async (request, reply) => {
    const { organisationId, absenceId } = request.params;
    const actor = actorOf(request, organisationId);
    const seen = await findSeenAbsence(db, actor, absenceId);
    if (seen === undefined || !(await removeAbsence(db, actor, absenceId))) throw new NotFoundError();
    return redirectWithNotice(request, reply, schedulePath(organisationId, `absences?agent=${String(seen.owner.id)}`), { kind: 'success', text: 'L’absence est supprimée.' });
  });
}
