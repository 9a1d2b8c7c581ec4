import path from 'node:path';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { loggerOptions } from './platform/logger/logger.js';
import { runInAuditContext } from './platform/audit/impersonation-context.js';
import type { AppContext } from './platform/context.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import { registerSchemaCompilers } from './platform/http/schemas.js';
import { registerHealthRoutes } from './platform/http/health.routes.js';
import { registerTheme } from './platform/http/theme.routes.js';
import { recordRoutes } from './platform/http/route-catalogue.js';
import { trustProxyOption } from './platform/http/trust-proxy.js';
import { agentCalendarFeedPlugin } from './modules/agent-calendar-feed/index.js';
import { agendaPlugin } from './modules/agenda/index.js';
import { agentAppointmentsPlugin } from './modules/agent-appointments/index.js';
import { collectiveAppointmentsPlugin } from './modules/collective-appointments/index.js';
import { usersPlugin } from './modules/users/index.js';
import { organisationAgentsPlugin } from './modules/organisation-agents/index.js';
import { agentsPlugin } from './modules/agents/index.js';
import { exportsPlugin } from './modules/exports/index.js';
import { organisationAdminPlugin } from './modules/organisation-admin/index.js';
import { superAdminPlugin } from './modules/super-admin/index.js';
import { adminNotificationsPlugin, agentNotificationsPlugin } from './modules/notification-pages/index.js';
import { authPlugin } from './modules/auth/index.js';
import { myAppointmentsPlugin } from './modules/my-appointments/index.js';
import { publicBookingPlugin } from './modules/public-booking/index.js';
import { schedulesPlugin } from './modules/schedules/index.js';
import { journalUsersPort, readJournalPlugin } from './modules/read-journal/index.js';
import { userMergePlugin } from './modules/user-merge/index.js';
import { knownUsersCondition, usersScopeOf } from './modules/users/index.js';
import { slotSearchPlugin } from './modules/slot-search/index.js';
import { territoryAdminPlugin } from './modules/territory-admin/index.js';
import { sectorisationAdminPlugin } from './modules/sectorisation-admin/index.js';
import { createGeocoder } from './modules/geocoding/index.js';
import { createHomeRenderer, homePlugin } from './modules/home/index.js';
import { registerDevOutboxRoutes } from './platform/mailer/index.js';
import { registerSecurity } from './platform/security/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the Fastify app: platform first, then each module, in one explicit list. */
export async function buildApp(context: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: context.config.logLevel === 'silent' ? false : loggerOptions(context.config.logLevel),
    // Only the proxies named by TRUST_PROXY may set the client's address (X-Forwarded-For); by
    // default the socket's address is the client's, so no client can choose its own (rate limits).
    trustProxy: trustProxyOption(context.config.trustProxy),
    bodyLimit: 1_048_576,
  });
  recordRoutes(app);
  // Each request runs in its own audit context: an impersonation marks it, and the audit entries
  // it writes then name the super admin too (platform/audit/impersonation-context.ts, ADR 0032).
  app.addHook('onRequest', (_request, _reply, done) => {
    runInAuditContext(done);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'self'"],
        'object-src': ["'none'"],
      },
    },
    // HSTS only makes sense behind HTTPS.
    strictTransportSecurity: context.config.baseUrl.startsWith('https://'),
  });

  await app.register(fastifyStatic, {
    root: path.join(ROOT, 'node_modules/@gouvfr/dsfr/dist'),
    prefix: '/static/dsfr/',
    maxAge: '7d',
  });
  await app.register(fastifyStatic, {
    root: path.join(ROOT, 'public'),
    prefix: '/static/',
    decorateReply: false,
    maxAge: '1h',
  });

  registerSchemaCompilers(app);
  await app.register(formbody, { bodyLimit: 65_536 });
  await registerSecurity(app, context);
  registerErrorHandling(app);
  registerHealthRoutes(app, context);
  await registerTheme(app, context.config.theme);
  if (context.config.devOutbox) registerDevOutboxRoutes(app, context);

  // Modules, in one explicit list: each is an encapsulated plugin (ADR 0012).
  const geocoder = createGeocoder({ geocoderUrl: context.config.geocoderUrl });
  await app.register(homePlugin, { context });
  await app.register(authPlugin, { context });
  await app.register(publicBookingPlugin, { context, geocoder, renderHome: createHomeRenderer(context) });
  await app.register(myAppointmentsPlugin, { context });
  await app.register(agentsPlugin, { context });
  await app.register(agentCalendarFeedPlugin, { context });
  await app.register(agendaPlugin, { context });
  await app.register(slotSearchPlugin, { context });
  await app.register(schedulesPlugin, { context });
  await app.register(agentAppointmentsPlugin, { context });
  await app.register(collectiveAppointmentsPlugin, { context });
  await app.register(adminNotificationsPlugin, { context });
  await app.register(agentNotificationsPlugin, { context });
  await app.register(userMergePlugin, { context });
  await app.register(sectorisationAdminPlugin, { context, geocoder });
  await app.register(readJournalPlugin, { context, users: journalUsersPort(usersScopeOf, knownUsersCondition) });
  await app.register(usersPlugin, { context });
  await app.register(exportsPlugin, { context });
  await app.register(organisationAdminPlugin, { context, geocoder });
  await app.register(organisationAgentsPlugin, { context });
  await app.register(territoryAdminPlugin, { context });
  await app.register(superAdminPlugin, { context, geocoder });

  return app;
}
