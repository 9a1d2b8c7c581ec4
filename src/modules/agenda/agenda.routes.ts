// Routes of the agenda: schema → guards (agent, organisation) → one use case → page. The use
// cases answer 404 for an agent, place or motif the principal may not see.
import type { AppContext } from '../../platform/context.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { dayNumberToIsoDate } from '../../shared/time/index.js';
import { agentGuards, agentOf } from '../agents/index.js';
import { agendaQuery, appointmentListQuery, daySheetQuery, organisationParams, placeParams } from './agenda.schemas.js';
import { listTimeZoneOf, readAppointmentListFilters } from './appointment-list-filters.js';
import { listAppointments, loadAgenda, loadDaySheet, loadMotifStylesheet } from './agenda.use-cases.js';
import { AgendaPage } from './views/agenda-page.js';
import { AppointmentListPage } from './views/appointment-list-page.js';
import { DaySheetPage } from './views/day-sheet-page.js';

/** `''` (a select's "all" option) and absent both mean "no value". */
function present<T>(value: T | '' | undefined): T | undefined {
  return value === '' ? undefined : value;
}

export function registerAgendaRoutes(app: ZodApp, context: AppContext): void {
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const preHandler = [requireAgent, requireOrganisation];

  app.get('/agents/organisations/:organisationId/agenda', { schema: { params: organisationParams, querystring: agendaQuery }, preHandler }, async (request, reply) => {
    const { organisationId } = request.params;
    const query = request.query;
    const agentIds = query.agents === undefined ? undefined : Array.isArray(query.agents) ? query.agents : [query.agents];
    const placeId = present(query.lieu);
    if (query.vue === 'liste') {
      // The list is its own page; it keeps the place, the one agent and the day.
      const list = new URLSearchParams();
      if (placeId !== undefined) list.set('lieu', String(placeId));
      else if (agentIds?.length === 1) list.set('agent', String(agentIds[0]));
      const date = present(query.date);
      if (date !== undefined) list.set('du', dayNumberToIsoDate(date));
      return reply.redirect(`/agents/organisations/${String(organisationId)}/rdv?${list.toString()}`, 303);
    }
    const model = await loadAgenda(context.db, {
      principal: agentOf(request),
      organisationId,
      view: query.vue ?? 'semaine',
      date: present(query.date),
      agentIds,
      placeId,
      now: context.now(),
    });
    return sendPage(reply, AgendaPage({ principal: agentOf(request), csrfToken: csrfToken(request), model }), { private: true });
  });

  app.get('/agents/organisations/:organisationId/agenda/motifs.css', { schema: { params: organisationParams }, preHandler }, async (request, reply) => {
    const css = await loadMotifStylesheet(context.db, request.params.organisationId);
    return reply.header('cache-control', 'private, max-age=300').type('text/css; charset=utf-8').send(css);
  });

  app.get('/agents/organisations/:organisationId/rdv', { schema: { params: organisationParams, querystring: appointmentListQuery }, preHandler }, async (request, reply) => {
    const { organisationId } = request.params;
    const principal = agentOf(request);
    const query = request.query;
    const { form, selection, errors } = readAppointmentListFilters(query, listTimeZoneOf(principal, organisationId), context.now());
    const model = await listAppointments(context.db, { principal, organisationId, ...selection, page: query.page ?? 1, now: context.now() });
    return sendPage(reply, AppointmentListPage({ principal, csrfToken: csrfToken(request), organisationId, form, model, errors }), {
      private: true,
      statusCode: errors === undefined ? 200 : 422,
    });
  });

  app.get('/agents/organisations/:organisationId/lieux/:placeId/journee', { schema: { params: placeParams, querystring: daySheetQuery }, preHandler }, async (request, reply) => {
    const model = await loadDaySheet(context.db, {
      principal: agentOf(request),
      organisationId: request.params.organisationId,
      placeId: request.params.placeId,
      date: present(request.query.date),
      now: context.now(),
    });
    return sendPage(reply, DaySheetPage({ principal: agentOf(request), csrfToken: csrfToken(request), model }), { private: true });
  });
}
