// Organisation administration as an encapsulated Fastify plugin (ADR 0012, ADR 0028).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import type { Geocoder } from '../geocoding/index.js';
import { registerOrganisationAdminRoutes } from './organisation-admin.routes.js';

/** `/agents/organisations/:organisationId/administration…`: the hub, the organisation's details, places, motifs. */
export const organisationAdminPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext; readonly geocoder: Geocoder }> = (app, options, done) => {
  registerOrganisationAdminRoutes(app, options.context, options.geocoder);
  done();
};
