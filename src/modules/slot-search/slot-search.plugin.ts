// The agent's slot search ("Trouver un créneau") as an encapsulated Fastify plugin (ADR 0012, ADR 0023).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerSlotSearchRoutes } from './slot-search.routes.js';

export const slotSearchPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerSlotSearchRoutes(app, options.context);
  done();
};
