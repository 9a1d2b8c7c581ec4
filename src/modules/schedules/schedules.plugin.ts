// Opening periods and absences of the agent workspace as an encapsulated Fastify plugin (ADR 0012).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerSchedulesRoutes } from './schedules.routes.js';

/** `/agents/organisations/:organisationId/plages…` and `…/absences…`. */
export const schedulesPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerSchedulesRoutes(app, options.context);
  done();
};
