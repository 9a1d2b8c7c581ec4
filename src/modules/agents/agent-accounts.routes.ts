// Agent accounts pages (ADR 0015): the organisation's agents and the invitation form (admins of
// the organisation; anyone else gets 404), the invitation link, the forgotten password and the
// reset link. Routes: schema (400) → guard and policy (404) → form rules (422, input kept) → one
// use case → redirect (Post/Redirect/Get). E-mailed links open a form; only its POST spends them.
import { accountMailQueueOf } from '../notifications/index.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { FastifyPluginAsyncZod } from '../../platform/http/schemas.js';
import { csrfToken, rateLimit } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { checkEmailForm, PASSWORD_HINT } from '../auth/index.js';
import { listOrganisationAgents, listTerritoryServicesOf } from './agent-accounts.repository.js';
import { choosePasswordWithLink, inviteAgent, requestAgentPasswordReset, usableAgentLink, type AgentAccountMailServices, type AgentLinkPurpose } from './agent-accounts.use-cases.js';
import { agentGuards, agentOf, startAgentSession } from './agent-session.js';
import { agentEmailBody, agentLinkQuery, chosenPasswordBody, invitationBody, organisationParams } from './agents.schemas.js';
import { checkChosenPasswordForm, checkInvitationForm } from './domain/agent-account-forms.js';
import { canManageOrganisation } from './domain/policies.js';
import {
  AgentForgotPasswordPage,
  AgentResetSentPage,
  ChoosePasswordPage,
  InviteAgentPage,
  OrganisationAgentsPage,
  UnusableLinkPage,
  type InvitationFormValues,
} from './views/agent-accounts-pages.js';

/** Per client address, per route: generous (an office behind one address); the per-address limits do the real work. */
const FORM_LIMIT = { config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 15 * 60 }) } };

const agentsListQuery = z.object({ invitation: z.enum(['envoyee', 'ajoute']).optional(), retrait: z.enum(['retire', 'desactive']).optional() });

/** After a removal from the organisation (organisation-agents, ADR 0029). */
const REMOVAL_NOTICES: Record<'retire' | 'desactive', string> = {
  retire: 'L’agent a été retiré de l’organisation.',
  desactive: 'L’agent a été retiré de l’organisation. C’était sa dernière organisation : son compte est désactivé et ses sessions sont fermées.',
};

const NOTICES: Record<'envoyee' | 'ajoute', string> = {
  envoyee: 'L’invitation a été envoyée. L’agent a 7 jours pour choisir son mot de passe.',
  ajoute: 'L’agent avait déjà un compte : il a maintenant accès à votre organisation et en a été informé par e-mail.',
};

const REFUSALS: Record<'ALREADY_MEMBER' | 'ADDRESS_TAKEN_ELSEWHERE', string> = {
  ALREADY_MEMBER: 'Cet agent fait déjà partie de votre organisation et a déjà choisi son mot de passe.',
  ADDRESS_TAKEN_ELSEWHERE: 'Cette adresse est déjà utilisée par un compte agent que vous ne pouvez pas modifier. Contactez le support de Créneau.',
};

const LINK_PAGES: Record<AgentLinkPurpose, { path: string; title: string; intro: (firstName: string) => string; button: string }> = {
  invitation: {
    path: '/agents/invitation',
    title: 'Choisir votre mot de passe',
    intro: (firstName) => `Bienvenue ${firstName}. Choisissez le mot de passe de votre compte agent ; vous serez ensuite connecté.`,
    button: 'Enregistrer et me connecter',
  },
  password_reset: {
    path: '/agents/mot-de-passe/nouveau',
    title: 'Choisir un nouveau mot de passe',
    intro: (firstName) => `${firstName}, choisissez un nouveau mot de passe. Vos autres sessions ouvertes seront fermées.`,
    button: 'Enregistrer et me connecter',
  },
};

