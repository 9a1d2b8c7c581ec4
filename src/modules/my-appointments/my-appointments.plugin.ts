// "Mes rendez-vous" and appointment links as an encapsulated Fastify plugin (ADR 0012).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerMyAppointmentsRoutes } from './my-appointments.routes.js';

/** `/mes-rdv…` (signed-in usager) and `/rdv/lien/:token…` (link + last-name letters). */
export const myAppointmentsPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerMyAppointmentsRoutes(app, options.context);
  done();
};
