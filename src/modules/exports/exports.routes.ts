// Routes of the exports: schema → guards (agent, organisation) → one use case → page, redirect
// or file. Another agent's export, an unknown id or another organisation's: 404.
import { Readable } from 'node:stream';
import type { AppContext } from '../../platform/context.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { listTimeZoneOf, readAppointmentListFilters } from '../agenda/index.js';
import { agentGuards, agentOf } from '../agents/index.js';
import { chunkKeysFor, decryptChunk } from './export-cipher.js';
import { ExportExpiredError, ExportNotReadyError } from './exports.errors.js';
import { readChunk } from './exports.repository.js';
import { EXPORT_TYPES, exportFileParams, exportRequestBody, organisationParams } from './exports.schemas.js';
import { listMyExports, openExportFile, requestExport } from './exports.use-cases.js';
import { ExportReasonPage, ExportsPage } from './views/exports-pages.js';

const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** File names are made by `exportFileName` from fixed words and digits; checked again before the header. */
const SAFE_FILE_NAME = /^[a-z0-9-]{1,80}\.xlsx$/;

export function registerExportsRoutes(app: ZodApp, context: AppContext): void {
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const preHandler = [requireAgent, requireOrganisation];
  const exportsPath = (organisationId: number): string => `/agents/organisations/${String(organisationId)}/exports`;

  app.get('/agents/organisations/:organisationId/exports', { schema: { params: organisationParams }, preHandler }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const exports = await listMyExports(context.db, principal, organisationId, context.now());
    const page = ExportsPage({
      principal,
      csrfToken: csrfToken(request),
      organisationId,
      timeZone: listTimeZoneOf(principal, organisationId),
      exports,
      retentionHours: context.config.exportRetentionHours,
    });
    return sendPage(reply, page, { private: true });
  });

  app.post('/agents/organisations/:organisationId/exports', { schema: { params: organisationParams, body: exportRequestBody }, preHandler }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const body = request.body;
    const now = context.now();
    const { form, selection, errors } = readAppointmentListFilters(body, listTimeZoneOf(principal, organisationId), now);
    if (errors !== undefined) {
      // The list's own message, on the list's own page, with the filters kept.
      const query = new URLSearchParams(Object.entries(form));
      return reply.redirect(`/agents/organisations/${String(organisationId)}/rdv?${query.toString()}`, 303);
    }
    const result = await requestExport(context.db, {
      principal,
      organisationId,
      kind: EXPORT_TYPES[body.type],
      selection,
      reason: body.raison,
      now,
      retentionHours: context.config.exportRetentionHours,
    });
    if (result.ok) return reply.redirect(exportsPath(organisationId), 303);
    if (result.reason === 'TOO_MANY') {
      const exports = await listMyExports(context.db, principal, organisationId, now);
      const page = ExportsPage({
        principal,
        csrfToken: csrfToken(request),
        organisationId,
        timeZone: listTimeZoneOf(principal, organisationId),
        exports,
        retentionHours: context.config.exportRetentionHours,
        refusal: result.message,
      });
      return sendPage(reply, page, { private: true, statusCode: 429 });
    }
    // The territory asks why: first the question (200), then the refusal of an empty or invalid reason (422).
    const page = ExportReasonPage({
      principal,
      csrfToken: csrfToken(request),
      organisationId,
      type: body.type,
      form,
      reason: body.raison ?? '',
      error: body.raison === undefined ? undefined : result.message,
    });
    return sendPage(reply, page, { private: true, statusCode: body.raison === undefined ? 200 : 422 });
  });

  app.get('/agents/organisations/:organisationId/exports/:publicId/fichier', { schema: { params: exportFileParams }, preHandler }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, publicId } = request.params;
    const opened = await openExportFile(context.db, principal, organisationId, publicId, context.now());
    if (!opened.ok) throw opened.reason === 'EXPIRED' ? new ExportExpiredError() : new ExportNotReadyError();
    const { export: file, chunkCount } = opened;
    if (!SAFE_FILE_NAME.test(file.fileName)) throw new ExportNotReadyError();
    const keys = chunkKeysFor(context.config.secretsEncryptionKey);
    const db = context.db;
    // One chunk in memory at a time: read, decrypt, send, then the next.
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let position = 0; position < chunkCount; position += 1) {
        const stored = await readChunk(db, file.id, position);
        if (stored === undefined) throw new Error('morceau d’export manquant');
        yield decryptChunk(stored, keys, file.id, position);
      }
    }
    reply
      .header('cache-control', 'no-store')
      .header('content-type', XLSX_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('x-content-type-options', 'nosniff');
    if (file.byteSize !== null) reply.header('content-length', String(file.byteSize));
    return reply.send(Readable.from(chunks()));
  });
}
