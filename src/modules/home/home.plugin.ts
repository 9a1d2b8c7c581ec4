// The landing page as an encapsulated Fastify plugin (ADR 0012).
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import { sendPage } from '../../platform/views/send-page.js';
import { createHomeRenderer } from './home.routes.js';

/** `GET /`: the landing page with the address search. */
export const homePlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  const renderHome = createHomeRenderer(options.context);
  app.get('/', async (request, reply) => sendPage(reply, await renderHome(request)));
  done();
};
