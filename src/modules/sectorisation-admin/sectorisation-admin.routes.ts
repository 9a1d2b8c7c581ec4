// Routes of the sectorisation administration (issue 11 §2, ADR 0031), under
// /agents/territoires/:territoryId/sectorisation. requireAgent, then the policy: territorial admins
// of that territory only (canManageTerritory); anyone else, and any id of another territory's
// sector, zone, attribution or import, gets a 404.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { HttpMappedError, NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { CsrfRejectedError, CSRF_FIELD_NAME, csrfToken, isValidCsrfToken } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { agentGuards, agentOf, canManageTerritory, type AgentPrincipal } from '../agents/index.js';
import type { Geocoder } from '../geocoding/index.js';
import { communeLookup } from './communes.js';
import { checkCommuneZone, checkSectorForm, checkStreetZone, parseAttributionChoice } from './domain/sectorisation-forms.js';
import * as repository from './sectorisation-admin.repository.js';
import type { TerritoryRow } from './sectorisation-admin.repository.js';
import {
  addressTestQuery,
  attributionBody,
  attributionParams,
  communeZoneBody,
  confirmBody,
  emptyBody,
  importParams,
  sectorBody,
  sectorParams,
  streetZoneBody,
  territoryParams,
  zoneParams,
} from './sectorisation-admin.schemas.js';
import {
  MAX_IMPORT_BYTES,
  addAttribution,
  addZone,
  confirmZonesImport,
  createSector,
  decodeZonesFile,
  deleteSector,
  dryRunZonesImport,
  exportZones,
  removeAttribution,
  removeZone,
  testAddress,
  updateSector,
} from './sectorisation-admin.use-cases.js';
import { AddressTestPage, ImportPage, SectorDeletePage, SectorFormPage, SectorPage, SectorsPage, sectorPath, sectorisationBase, type SectorPageProps } from './views/sectorisation-pages.js';

declare module 'fastify' {
  interface Session {
    /** A message shown once on the next sectorisation page. */
    sectorisationNotice?: string;
  }
}

/** The uploaded file is over the limit: a French 413 page. */
export class ImportTooLargeError extends HttpMappedError {
  override name = 'ImportTooLargeError';
  readonly statusCode = 413;
  readonly publicMessage = `Le fichier est trop volumineux : ${String(MAX_IMPORT_BYTES / 1024 / 1024)} Mo au plus. Découpez-le par secteur (chaque secteur nommé reçoit les zones du fichier) et importez les morceaux l’un après l’autre.`;
}

/** Not the upload form (no multipart body, several files, unknown fields): a French 422 page. */
export class ImportFormError extends HttpMappedError {
  override name = 'ImportFormError';
  readonly statusCode = 422;
  constructor(readonly publicMessage: string) {
    super(publicMessage);
  }
}

const MAX_ADDRESS_LENGTH = 200;
// eslint-disable-next-line no-control-regex -- an address never contains control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export interface SectorisationAdminOptions {
  readonly context: AppContext;
  readonly geocoder: Geocoder;
}

