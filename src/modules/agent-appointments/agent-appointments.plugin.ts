// Agent appointment pages as an encapsulated Fastify plugin (ADR 0012).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerAgentAppointmentsRoutes } from './agent-appointments.routes.js';

/** `/agents/organisations/:organisationId/rdv/nouveau…` (creation wizard) and `/rdv/:appointmentId…` (detail, status, edit). */
export const agentAppointmentsPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerAgentAppointmentsRoutes(app, options.context);
  done();
};
