// Pages of agents administration (ADR 0029), under /agents/organisations/:organisationId/agents.
// Every route: schema (400) → requireAgent + requireOrganisation → canManageOrganisation (else 404)
// → the agent of this organisation (else 404) → form rules (422, input kept) → one use case →
// 303 (Post/Redirect/Get).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken, rateLimit } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { agentGuards, agentOf, canManageOrganisation, listTerritoryServicesOf, organisationParams, type AgentAccountMailServices, type AgentPrincipal } from '../agents/index.js';
import { accountMailQueueOf } from '../notifications/index.js';
import { checkAgentAccessForm, checkIntervenantForm, LAST_ADMIN_MESSAGE, levelsOffered } from './domain/agent-admin-rules.js';
import { agentAccessBody, agentParams, emptyBody, intervenantBody, noticeQuery } from './organisation-agents.schemas.js';
import { countOtherAdmins, findOrganisation, findOrganisationAgent, futureAppointmentsOf, type OrganisationAgentRecord } from './organisation-agents.repository.js';
import { createIntervenant, removeAgentFromOrganisation, resendInvitation, updateAgentAccess } from './organisation-agents.use-cases.js';
import { AgentPage, NewIntervenantPage, RemovalPage, type AccessFormValues } from './views/organisation-agents-pages.js';
import { agentPath, agentsPath } from './views/pages-common.js';

/** Per client address, per route: generous (an office behind one address). */
const FORM_LIMIT = { config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 15 * 60 }) } };

export const NOTICES: Record<string, string> = {
  cree: 'L’intervenant a été créé.',
  enregistre: 'Les modifications ont été enregistrées.',
  invitation: 'Les modifications ont été enregistrées. Une invitation a été envoyée à l’agent : il a 7 jours pour choisir son mot de passe.',
  ajoute: 'Les modifications ont été enregistrées. L’agent avait déjà un compte : il en a été informé par e-mail.',
  renvoyee: 'L’invitation a été renvoyée. Le lien précédent ne fonctionne plus.',
};

const EMAIL_TAKEN = 'Cette adresse est déjà celle d’un autre compte agent : saisissez l’adresse professionnelle de l’intervenant.';
const CHANGED_MEANWHILE = 'L’agent a été modifié entre-temps : vérifiez sa fiche et enregistrez de nouveau.';

