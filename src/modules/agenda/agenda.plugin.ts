// The agents' agenda as an encapsulated Fastify plugin (ADR 0012): day, week and month views,
// the appointment list and the printable day sheet of a place, under /agents/organisations/:id.
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerAgendaRoutes } from './agenda.routes.js';

export const agendaPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerAgendaRoutes(app, options.context);
  done();
};
