// The sectorisation administration as an encapsulated Fastify plugin (ADR 0012, ADR 0031).
// @fastify/multipart is registered here only, with strict limits: one file of 5 MB, one field.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from '../../platform/http/schemas.js';
import { registerSectorisationAdminRoutes, type SectorisationAdminOptions } from './sectorisation-admin.routes.js';
import { MAX_IMPORT_BYTES } from './sectorisation-admin.use-cases.js';

/** `/agents/territoires/:territoryId/sectorisation…`: sectors, zones, attributions, CSV import and export, address test. */
export const sectorisationAdminPlugin: FastifyPluginAsyncZod<SectorisationAdminOptions> = async (app, options) => {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { files: 1, fileSize: MAX_IMPORT_BYTES, fields: 2, fieldSize: 1024, parts: 3, headerPairs: 50, fieldNameSize: 50 },
  });
  registerSectorisationAdminRoutes(app, options);
};
