/**
 * The routes an app registered (method and URL pattern), recorded by an `onRoute` hook installed
 * before any module. The authorisation matrix test walks every agent route with it, so a route
 * added later is attacked with foreign ids without anyone having to list it.
 */
import type { FastifyInstance } from 'fastify';

export interface CatalogueEntry {
  readonly method: string;
  readonly url: string;
}

const catalogues = new WeakMap<FastifyInstance, CatalogueEntry[]>();

/** Installs the hook on the root instance; call before registering any route. */
export function recordRoutes(app: FastifyInstance): void {
  const entries: CatalogueEntry[] = [];
  catalogues.set(app, entries);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') entries.push({ method, url: route.url });
  });
}

/** The routes recorded for the app (empty if `recordRoutes` was not installed). */
export function registeredRoutes(app: FastifyInstance): readonly CatalogueEntry[] {
  return catalogues.get(app) ?? [];
}
