// Collective appointment pages as an encapsulated Fastify plugin (ADR 0012, ADR 0022).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerCollectiveAppointmentsRoutes } from './collective-appointments.routes.js';

/** `/agents/organisations/:organisationId/collectifs…`: list, creation, one session (participants, statuses), edit. */
export const collectiveAppointmentsPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerCollectiveAppointmentsRoutes(app, options.context);
  done();
};
