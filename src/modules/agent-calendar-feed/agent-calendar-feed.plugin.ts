// The agent's personal calendar feed as an encapsulated plugin (ADR 0012, issue 8 part 6).
//
//   GET  /agents/compte/calendrier            the account page: create, regenerate, revoke
//   POST /agents/compte/calendrier            create the feed, or regenerate it (revokes the old URL)
//   POST /agents/compte/calendrier/revoquer   revoke it
//   GET  /agents/calendrier/:token.ics        the feed itself: no session, the token is the credential
//
// The account routes are not organisation-scoped: they only need a signed-in agent
// (`requireAgent`, which already refuses intervenants). The POST that creates a feed answers the
// page itself (200) rather than redirecting: the URL is shown once, and Post/Redirect/Get would
// have to keep the secret somewhere (the session row) until the next GET.
//
// The feed's path holds the token: the route logs at `warn` only (no request lines), the logger
// masks token-like path segments anyway, and a 404 answers an unknown, revoked or malformed token
// alike, after hashing it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { FastifyPluginAsyncZod } from '../../platform/http/schemas.js';
import { csrfToken, rateLimit } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { accessLevelMaySignIn, agentGuards, agentOf } from '../agents/index.js';
import { emptyBody, feedParams, issueFeedBody } from './agent-calendar-feed.schemas.js';
import { getCalendarFeedStatus, issueCalendarFeed, renderCalendarFeed, revokeCalendarFeed } from './agent-calendar-feed.use-cases.js';
import { detailLevelOf } from './domain/calendar-feed.js';
import { CalendarFeedPage } from './views/calendar-feed-page.js';

const PAGE_PATH = '/agents/compte/calendrier';

/** Calendar applications poll; several agents may share one address (a proxy, Google's fetchers). */
const FEED_LIMIT = rateLimit({ max: 300, timeWindowSeconds: 5 * 60 });
const FORM_LIMIT = rateLimit({ max: 30, timeWindowSeconds: 15 * 60 });

declare module 'fastify' {
  interface Session {
    /** Message shown once on the calendar feed page (after a revocation). */
    calendarFeedNotice?: string;
  }
}

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async; this one only registers routes
export const agentCalendarFeedPlugin: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { requireAgent } = agentGuards(context);

  const renderPage = async (request: FastifyRequest, reply: FastifyReply, extra: { newFeedUrl?: string; notice?: string }): Promise<FastifyReply> => {
    const principal = agentOf(request);
    // The workspace's navigation stays in the agent's first organisation where they may sign in.
    const organisation = principal.roles.find((role) => accessLevelMaySignIn(role.accessLevel));
    const feed = await getCalendarFeedStatus(context.db, principal.agentId);
    return sendPage(
      reply,
      CalendarFeedPage({
        principal,
        csrfToken: csrfToken(request),
        organisationId: organisation?.organisationId ?? 0,
        timeZone: organisation?.timeZone ?? 'Europe/Paris',
        feed,
        ...extra,
      }),
      { private: true },
    );
  };

  app.get(PAGE_PATH, { preHandler: requireAgent }, async (request, reply) => {
    const notice = request.session.get('calendarFeedNotice');
    if (notice !== undefined) request.session.set('calendarFeedNotice', undefined);
    return renderPage(request, reply, { notice });
  });

  app.post(PAGE_PATH, { preHandler: requireAgent, config: { rateLimit: FORM_LIMIT }, schema: { body: issueFeedBody } }, async (request, reply) => {
    const detailLevel = detailLevelOf({ showsMotif: request.body.motif !== undefined, showsInitials: request.body.initiales !== undefined });
    const { token } = await issueCalendarFeed(context.db, { agentId: agentOf(request).agentId, detailLevel, now: context.now() });
    const newFeedUrl = new URL(`/agents/calendrier/${token}.ics`, context.config.baseUrl).toString();
    return renderPage(request, reply, { newFeedUrl });
  });

  app.post(`${PAGE_PATH}/revoquer`, { preHandler: requireAgent, config: { rateLimit: FORM_LIMIT }, schema: { body: emptyBody } }, async (request, reply) => {
    const revoked = await revokeCalendarFeed(context.db, { agentId: agentOf(request).agentId, now: context.now() });
    request.session.set('calendarFeedNotice', revoked ? 'L’adresse de votre agenda est révoquée : elle ne fonctionne plus.' : 'Vous n’aviez pas d’agenda personnel actif.');
    return reply.redirect(PAGE_PATH, 303);
  });

  app.get(
    '/agents/calendrier/:token.ics',
    { logLevel: 'warn', config: { rateLimit: FEED_LIMIT, cacheControl: 'private, max-age=300' }, schema: { params: feedParams } },
    async (request, reply) => {
      const feed = await renderCalendarFeed(context.db, { token: request.params.token, uidDomain: new URL(context.config.baseUrl).hostname, now: context.now() });
      if (feed === undefined) throw new NotFoundError();
      return reply
        .header('x-robots-tag', 'noindex')
        .header('content-disposition', 'inline; filename="agenda-creneau.ics"')
        .type('text/calendar; charset=utf-8')
        .send(feed);
    },
  );
};
