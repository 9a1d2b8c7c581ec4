// The territory administration as an encapsulated Fastify plugin (ADR 0012, ADR 0030).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginAsyncZod } from '../../platform/http/schemas.js';
import { territoryAdminRoutes } from './territory-admin.routes.js';

/** `/agents/territoires/:territoryId…`: hub, organisations, agents and roles, services and categories, directory settings, holidays and closures. */
export const territoryAdminPlugin: FastifyPluginAsyncZod<{ readonly context: AppContext }> = async (app, options) => {
  await app.register(territoryAdminRoutes, { context: options.context });
};
