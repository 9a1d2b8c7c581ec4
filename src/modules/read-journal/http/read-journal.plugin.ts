// The read journal page as an encapsulated Fastify plugin (ADR 0012).
import type { AppContext } from '../../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../../platform/http/schemas.js';
import { registerReadJournalRoutes } from './read-journal.routes.js';
import type { JournalUsersPort } from './users-port.js';

/** `/agents/organisations/:organisationId/journal-des-consultations` (territorial admins). */
export const readJournalPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext; readonly users: JournalUsersPort }> = (app, options, done) => {
  registerReadJournalRoutes(app, options.context, options.users);
  done();
};
