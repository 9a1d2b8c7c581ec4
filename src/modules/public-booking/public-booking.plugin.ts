// Public booking as an encapsulated Fastify plugin (ADR 0012): its routes, schemas and hooks stay
// inside; app.ts registers it with what it needs. Public URLs are stable French paths (printed on
// letters and sent in SMS), so the plugin takes no prefix.
import type { AppContext } from '../../platform/context.js';
import type { FastifyPluginCallbackZod } from '../../platform/http/schemas.js';
import type { Geocoder } from '../geocoding/index.js';
import { registerConfirmRoutes } from './confirm.routes.js';
import { registerFunnelRoutes, type RenderHome } from './funnel.routes.js';

export interface PublicBookingPluginOptions {
  readonly context: AppContext;
  readonly geocoder: Geocoder;
  /** The home page with the address form, re-rendered with an error (422) — from the home module. */
  readonly renderHome: RenderHome;
}

/** `/recherche`, `/org/…`, `/invitation/:token`, `/prendre-rdv…`, `/rdv/:publicId/confirmation`. */
export const publicBookingPlugin: FastifyPluginCallbackZod<PublicBookingPluginOptions> = (app, options, done) => {
  registerFunnelRoutes(app, options.context, options.geocoder, options.renderHome);
  registerConfirmRoutes(app, options.context);
  done();
};
