// The agent's notification level (issue 9 part 1):
//
//   GET  /agents/compte/notifications   the page: a radio group of the four levels
//   POST /agents/compte/notifications   `niveau` = all · others · soon · none → 303 back with a notice
//
// Not organisation-scoped: it only needs a signed-in agent (`requireAgent`), and only ever
// touches that agent's own row.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context.js';
import type { ZodApp } from '../../../platform/http/schemas.js';
import { csrfToken, rateLimit } from '../../../platform/security/index.js';
import { sendPage } from '../../../platform/views/send-page.js';
import { accessLevelMaySignIn, agentGuards, agentOf } from '../../agents/index.js';
import { findAgentNotificationLevel, saveAgentNotificationLevel } from '../agent-preferences.js';
import { LEVEL_OPTIONS, NOTIFICATION_PREFERENCES_PATH, NotificationPreferencesPage } from '../views/agent-notification-preferences-page.js';
import { type AgentNotificationLevel } from '../../notifications/index.js';

/** A missing choice is the person's mistake (422); any other value is not this form's (400). */
export const preferencesBody = z.object({ niveau: z.enum(['all', 'others', 'soon', 'none']).optional() });

const FORM_LIMIT = rateLimit({ max: 30, timeWindowSeconds: 15 * 60 });

declare module 'fastify' {
  interface Session {
    /** Message shown once on the notification preferences page. */
    notificationPreferencesNotice?: string;
  }
}

export function registerAgentNotificationPreferencesRoutes(app: ZodApp, context: AppContext): void {
  const { requireAgent } = agentGuards(context);

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { level?: AgentNotificationLevel | null; notice?: string; errors?: Record<string, string>; statusCode?: number },
  ): Promise<FastifyReply> => {
    const principal = agentOf(request);
    const organisation = principal.roles.find((role) => accessLevelMaySignIn(role.accessLevel));
    const level = extra.level === undefined ? await findAgentNotificationLevel(context.db, principal.agentId) : extra.level;
    return sendPage(
      reply,
      NotificationPreferencesPage({ principal, csrfToken: csrfToken(request), organisationId: organisation?.organisationId ?? 0, level, notice: extra.notice, errors: extra.errors }),
      { statusCode: extra.statusCode ?? 200, private: true },
    );
  };

  app.get(NOTIFICATION_PREFERENCES_PATH, { preHandler: requireAgent }, async (request, reply) => {
    const notice = request.session.get('notificationPreferencesNotice');
    if (notice !== undefined) request.session.set('notificationPreferencesNotice', undefined);
    return render(request, reply, { notice });
  });

  app.post(NOTIFICATION_PREFERENCES_PATH, { preHandler: requireAgent, config: { rateLimit: FORM_LIMIT }, schema: { body: preferencesBody } }, async (request, reply) => {
    const level = request.body.niveau;
    if (level === undefined) return render(request, reply, { level: null, errors: { niveau: 'Choisissez les e-mails que vous voulez recevoir.' }, statusCode: 422 });
    await saveAgentNotificationLevel(context.db, agentOf(request).agentId, level);
    const label = LEVEL_OPTIONS.find((option) => option.value === level)?.label ?? '';
    request.session.set('notificationPreferencesNotice', `C’est enregistré : « ${label} ».`);
    return reply.redirect(NOTIFICATION_PREFERENCES_PATH, 303);
  });
}
