// The users directory as an encapsulated Fastify plugin (ADR 0012, ADR 0020).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerUsersRoutes } from './users.routes.js';

/** `/agents/organisations/:organisationId/usagers…`: search, user page, create, edit, remove from the organisation. */
export const usersPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerUsersRoutes(app, options.context);
  done();
};
