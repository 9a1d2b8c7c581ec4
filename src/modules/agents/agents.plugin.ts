// Agent accounts as an encapsulated plugin (ADR 0012, ADR 0015): sign-in, sign-out, sign-out
// everywhere, the organisation choice and "Mon compte"; invitations and password resets are in
// agent-accounts.routes.ts.
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginAsyncZod } from '../../platform/http/schemas.js';
import { csrfToken, endSession, rateLimit } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { checkSignInForm } from '../auth/index.js';
import { agentAccountsRoutes } from './agent-accounts.routes.js';
import { passwordIdentityProvider } from './agent-identity.js';
import { agentGuards, agentOf, agentReturnTo, endImpersonation, startAgentSession } from './agent-session.js';
import { actsAsSuperAdmin } from './domain/principal.js';
import { agentReturnQuery, agentSignInBody } from './agents.schemas.js';
import { signOutEverywhere } from './agents.use-cases.js';
import { AgentAccountPage, AgentSignInPage, OrganisationChoicePage } from './views/agent-account-pages.js';

const FORM_LIMIT = { config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 15 * 60 }) } };

const INVALID_CREDENTIALS = 'E-mail ou mot de passe incorrect.';

function throttledMessage(retryAfterMs: number): string {
  const wait = retryAfterMs < 60_000 ? 'quelques secondes' : `${String(Math.ceil(retryAfterMs / 60_000))} minutes`;
  return `Trop de tentatives de connexion avec cette adresse. Réessayez dans ${wait}, ou réinitialisez votre mot de passe.`;
}

/** The organisation where an agent lands: the first where they may sign in. */
function firstOrganisationId(roles: readonly { organisationId: number; accessLevel: string }[]): number | undefined {
  return roles.find((role) => role.accessLevel !== 'intervenant')?.organisationId;
}

export const agentsPlugin: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  // The sign-in route only knows the port: ProConnect will be one more provider (agent-identity.ts).
  const passwordProvider = passwordIdentityProvider({ db: context.db, sessionSecret: context.config.sessionSecret });
  const { requireAgent } = agentGuards(context);
  await app.register(agentAccountsRoutes, { context });

  app.get('/agents/connexion', { schema: { querystring: agentReturnQuery } }, async (request, reply) =>
    sendPage(reply, AgentSignInPage({ csrfToken: csrfToken(request), returnTo: agentReturnTo(request.query.retour ?? '') })),
  );

  app.post('/agents/connexion', { ...FORM_LIMIT, schema: { body: agentSignInBody } }, async (request, reply) => {
    const returnTo = agentReturnTo(request.body.retour ?? '');
    const render = (statusCode: number, errors: Record<string, string>): FastifyReply =>
      sendPage(reply, AgentSignInPage({ csrfToken: csrfToken(request), returnTo, email: request.body.email, errors }), { statusCode });
    const form = checkSignInForm(request.body);
    if (!form.ok) return render(422, form.errors);
    const result = await passwordProvider.identify(form.value, context.now());
    if (result.ok) {
      // A super admin is only half signed in until their TOTP code (ADR 0032).
      if ((await startAgentSession(request, context, result)) === 'SECOND_FACTOR_REQUIRED') return reply.redirect('/agents/connexion/code', 303);
      return reply.redirect(returnTo ?? '/agents', 303);
    }
    if (result.reason === 'THROTTLED') {
      reply.header('retry-after', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
      return render(429, { motDePasse: throttledMessage(result.retryAfterMs) });
    }
    return render(422, { motDePasse: INVALID_CREDENTIALS });
  });

  app.post('/agents/deconnexion', async (request, reply) => {
    // Signing out during an impersonation ends it too (journaled as such).
    const impersonationId = request.session.get('impersonationId');
    if (impersonationId !== undefined) await endImpersonation(context.db, { impersonationId, endReason: 'signed_out', now: context.now() });
    await endSession(request, reply, context.config.baseUrl);
    return reply.redirect('/agents/connexion', 303);
  });

  app.get('/agents', { preHandler: requireAgent }, async (request, reply) => {
    const principal = agentOf(request);
    const signable = principal.roles.filter((role) => role.accessLevel !== 'intervenant');
    // A super admin without an organisation works in the back office.
    if (signable.length === 0 && actsAsSuperAdmin(principal)) return reply.redirect('/super-admin', 303);
    const only = signable.length === 1 ? signable[0] : undefined;
    if (only !== undefined) return reply.redirect(`/agents/organisations/${String(only.organisationId)}/agenda`, 303);
    return sendPage(reply, OrganisationChoicePage({ principal, csrfToken: csrfToken(request) }), { private: true });
  });

  app.get('/agents/compte', { preHandler: requireAgent }, async (request, reply) => {
    const principal = agentOf(request);
    return sendPage(reply, AgentAccountPage({ principal, csrfToken: csrfToken(request), organisationId: firstOrganisationId(principal.roles) ?? 0 }), { private: true });
  });

  app.post('/agents/compte/deconnexion-partout', { preHandler: requireAgent }, async (request, reply) => {
    await signOutEverywhere(context.db, agentOf(request).agentId);
    await endSession(request, reply, context.config.baseUrl);
    return reply.redirect('/agents/connexion', 303);
  });
};