export function registerOrganisationAgentsRoutes(app: ZodApp, context: AppContext): void {
  const { db } = context;
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const guarded = { preHandler: [requireAgent, requireOrganisation] };
  const BASE = '/agents/organisations/:organisationId/agents';
  const mail: AgentAccountMailServices = { db, mail: accountMailQueueOf(context, app.log), sessionSecret: context.config.sessionSecret, baseUrl: context.config.baseUrl };
  app.addHook('onClose', async () => mail.mail.drain());

  /** The admin of the organisation, else 404 like a foreign id. */
  function manager(request: FastifyRequest, organisationId: number): AgentPrincipal {
    const principal = agentOf(request);
    if (!canManageOrganisation(principal, organisationId)) throw new NotFoundError();
    return principal;
  }

  async function agentOfOrganisation(organisationId: number, agentId: number): Promise<OrganisationAgentRecord> {
    const agent = await findOrganisationAgent(db, organisationId, agentId);
    if (agent === undefined) throw new NotFoundError();
    return agent;
  }

  // -------------------------------------------------------------------------------------------
  // Create an intervenant
  // -------------------------------------------------------------------------------------------

  app.get(`${BASE}/nouvel-intervenant`, { ...guarded, schema: { params: organisationParams } }, async (request, reply) => {
    const { organisationId } = request.params;
    const principal = manager(request, organisationId);
    const services = await listTerritoryServicesOf(db, organisationId);
    return sendPage(reply, NewIntervenantPage({ principal, organisationId, csrfToken: csrfToken(request), services }), { private: true });
  });

  app.post(`${BASE}/nouvel-intervenant`, { ...guarded, ...FORM_LIMIT, schema: { params: organisationParams, body: intervenantBody } }, async (request, reply) => {
    const { organisationId } = request.params;
    const principal = manager(request, organisationId);
    const services = await listTerritoryServicesOf(db, organisationId);
    const { body } = request;
    const form = checkIntervenantForm(body, services.map((service) => service.id));
    if (!form.ok) {
      const values = { prenom: (body.prenom ?? '').slice(0, 200), nom: (body.nom ?? '').slice(0, 200), services: body.services };
      return sendPage(reply, NewIntervenantPage({ principal, organisationId, csrfToken: csrfToken(request), services, values, errors: form.errors }), { statusCode: 422, private: true });
    }
    const { agentId } = await createIntervenant(db, { principal, organisationId, form: form.value });
    return reply.redirect(`${agentPath(organisationId, agentId)}?info=cree`, 303);
  });

  // -------------------------------------------------------------------------------------------
  // Agent page and edit
  // -------------------------------------------------------------------------------------------

  async function renderAgentPage(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { principal: AgentPrincipal; organisationId: number; agent: OrganisationAgentRecord; values?: AccessFormValues; errors?: Record<string, string>; notice?: string; statusCode?: number },
  ): Promise<FastifyReply> {
    const services = await listTerritoryServicesOf(db, page.organisationId);
    return sendPage(
      reply,
      AgentPage({
        principal: page.principal,
        organisationId: page.organisationId,
        csrfToken: csrfToken(request),
        agent: page.agent,
        services,
        levels: levelsOffered({ accessLevel: page.agent.accessLevel, hasEmail: page.agent.email !== null }),
        values: page.values,
        errors: page.errors,
        notice: page.notice,
      }),
      { statusCode: page.statusCode ?? 200, private: true },
    );
  }

  app.get(`${BASE}/:agentId`, { ...guarded, schema: { params: agentParams, querystring: noticeQuery } }, async (request, reply) => {
    const { organisationId, agentId } = request.params;
    const principal = manager(request, organisationId);
    const agent = await agentOfOrganisation(organisationId, agentId);
    const info = request.query.info;
    return renderAgentPage(request, reply, { principal, organisationId, agent, notice: info === undefined ? undefined : NOTICES[info] });
  });

  app.post(`${BASE}/:agentId/modifier`, { ...guarded, ...FORM_LIMIT, schema: { params: agentParams, body: agentAccessBody } }, async (request, reply) => {
    const { organisationId, agentId } = request.params;
    const principal = manager(request, organisationId);
    const agent = await agentOfOrganisation(organisationId, agentId);
    const { body } = request;
    const values: AccessFormValues = { niveau: (body.niveau ?? '').slice(0, 40), services: body.services, email: (body.email ?? '').slice(0, 300) };
    const refuse = (errors: Record<string, string>) => renderAgentPage(request, reply, { principal, organisationId, agent, values, errors, statusCode: 422 });
    const territoryServices = await listTerritoryServicesOf(db, organisationId);
    const territoryServiceIds = territoryServices.map((service) => service.id);
    const form = checkAgentAccessForm(body, { accessLevel: agent.accessLevel, hasEmail: agent.email !== null }, territoryServiceIds);
    if (!form.ok) return refuse(form.errors);
    const result = await updateAgentAccess(db, mail, { principal, organisationId, agentId, form: form.value, territoryServiceIds, now: context.now() });
    if (!result.ok) {
      if (result.reason === 'NOT_FOUND') throw new NotFoundError();
      if (result.reason === 'LAST_ADMIN') return refuse({ niveau: LAST_ADMIN_MESSAGE });
      if (result.reason === 'EMAIL_TAKEN') return refuse({ email: EMAIL_TAKEN });
      return refuse({ niveau: CHANGED_MEANWHILE });
    }
    // The admin who left the admin level has no page here any more.
    if (agentId === principal.agentId && form.value.accessLevel !== 'admin') return reply.redirect(`/agents/organisations/${String(organisationId)}/agenda`, 303);
    const info = result.invitation === 'sent' ? 'invitation' : result.invitation === 'added' ? 'ajoute' : 'enregistre';
    return reply.redirect(`${agentPath(organisationId, agentId)}?info=${info}`, 303);
  });

  app.post(`${BASE}/:agentId/invitation`, { ...guarded, ...FORM_LIMIT, schema: { params: agentParams, body: emptyBody } }, async (request, reply) => {
    const { organisationId, agentId } = request.params;
    const principal = manager(request, organisationId);
    await agentOfOrganisation(organisationId, agentId);
    // No pending invitation (accepted meanwhile, an intervenant): nothing to send, the page says what is.
    const sent = await resendInvitation(mail, { principal, organisationId, agentId, now: context.now() });
    return reply.redirect(sent ? `${agentPath(organisationId, agentId)}?info=renvoyee` : agentPath(organisationId, agentId), 303);
  });

  // -------------------------------------------------------------------------------------------
  // Removal from the organisation
  // -------------------------------------------------------------------------------------------

  async function renderRemovalPage(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { principal: AgentPrincipal; organisationId: number; agent: OrganisationAgentRecord; refusal?: string; statusCode?: number },
  ): Promise<FastifyReply> {
    const organisation = await findOrganisation(db, page.organisationId);
    if (organisation === undefined) throw new NotFoundError();
    const appointments = await futureAppointmentsOf(db, page.organisationId, page.agent.agentId, context.now());
    const roles = await db.selectFrom('agent_roles').select('organisation_id').where('agent_id', '=', page.agent.agentId).execute();
    const lastAdmin = page.agent.accessLevel === 'admin' && (await countOtherAdmins(db, page.organisationId, page.agent.agentId)) === 0;
    return sendPage(
      reply,
      RemovalPage({
        principal: page.principal,
        organisationId: page.organisationId,
        csrfToken: csrfToken(request),
        agent: page.agent,
        appointments,
        refusal: page.refusal ?? (lastAdmin ? LAST_ADMIN_MESSAGE : undefined),
        lastAdmin,
        lastOrganisation: roles.length === 1,
        organisationName: organisation.name,
      }),
      { statusCode: page.statusCode ?? 200, private: true },
    );
  }

  app.get(`${BASE}/:agentId/retrait`, { ...guarded, schema: { params: agentParams } }, async (request, reply) => {
    const { organisationId, agentId } = request.params;
    const principal = manager(request, organisationId);
    const agent = await agentOfOrganisation(organisationId, agentId);
    return renderRemovalPage(request, reply, { principal, organisationId, agent });
  });

  app.post(`${BASE}/:agentId/retrait`, { ...guarded, ...FORM_LIMIT, schema: { params: agentParams, body: emptyBody } }, async (request, reply) => {
    const { organisationId, agentId } = request.params;
    const principal = manager(request, organisationId);
    const agent = await agentOfOrganisation(organisationId, agentId);
    const result = await removeAgentFromOrganisation(db, { principal, organisationId, agentId, now: context.now() });
    if (result.ok) {
      // Removing oneself: no page of this organisation is theirs any more.
      if (agentId === principal.agentId) return reply.redirect('/agents', 303);
      return reply.redirect(`${agentsPath(organisationId)}?retrait=${result.deactivated ? 'desactive' : 'retire'}`, 303);
    }
    if (result.reason === 'NOT_FOUND') throw new NotFoundError();
    const refusal =
      result.reason === 'LAST_ADMIN'
        ? LAST_ADMIN_MESSAGE
        : 'L’agent a des rendez-vous à venir dans l’organisation : réattribuez-les ou annulez-les avant de le retirer.';
    return renderRemovalPage(request, reply, { principal, organisationId, agent, refusal, statusCode: 409 });
  });
}
