// The exports as an encapsulated Fastify plugin (ADR 0012, ADR 0024): the exports page, the
// request of an export from the appointment list, and the download of a finished file.
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { registerExportsRoutes } from './exports.routes.js';

export const exportsPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerExportsRoutes(app, options.context);
  done();
};
