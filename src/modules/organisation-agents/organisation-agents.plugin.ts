// Agents administration and teams as an encapsulated Fastify plugin (ADR 0012, ADR 0029).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerOrganisationAgentsRoutes } from './organisation-agents.routes.js';
import { registerTeamsRoutes } from './teams.routes.js';

/** `/agents/organisations/:organisationId/agents/…`: intervenants, an agent's page and access, removal; teams. */
export const organisationAgentsPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerOrganisationAgentsRoutes(app, options.context);
  registerTeamsRoutes(app, options.context);
  done();
};
