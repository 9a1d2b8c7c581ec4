// The super admin back office as an encapsulated Fastify plugin (ADR 0012, ADR 0032).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import type { Geocoder } from '../geocoding/index.js';
import { deliverDue, deliveryDependencies, keyringOf } from '../notifications/index.js';
import { registerSuperAdminRoutes } from './super-admin.routes.js';
import type { SuperAdminServices } from './super-admin.use-cases.js';

/** `/super-admin/**`, the second step of a super admin's sign-in (`/agents/connexion/code`) and the end of an impersonation. */
export const superAdminPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext; readonly geocoder: Geocoder }> = (app, options, done) => {
  const { context } = options;
  const services: SuperAdminServices = {
    db: context.db,
    keyring: keyringOf(context),
    sessionSecret: context.config.sessionSecret,
    baseUrl: context.config.baseUrl,
    deliver: async (ids, now) => {
      await deliverDue(deliveryDependencies(context, app.log), { now, ids, batchSize: ids.length });
    },
  };
  registerSuperAdminRoutes(app, context, services, options.geocoder);
  done();
};
