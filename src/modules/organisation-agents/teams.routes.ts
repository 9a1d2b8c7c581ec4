// Pages of teams (ADR 0029), under /agents/organisations/:organisationId/agents/equipes. The same
// chain as the agents pages: schema (400) → guards → canManageOrganisation (404) → the team of the
// organisation's territory and the agent of the organisation (404) → rules (422) → use case → 303.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken, rateLimit } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { agentGuards, agentOf, canManageOrganisation, organisationParams, roleIn, type AgentPrincipal } from '../agents/index.js';
import { checkTeamName, sharedTeamMessage, TEAM_NAME_TAKEN_MESSAGE } from './domain/team-rules.js';
import { emptyBody, noticeQuery, teamMemberBody, teamMemberParams, teamNameBody, teamParams } from './organisation-agents.schemas.js';
import { findTeam, listOrganisationMembers, listTeams, type TeamSummary } from './teams.repository.js';
import { addTeamMember, createTeam, deleteTeamOf, removeTeamMember, renameTeamOf } from './teams.use-cases.js';
import { teamPath, teamsPath } from './views/pages-common.js';
import { TeamPage, TeamsPage } from './views/teams-pages.js';

const FORM_LIMIT = { config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 15 * 60 }) } };

const NOTICES: Record<string, string> = {
  'equipe-creee': 'L’équipe a été créée.',
  'equipe-renommee': 'L’équipe a été renommée.',
  'equipe-supprimee': 'L’équipe a été supprimée.',
  'membre-ajoute': 'L’agent a été ajouté à l’équipe.',
  'membre-retire': 'L’agent a été retiré de l’équipe.',
};