/** The routes of invitations and password resets, inside the agents plugin. */
// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async; this one only registers routes
export const agentAccountsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const services: AgentAccountMailServices = {
    db: context.db,
    mail: accountMailQueueOf(context, app.log),
    sessionSecret: context.config.sessionSecret,
    baseUrl: context.config.baseUrl,
  };
  app.addHook('onClose', async () => services.mail.drain());
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const adminPage = { preHandler: [requireAgent, requireOrganisation] };

  /** The fine policy of the admin pages: managing the organisation, else 404 like a foreign id. */
  function requireManager(request: FastifyRequest, organisationId: number): void {
    if (!canManageOrganisation(agentOf(request), organisationId)) throw new NotFoundError();
  }

  app.get('/agents/organisations/:organisationId/agents', { ...adminPage, schema: { params: organisationParams, querystring: agentsListQuery } }, async (request, reply) => {
    const { organisationId } = request.params;
    requireManager(request, organisationId);
    const agents = await listOrganisationAgents(context.db, organisationId);
    const notice = request.query.invitation !== undefined ? NOTICES[request.query.invitation] : request.query.retrait !== undefined ? REMOVAL_NOTICES[request.query.retrait] : undefined;
    return sendPage(reply, OrganisationAgentsPage({ principal: agentOf(request), organisationId, csrfToken: csrfToken(request), agents, notice }), { private: true });
  });

  app.get('/agents/organisations/:organisationId/agents/inviter', { ...adminPage, schema: { params: organisationParams } }, async (request, reply) => {
    const { organisationId } = request.params;
    requireManager(request, organisationId);
    const services = await listTerritoryServicesOf(context.db, organisationId);
    return sendPage(reply, InviteAgentPage({ principal: agentOf(request), organisationId, csrfToken: csrfToken(request), services }), { private: true });
  });

  app.post('/agents/organisations/:organisationId/agents/inviter', { ...adminPage, ...FORM_LIMIT, schema: { params: organisationParams, body: invitationBody } }, async (request, reply) => {
    const { organisationId } = request.params;
    requireManager(request, organisationId);
    const principal = agentOf(request);
    const territoryServices = await listTerritoryServicesOf(context.db, organisationId);
    const values: InvitationFormValues = { prenom: request.body.prenom, nom: request.body.nom, email: request.body.email, niveau: request.body.niveau, service: request.body.service };
    const render = (errors: Record<string, string>): FastifyReply =>
      sendPage(reply, InviteAgentPage({ principal, organisationId, csrfToken: csrfToken(request), services: territoryServices, values, errors }), { statusCode: 422, private: true });
    const form = checkInvitationForm(request.body, territoryServices.map((service) => service.id));
    if (!form.ok) return render(form.errors);
    const result = await inviteAgent(services, { principal, organisationId, form: form.value, now: context.now() });
    if (!result.ok) return render({ email: REFUSALS[result.reason] });
    return reply.redirect(`/agents/organisations/${String(organisationId)}/agents?invitation=${result.outcome === 'INVITED' ? 'envoyee' : 'ajoute'}`, 303);
  });

  /** GET of an e-mailed link: the password form while the link is usable, else 403 with what to do. */
  function showLinkPage(purpose: AgentLinkPurpose) {
    return async (request: FastifyRequest<{ Querystring: { jeton: string } }>, reply: FastifyReply): Promise<FastifyReply> => {
      const { jeton } = request.query;
      const agent = await usableAgentLink(context.db, { token: jeton, purpose, now: context.now() });
      if (agent === undefined) return sendPage(reply, UnusableLinkPage({ kind: purpose }), { statusCode: 403 });
      const page = LINK_PAGES[purpose];
      return sendPage(
        reply,
        ChoosePasswordPage({ csrfToken: csrfToken(request), title: page.title, intro: page.intro(agent.firstName), action: page.path, token: jeton, passwordHint: PASSWORD_HINT, button: page.button }),
        { private: true },
      );
    };
  }

  /** POST of an e-mailed link's form: the password is chosen, the link spent, the agent signed in. */
  function usePasswordLink(purpose: AgentLinkPurpose) {
    return async (request: FastifyRequest<{ Body: { jeton: string; motDePasse?: string; confirmation?: string } }>, reply: FastifyReply): Promise<FastifyReply> => {
      const { jeton } = request.body;
      const page = LINK_PAGES[purpose];
      const render = async (errors: Record<string, string>): Promise<FastifyReply> => {
        const agent = await usableAgentLink(context.db, { token: jeton, purpose, now: context.now() });
        if (agent === undefined) return sendPage(reply, UnusableLinkPage({ kind: purpose }), { statusCode: 403 });
        const html = ChoosePasswordPage({ csrfToken: csrfToken(request), title: page.title, intro: page.intro(agent.firstName), action: page.path, token: jeton, passwordHint: PASSWORD_HINT, button: page.button, errors });
        return sendPage(reply, html, { statusCode: 422, private: true });
      };
      const form = checkChosenPasswordForm(request.body);
      if (!form.ok) return render(form.errors);
      const result = await choosePasswordWithLink(services, { token: jeton, purpose, password: form.value.password, now: context.now() });
      if (result.ok) {
        await startAgentSession(request, context, result);
        return reply.redirect('/agents', 303);
      }
      if (result.reason === 'WEAK_PASSWORD') return render(result.errors);
      return sendPage(reply, UnusableLinkPage({ kind: purpose }), { statusCode: 403 });
    };
  }

  app.get('/agents/invitation', { ...FORM_LIMIT, schema: { querystring: agentLinkQuery } }, showLinkPage('invitation'));
  app.post('/agents/invitation', { ...FORM_LIMIT, schema: { body: chosenPasswordBody } }, usePasswordLink('invitation'));

  app.get('/agents/mot-de-passe-oublie', async (request, reply) => sendPage(reply, AgentForgotPasswordPage({ csrfToken: csrfToken(request) })));

  app.post('/agents/mot-de-passe-oublie', { ...FORM_LIMIT, schema: { body: agentEmailBody } }, async (request, reply) => {
    const form = checkEmailForm(request.body);
    if (!form.ok) return sendPage(reply, AgentForgotPasswordPage({ csrfToken: csrfToken(request), email: request.body.email, errors: form.errors }), { statusCode: 422 });
    await requestAgentPasswordReset(services, { email: form.value.email, now: context.now() });
    return reply.redirect('/agents/mot-de-passe-oublie/envoye', 303);
  });

  app.get('/agents/mot-de-passe-oublie/envoye', async (_request, reply) => sendPage(reply, AgentResetSentPage()));

  app.get('/agents/mot-de-passe/nouveau', { ...FORM_LIMIT, schema: { querystring: agentLinkQuery } }, showLinkPage('password_reset'));
  app.post('/agents/mot-de-passe/nouveau', { ...FORM_LIMIT, schema: { body: chosenPasswordBody } }, usePasswordLink('password_reset'));
};