export function registerSectorisationAdminRoutes(app: ZodApp, options: SectorisationAdminOptions): void {
  const { context, geocoder } = options;
  const { db } = context;
  const { requireAgent } = agentGuards(context);
  const guarded = { preHandler: [requireAgent] };
  const BASE = '/agents/territoires/:territoryId/sectorisation';

  /** The territory, if the principal administers it; else 404. */
  async function territoryOf(principal: AgentPrincipal, territoryId: number): Promise<TerritoryRow> {
    if (!canManageTerritory(principal, territoryId)) throw new NotFoundError();
    const territory = await repository.findTerritory(db, territoryId);
    if (territory === undefined) throw new NotFoundError();
    return territory;
  }

  async function sectorOf(territory: TerritoryRow, sectorId: number): Promise<{ id: number; name: string; humanId: string }> {
    const sector = await repository.findSector(db, territory.id, sectorId);
    if (sector === undefined) throw new NotFoundError();
    return sector;
  }

  /** The principal, the territory they administer and its sector named in the path; else 404. */
  async function sectorOfRequest(request: FastifyRequest, params: { territoryId: number; sectorId: number }): Promise<{ principal: AgentPrincipal; territory: TerritoryRow; sector: { id: number; name: string; humanId: string } }> {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, params.territoryId);
    return { principal, territory, sector: await sectorOf(territory, params.sectorId) };
  }

  /** Post/Redirect/Get: the notice for the next page, then 303 to it. */
  function redirectWithNotice(request: FastifyRequest, reply: FastifyReply, path: string, notice: string | undefined): FastifyReply {
    request.session.set('sectorisationNotice', notice);
    return reply.redirect(path, 303);
  }

  function takeNotice(request: FastifyRequest): string | undefined {
    const notice = request.session.get('sectorisationNotice');
    if (notice !== undefined) request.session.set('sectorisationNotice', undefined);
    return notice;
  }

  async function sectorPage(request: FastifyRequest, principal: AgentPrincipal, territory: TerritoryRow, sectorId: number, extra: Pick<SectorPageProps, 'notice' | 'failed'> = {}) {
    const sector = await sectorOf(territory, sectorId);
    return SectorPage({
      principal,
      territory,
      csrfToken: csrfToken(request),
      sector,
      zones: await repository.listZones(db, sector.id),
      attributions: await repository.listAttributions(db, territory.id, sector.id),
      targets: await repository.listAttributionTargets(db, territory.id),
      ...extra,
    });
  }

  /** The sector's page again with the form that failed, its input and messages (422). */
  async function failedSectorPage(request: FastifyRequest, reply: FastifyReply, principal: AgentPrincipal, territory: TerritoryRow, sectorId: number, failed: NonNullable<SectorPageProps['failed']>): Promise<FastifyReply> {
    return sendPage(reply, await sectorPage(request, principal, territory, sectorId, { failed }), { statusCode: 422, private: true });
  }

  // ---- Sectors ------------------------------------------------------------------------------

  app.get(BASE, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, request.params.territoryId);
    const sectors = await repository.listSectors(db, territory.id);
    const attributions = await repository.listAttributions(db, territory.id);
    return sendPage(reply, SectorsPage({ principal, territory, csrfToken: csrfToken(request), sectors, attributions, notice: takeNotice(request) }), { private: true });
  });

  app.get(`${BASE}/secteurs/nouveau`, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, request.params.territoryId);
    return sendPage(reply, SectorFormPage({ principal, territory, csrfToken: csrfToken(request), mode: { kind: 'create' }, values: {} }), { private: true });
  });

  app.post(`${BASE}/secteurs/nouveau`, { ...guarded, schema: { params: territoryParams, body: sectorBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, request.params.territoryId);
    const checked = checkSectorForm(request.body);
    const result = checked.ok ? await createSector(db, principal, territory.id, checked.value) : checked;
    if (!result.ok) {
      return sendPage(reply, SectorFormPage({ principal, territory, csrfToken: csrfToken(request), mode: { kind: 'create' }, values: request.body, errors: result.errors }), { statusCode: 422, private: true });
    }
    return redirectWithNotice(request, reply, sectorPath(territory.id, result.sectorId), 'Le secteur a été créé. Ajoutez-lui des zones et attribuez-le.');
  });

  app.get(`${BASE}/secteurs/:sectorId`, { ...guarded, schema: { params: sectorParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, request.params.territoryId);
    return sendPage(reply, await sectorPage(request, principal, territory, request.params.sectorId, { notice: takeNotice(request) }), { private: true });
  });

  app.get(`${BASE}/secteurs/:sectorId/modifier`, { ...guarded, schema: { params: sectorParams } }, async (request, reply) => {
    const { principal, territory, sector } = await sectorOfRequest(request, request.params);
    return sendPage(
      reply,
      SectorFormPage({ principal, territory, csrfToken: csrfToken(request), mode: { kind: 'edit', sectorId: sector.id, name: sector.name }, values: { nom: sector.name, identifiant: sector.humanId } }),
      { private: true },
    );
  });

  app.post(`${BASE}/secteurs/:sectorId/modifier`, { ...guarded, schema: { params: sectorParams, body: sectorBody } }, async (request, reply) => {
    const { principal, territory, sector } = await sectorOfRequest(request, request.params);
    const checked = checkSectorForm(request.body);
    const result = checked.ok ? await updateSector(db, principal, territory.id, sector.id, checked.value) : checked;
    if (!result.ok) {
      const mode = { kind: 'edit', sectorId: sector.id, name: sector.name } as const;
      return sendPage(reply, SectorFormPage({ principal, territory, csrfToken: csrfToken(request), mode, values: request.body, errors: result.errors }), { statusCode: 422, private: true });
    }
    return redirectWithNotice(request, reply, sectorPath(territory.id, sector.id), 'Les modifications ont été enregistrées.');
  });

  app.get(`${BASE}/secteurs/:sectorId/supprimer`, { ...guarded, schema: { params: sectorParams } }, async (request, reply) => {
    const { principal, territory, sector } = await sectorOfRequest(request, request.params);
    const zones = (await repository.listZones(db, sector.id)).length;
    const attributions = (await repository.listAttributions(db, territory.id, sector.id)).length;
    return sendPage(reply, SectorDeletePage({ principal, territory, csrfToken: csrfToken(request), sector, zones, attributions }), { private: true });
  });

  app.post(`${BASE}/secteurs/:sectorId/supprimer`, { ...guarded, schema: { params: sectorParams, body: emptyBody } }, async (request, reply) => {
    const { principal, territory, sector } = await sectorOfRequest(request, request.params);
    const removed = await deleteSector(db, principal, territory.id, sector.id);
    return redirectWithNotice(request, reply, sectorisationBase(territory.id), `Le secteur « ${sector.name} » a été supprimé, avec ${String(removed.zones)} zone(s) et ${String(removed.attributions)} attribution(s).`);
  });

  // ---- Zones --------------------------------------------------------------------------------

  app.post(`${BASE}/secteurs/:sectorId/zones/commune`, { ...guarded, schema: { params: sectorParams, body: communeZoneBody } }, async (request, reply) => {
    const { principal, territory, sector } = await sectorOfRequest(request, request.params);
    const checked = checkCommuneZone(request.body, territory.departementNumber, await communeLookup());
    const result = checked.ok ? await addZone(db, principal, territory.id, sector.id, checked.value, 'codeInsee') : checked;
    if (!result.ok) return failedSectorPage(request, reply, principal, territory, sector.id, { form: 'commune', values: request.body, errors: result.errors });
    return redirectWithNotice(request, reply, sectorPath(territory.id, sector.id), checked.ok ? `La commune ${checked.value.cityName} (${checked.value.cityCode}) a été ajoutée au secteur.` : undefined);
  });

  app.post(`${BASE}/secteurs/:sectorId/zones/rue`, { ...guarded, schema: { params: sectorParams, body: streetZoneBody } }, async (request, reply) => {
    const { principal, territory, sector } = await sectorOfRequest(request, request.params);
    const checked = checkStreetZone(request.body, territory.departementNumber, await communeLookup());
    const result = checked.ok ? await addZone(db, principal, territory.id, sector.id, checked.value, 'idVoie') : checked;
    if (!result.ok) return failedSectorPage(request, reply, principal, territory, sector.id, { form: 'rue', values: request.body, errors: result.errors });
    return redirectWithNotice(request, reply, sectorPath(territory.id, sector.id), checked.ok ? `La voie ${checked.value.streetName ?? ''} (${checked.value.cityName}) a été ajoutée au secteur.` : undefined);
  });

  app.post(`${BASE}/secteurs/:sectorId/zones/:zoneId/supprimer`, { ...guarded, schema: { params: zoneParams, body: emptyBody } }, async (request, reply) => {
    const { principal, territory, sector } = await sectorOfRequest(request, request.params);
    await removeZone(db, principal, territory.id, sector.id, request.params.zoneId);
    return redirectWithNotice(request, reply, sectorPath(territory.id, sector.id), 'La zone a été retirée du secteur.');
  });

  // ---- Attributions -------------------------------------------------------------------------

  app.post(`${BASE}/secteurs/:sectorId/attributions`, { ...guarded, schema: { params: sectorParams, body: attributionBody } }, async (request, reply) => {
    const { principal, territory, sector } = await sectorOfRequest(request, request.params);
    const choice = parseAttributionChoice(request.body.cible);
    const result = choice.ok ? await addAttribution(db, principal, territory.id, sector.id, choice.value) : choice;
    if (!result.ok) return failedSectorPage(request, reply, principal, territory, sector.id, { form: 'attribution', values: request.body, errors: result.errors });
    return redirectWithNotice(request, reply, sectorPath(territory.id, sector.id), 'Le secteur a été attribué.');
  });

  app.post(`${BASE}/secteurs/:sectorId/attributions/:attributionId/supprimer`, { ...guarded, schema: { params: attributionParams, body: emptyBody } }, async (request, reply) => {
    const { principal, territory, sector } = await sectorOfRequest(request, request.params);
    await removeAttribution(db, principal, territory.id, sector.id, request.params.attributionId);
    return redirectWithNotice(request, reply, sectorPath(territory.id, sector.id), 'L’attribution a été retirée.');
  });

  // ---- CSV import and export ----------------------------------------------------------------

  const maxMegabytes = MAX_IMPORT_BYTES / 1024 / 1024;

  app.get(`${BASE}/import`, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, request.params.territoryId);
    return sendPage(reply, ImportPage({ principal, territory, csrfToken: csrfToken(request), maxMegabytes }), { private: true });
  });

  // The dry run. A multipart body is read here, not by the root CSRF hook (which sees no parsed
  // body): the route opts out of that hook and checks the `_csrf` field itself, before reading the
  // file (the form puts the token first).
  app.post(`${BASE}/import`, { ...guarded, config: { csrf: false }, schema: { params: territoryParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, request.params.territoryId);
    if (!request.isMultipart()) throw new ImportFormError('Envoyez le fichier des zones depuis le formulaire d’import (un fichier CSV).');
    let token: string | undefined;
    let file: { fileName: string; bytes: Buffer } | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          if (part.fieldname !== CSRF_FIELD_NAME || token !== undefined || typeof part.value !== 'string') throw new ImportFormError('Le formulaire d’import ne contient que le fichier des zones.');
          token = part.value;
          continue;
        }
        if (!isValidCsrfToken(request, token)) throw new CsrfRejectedError();
        if (part.fieldname !== 'fichier' || file !== undefined) throw new ImportFormError('Envoyez un seul fichier, dans le champ « Fichier des zones ».');
        file = { fileName: part.filename, bytes: await part.toBuffer() };
      }
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw new ImportTooLargeError();
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new ImportFormError('Envoyez un seul fichier, dans le champ « Fichier des zones ».');
      throw error;
    }
    if (!isValidCsrfToken(request, token)) throw new CsrfRejectedError();
    const page = { principal, territory, csrfToken: csrfToken(request), maxMegabytes };
    if (file === undefined || file.fileName === '') {
      const errors = [{ file: 'zones.csv', line: 0, field: null, message: 'aucun fichier choisi : choisissez le fichier des zones à vérifier' }];
      return sendPage(reply, ImportPage({ ...page, outcome: { kind: 'errors', fileName: '', errors } }), { statusCode: 422, private: true });
    }
    // eslint-disable-next-line no-control-regex -- a displayed file name keeps printable characters only
    const fileName = file.fileName.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
    const decoded = decodeZonesFile(file.bytes);
    if (!decoded.ok) return sendPage(reply, ImportPage({ ...page, outcome: { kind: 'errors', fileName, errors: [decoded.error] } }), { statusCode: 422, private: true });
    const dryRun = await dryRunZonesImport(db, principal, territory, { fileName, text: decoded.text }, context.now());
    if (!dryRun.ok) return sendPage(reply, ImportPage({ ...page, outcome: { kind: 'errors', fileName, errors: dryRun.errors } }), { statusCode: 422, private: true });
    return sendPage(reply, ImportPage({ ...page, outcome: { kind: 'plan', fileName, importId: dryRun.importId, sha256: dryRun.sha256, plan: dryRun.plan } }), { private: true });
  });

  app.post(`${BASE}/import/:importId/confirmer`, { ...guarded, schema: { params: importParams, body: confirmBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, request.params.territoryId);
    const result = await confirmZonesImport(db, principal, territory, { importId: request.params.importId, sha256: request.body.empreinte }, context.now());
    if (!result.ok) {
      const outcome = { kind: 'errors', fileName: 'zones.csv', errors: result.errors } as const;
      return sendPage(reply, ImportPage({ principal, territory, csrfToken: csrfToken(request), maxMegabytes, outcome }), { statusCode: 422, private: true });
    }
    const { plan } = result;
    return redirectWithNotice(
      request,
      reply,
      sectorisationBase(territory.id),
      plan.create.length + plan.update.length + plan.delete.length === 0
        ? 'Import confirmé : rien n’a changé, les zones étaient déjà celles du fichier.'
        : `Import appliqué : ${String(plan.create.length)} zone(s) créée(s), ${String(plan.update.length)} modifiée(s), ${String(plan.delete.length)} supprimée(s).`,
    );
  });

  app.get(`${BASE}/zones.csv`, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, request.params.territoryId);
    const csv = await exportZones(db, territory.id);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="zones-${territory.departementNumber}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(csv);
  });

  // ---- Address test (GET form: works without JavaScript, nothing written) --------------------

  app.get(`${BASE}/test`, { ...guarded, schema: { params: territoryParams, querystring: addressTestQuery } }, async (request, reply) => {
    const principal = agentOf(request);
    const territory = await territoryOf(principal, request.params.territoryId);
    const page = { principal, territory, csrfToken: csrfToken(request) };
    const typed = request.query.adresse;
    if (typed === undefined) return sendPage(reply, AddressTestPage({ ...page, query: '' }), { private: true });
    const query = typed.trim().replace(/\s+/g, ' ');
    const error =
      query === ''
        ? 'Indiquez une adresse.'
        : query.length > MAX_ADDRESS_LENGTH || CONTROL_CHARACTERS.test(typed.replace(/[\r\n\t]/g, ' '))
          ? `Adresse invalide : ${String(MAX_ADDRESS_LENGTH)} caractères au plus, sur une ligne.`
          : undefined;
    if (error !== undefined) return sendPage(reply, AddressTestPage({ ...page, query: typed.slice(0, MAX_ADDRESS_LENGTH), error }), { statusCode: 422, private: true });
    const result = await testAddress(db, geocoder, territory, query);
    return sendPage(reply, AddressTestPage({ ...page, query, result }), { private: true });
  });
}
