// The merge pages as an encapsulated Fastify plugin (ADR 0012).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerUserMergeRoutes } from './user-merge.routes.js';

/** `/agents/organisations/:organisationId/usagers/:userId/fusionner…`: merge a duplicate into this usager. */
export const userMergePlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerUserMergeRoutes(app, options.context);
  done();
};