export function registerTeamsRoutes(app: ZodApp, context: AppContext): void {
  const { db } = context;
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const guarded = { preHandler: [requireAgent, requireOrganisation] };
  const BASE = '/agents/organisations/:organisationId/agents/equipes';

  /** The admin of the organisation and its territory, else 404 like a foreign id. */
  function manager(request: FastifyRequest, organisationId: number): { principal: AgentPrincipal; territoryId: number } {
    const principal = agentOf(request);
    const role = roleIn(principal, organisationId);
    if (role === undefined || !canManageOrganisation(principal, organisationId)) throw new NotFoundError();
    return { principal, territoryId: role.territoryId };
  }

  async function teamOf(territoryId: number, organisationId: number, teamId: number): Promise<TeamSummary> {
    const team = await findTeam(db, territoryId, organisationId, teamId);
    if (team === undefined) throw new NotFoundError();
    return team;
  }

  async function renderTeam(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { principal: AgentPrincipal; organisationId: number; team: TeamSummary; values?: { nom?: string; agent?: string }; errors?: Record<string, string>; statusError?: string; notice?: string; statusCode?: number },
  ): Promise<FastifyReply> {
    const candidates = await listOrganisationMembers(db, page.organisationId);
    return sendPage(
      reply,
      TeamPage({ principal: page.principal, organisationId: page.organisationId, csrfToken: csrfToken(request), team: page.team, candidates, values: page.values, errors: page.errors, statusError: page.statusError, notice: page.notice }),
      { statusCode: page.statusCode ?? 200, private: true },
    );
  }

  app.get(BASE, { ...guarded, schema: { params: organisationParams, querystring: noticeQuery } }, async (request, reply) => {
    const { organisationId } = request.params;
    const { principal, territoryId } = manager(request, organisationId);
    const teams = await listTeams(db, territoryId, organisationId);
    const info = request.query.info;
    return sendPage(reply, TeamsPage({ principal, organisationId, csrfToken: csrfToken(request), teams, notice: info === undefined ? undefined : NOTICES[info] }), { private: true });
  });

  app.post(BASE, { ...guarded, ...FORM_LIMIT, schema: { params: organisationParams, body: teamNameBody } }, async (request, reply) => {
    const { organisationId } = request.params;
    const { principal, territoryId } = manager(request, organisationId);
    const typed = (request.body.nom ?? '').slice(0, 200);
    const refuse = async (message: string) =>
      sendPage(reply, TeamsPage({ principal, organisationId, csrfToken: csrfToken(request), teams: await listTeams(db, territoryId, organisationId), name: typed, errors: { nom: message } }), {
        statusCode: 422,
        private: true,
      });
    const name = checkTeamName(request.body.nom);
    if (!name.ok) return refuse(name.message);
    const result = await createTeam(db, { principal, organisationId, name: name.value });
    if (!result.ok) return refuse(TEAM_NAME_TAKEN_MESSAGE);
    return reply.redirect(`${teamPath(organisationId, result.teamId)}?info=equipe-creee`, 303);
  });

  app.get(`${BASE}/:teamId`, { ...guarded, schema: { params: teamParams, querystring: noticeQuery } }, async (request, reply) => {
    const { organisationId, teamId } = request.params;
    const { principal, territoryId } = manager(request, organisationId);
    const team = await teamOf(territoryId, organisationId, teamId);
    const info = request.query.info;
    return renderTeam(request, reply, { principal, organisationId, team, notice: info === undefined ? undefined : NOTICES[info] });
  });

  app.post(`${BASE}/:teamId/renommer`, { ...guarded, ...FORM_LIMIT, schema: { params: teamParams, body: teamNameBody } }, async (request, reply) => {
    const { organisationId, teamId } = request.params;
    const { principal, territoryId } = manager(request, organisationId);
    const team = await teamOf(territoryId, organisationId, teamId);
    const typed = (request.body.nom ?? '').slice(0, 200);
    const name = checkTeamName(request.body.nom);
    if (!name.ok) return renderTeam(request, reply, { principal, organisationId, team, values: { nom: typed }, errors: { nom: name.message }, statusCode: 422 });
    const result = await renameTeamOf(db, { principal, organisationId, teamId, name: name.value });
    if (result.ok) return reply.redirect(`${teamPath(organisationId, teamId)}?info=equipe-renommee`, 303);
    if (result.reason === 'NOT_FOUND') throw new NotFoundError();
    const fresh = await teamOf(territoryId, organisationId, teamId);
    if (result.reason === 'SHARED') return renderTeam(request, reply, { principal, organisationId, team: fresh, statusError: sharedTeamMessage(result.membersElsewhere, 'renommer'), statusCode: 409 });
    return renderTeam(request, reply, { principal, organisationId, team: fresh, values: { nom: typed }, errors: { nom: TEAM_NAME_TAKEN_MESSAGE }, statusCode: 422 });
  });

  app.post(`${BASE}/:teamId/supprimer`, { ...guarded, ...FORM_LIMIT, schema: { params: teamParams, body: emptyBody } }, async (request, reply) => {
    const { organisationId, teamId } = request.params;
    const { principal, territoryId } = manager(request, organisationId);
    await teamOf(territoryId, organisationId, teamId);
    const result = await deleteTeamOf(db, { principal, organisationId, teamId });
    if (result.ok) return reply.redirect(`${teamsPath(organisationId)}?info=equipe-supprimee`, 303);
    if (result.reason !== 'SHARED') throw new NotFoundError();
    const fresh = await teamOf(territoryId, organisationId, teamId);
    return renderTeam(request, reply, { principal, organisationId, team: fresh, statusError: sharedTeamMessage(result.membersElsewhere, 'supprimer'), statusCode: 409 });
  });

  app.post(`${BASE}/:teamId/membres`, { ...guarded, ...FORM_LIMIT, schema: { params: teamParams, body: teamMemberBody } }, async (request, reply) => {
    const { organisationId, teamId } = request.params;
    const { principal, territoryId } = manager(request, organisationId);
    const team = await teamOf(territoryId, organisationId, teamId);
    const agentId = request.body.agent;
    if (agentId === undefined) return renderTeam(request, reply, { principal, organisationId, team, errors: { agent: 'Choisissez l’agent à ajouter dans la liste.' }, statusCode: 422 });
    const result = await addTeamMember(db, { principal, organisationId, teamId, agentId });
    // Another organisation's agent, or a team deleted meanwhile: 404 like any foreign id.
    if (!result.ok) throw new NotFoundError();
    return reply.redirect(`${teamPath(organisationId, teamId)}?info=membre-ajoute`, 303);
  });

  app.post(`${BASE}/:teamId/membres/:agentId/retirer`, { ...guarded, ...FORM_LIMIT, schema: { params: teamMemberParams, body: emptyBody } }, async (request, reply) => {
    const { organisationId, teamId, agentId } = request.params;
    const { principal, territoryId } = manager(request, organisationId);
    await teamOf(territoryId, organisationId, teamId);
    const result = await removeTeamMember(db, { principal, organisationId, teamId, agentId });
    if (!result.ok) throw new NotFoundError();
    return reply.redirect(`${teamPath(organisationId, teamId)}?info=membre-retire`, 303);
  });
}
