// Use cases of the sectorisation administration (ADR 0031): each change in one transaction with
// its audit entry; the CSV import validated entirely (dry run, nothing written but the kept file),
// then applied on confirmation, in one transaction that also marks the kept file applied.
import { createHash, randomBytes } from 'node:crypto';
import type { AgentPrincipal } from '../agents/index.js';
import { insertAuditEntry, type AuditEntry } from '../../platform/audit/audit-log.js';
import { HttpMappedError, NotFoundError } from '../../platform/http/errors.js';
import type { Geocoder, GeocodingResult } from '../geocoding/index.js';
import { GeocoderUnavailableError } from '../geocoding/index.js';
import { loadCatalogue, resolveScope } from '../public-booking/index.js';
import { findSectorisedTargets, type MatchedLevel } from '../sectorisation/index.js';
import { BUNDLE_FILES, serialiseZones, validateZonesFile, type BundleError } from '../territory-bundles/index.js';
import { communeLookup } from './communes.js';
import { neutraliseFormula } from './domain/csv-cells.js';
import type { AttributionChoice, SectorValue, ZoneValue } from './domain/sectorisation-forms.js';
import { isEmptyPlan, planZonesImport, type ZonesImportPlan } from './domain/zones-import.js';
import * as repository from './sectorisation-admin.repository.js';
import type { Db, TerritoryRow } from './sectorisation-admin.repository.js';

/** Largest zones file accepted (the multipart limit and the stored copy). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** How long a dry run may be confirmed. */
export const IMPORT_VALIDITY_MS = 60 * 60_000;

/** A confirmation that cannot be applied (already applied, expired, not the file shown): 409. */
export class ImportConfirmationError extends HttpMappedError {
  override name = 'ImportConfirmationError';
  readonly statusCode = 409;
  constructor(readonly publicMessage: string) {
    super(publicMessage);
  }
}

type Refusal = { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

function actorOf(principal: AgentPrincipal): AuditEntry['actor'] {
  return { type: 'agent', agentId: principal.agentId };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

const HUMAN_ID_TAKEN = 'Un autre secteur du territoire porte déjà cet identifiant.';

// ---- Sectors --------------------------------------------------------------------------------

export async function createSector(db: Db, principal: AgentPrincipal, territoryId: number, value: SectorValue): Promise<{ ok: true; sectorId: number } | Refusal> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (await repository.humanIdTaken(trx, territoryId, value.humanId)) return { ok: false, errors: { identifiant: HUMAN_ID_TAKEN } } as const;
      const sectorId = await repository.insertSector(trx, territoryId, value);
      await insertAuditEntry(trx, { actor: actorOf(principal), action: 'create', subjectType: 'sector', subjectId: sectorId, territoryId, details: { humanId: value.humanId } });
      return { ok: true, sectorId } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { identifiant: HUMAN_ID_TAKEN } };
    throw error;
  }
}

export async function updateSector(db: Db, principal: AgentPrincipal, territoryId: number, sectorId: number, value: SectorValue): Promise<{ ok: true } | Refusal> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await repository.lockSector(trx, territoryId, sectorId))) throw new NotFoundError();
      if (await repository.humanIdTaken(trx, territoryId, value.humanId, sectorId)) return { ok: false, errors: { identifiant: HUMAN_ID_TAKEN } } as const;
      await repository.updateSector(trx, territoryId, sectorId, value);
      await insertAuditEntry(trx, { actor: actorOf(principal), action: 'update', subjectType: 'sector', subjectId: sectorId, territoryId, details: { humanId: value.humanId } });
      return { ok: true } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { identifiant: HUMAN_ID_TAKEN } };
    throw error;
  }
}

/** Deletes the sector with its zones and attributions; 404 when it is not the territory's. */
export async function deleteSector(db: Db, principal: AgentPrincipal, territoryId: number, sectorId: number): Promise<{ zones: number; attributions: number }> {
  return db.transaction().execute(async (trx) => {
    if (!(await repository.lockSector(trx, territoryId, sectorId))) throw new NotFoundError();
    const removed = await repository.deleteSector(trx, territoryId, sectorId);
    await insertAuditEntry(trx, { actor: actorOf(principal), action: 'delete', subjectType: 'sector', subjectId: sectorId, territoryId, details: removed });
    return removed;
  });
}

// ---- Zones ----------------------------------------------------------------------------------

const ZONE_EXISTS = 'Cette zone fait déjà partie du secteur.';

export async function addZone(db: Db, principal: AgentPrincipal, territoryId: number, sectorId: number, zone: ZoneValue, field: string): Promise<{ ok: true } | Refusal> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await repository.lockSector(trx, territoryId, sectorId))) throw new NotFoundError();
      if (await repository.zoneExists(trx, sectorId, zone.cityCode, zone.streetBanId)) return { ok: false, errors: { [field]: ZONE_EXISTS } } as const;
      const zoneId = await repository.insertZone(trx, sectorId, zone);
      await insertAuditEntry(trx, { actor: actorOf(principal), action: 'create', subjectType: 'zone', subjectId: zoneId, territoryId, details: { sectorId, level: zone.level, cityCode: zone.cityCode, streetBanId: zone.streetBanId } });
      return { ok: true } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { [field]: ZONE_EXISTS } };
    throw error;
  }
}

export async function removeZone(db: Db, principal: AgentPrincipal, territoryId: number, sectorId: number, zoneId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await repository.deleteZone(trx, territoryId, sectorId, zoneId))) throw new NotFoundError();
    await insertAuditEntry(trx, { actor: actorOf(principal), action: 'delete', subjectType: 'zone', subjectId: zoneId, territoryId, details: { sectorId } });
  });
}

// ---- Attributions ---------------------------------------------------------------------------

/** Attributes the sector to an organisation of the territory or to an agent of it; a target outside the territory is a 404. */
export async function addAttribution(db: Db, principal: AgentPrincipal, territoryId: number, sectorId: number, choice: AttributionChoice): Promise<{ ok: true } | Refusal> {
  const agentId = choice.level === 'agent' ? choice.agentId : null;
  return db.transaction().execute(async (trx) => {
    if (!(await repository.lockSector(trx, territoryId, sectorId))) throw new NotFoundError();
    const targets = await repository.listAttributionTargets(trx, territoryId);
    const known =
      choice.level === 'organisation'
        ? targets.organisations.some((organisation) => organisation.id === choice.organisationId)
        : targets.agents.some((agent) => agent.organisationId === choice.organisationId && agent.agentId === choice.agentId);
    if (!known) throw new NotFoundError();
    if (await repository.attributionExists(trx, sectorId, choice.organisationId, agentId)) return { ok: false, errors: { cible: 'Le secteur est déjà attribué ainsi.' } } as const;
    const attributionId = await repository.insertAttribution(trx, sectorId, choice.organisationId, agentId);
    await insertAuditEntry(trx, { actor: actorOf(principal), action: 'create', subjectType: 'sector_attribution', subjectId: attributionId, territoryId, details: { sectorId, organisationId: choice.organisationId, agentId } });
    return { ok: true } as const;
  });
}

export async function removeAttribution(db: Db, principal: AgentPrincipal, territoryId: number, sectorId: number, attributionId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await repository.deleteAttribution(trx, territoryId, sectorId, attributionId))) throw new NotFoundError();
    await insertAuditEntry(trx, { actor: actorOf(principal), action: 'delete', subjectType: 'sector_attribution', subjectId: attributionId, territoryId, details: { sectorId } });
  });
}

// ---- CSV import -----------------------------------------------------------------------------

/** The uploaded bytes as text: UTF-8 only (a BOM is fine), never NUL. */
export function decodeZonesFile(bytes: Buffer): { ok: true; text: string } | { ok: false; error: BundleError } {
  const fail = (message: string) => ({ ok: false, error: { file: BUNDLE_FILES.zones, line: 0, field: null, message } }) as const;
  if (bytes.length === 0) return fail('le fichier est vide : choisissez le fichier zones.csv à importer');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('le fichier n’est pas en UTF-8 : dans le tableur, enregistrez-le au format « CSV UTF-8 »');
  }
  if (text.includes('\u0000')) return fail('le fichier contient des caractères nuls : ce n’est pas un fichier CSV');
  return { ok: true, text };
}

async function planFor(db: Db, territory: TerritoryRow, text: string): Promise<{ ok: true; plan: ZonesImportPlan } | { ok: false; errors: readonly BundleError[] }> {
  const validated = validateZonesFile(text, territory.departementNumber);
  if (!validated.ok) return validated;
  const sectors = await repository.listSectors(db, territory.id);
  const sectorIds = new Map(sectors.map((sector) => [sector.humanId, sector.id]));
  const named = [...new Set(validated.zones.map((zone) => sectorIds.get(zone.sector)).filter((id): id is number => id !== undefined))];
  const stored = await repository.listTerritoryZones(db, territory.id, named);
  return planZonesImport({ file: BUNDLE_FILES.zones, zones: validated.zones, sectors: sectorIds, stored, communes: await communeLookup() });
}

export function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export type DryRun = { ok: true; importId: string; sha256: string; plan: ZonesImportPlan; fileName: string } | { ok: false; errors: readonly BundleError[]; fileName: string };

/**
 * The dry run: the whole file checked, the plan computed, nothing of the sectorisation written.
 * A valid file is kept (random id, SHA-256) for its confirmation, for an hour.
 */
export async function dryRunZonesImport(db: Db, principal: AgentPrincipal, territory: TerritoryRow, upload: { fileName: string; text: string }, now: Date): Promise<DryRun> {
  const fileName = upload.fileName.slice(0, 200);
  const planned = await planFor(db, territory, upload.text);
  if (!planned.ok) return { ok: false, errors: planned.errors, fileName };
  const importId = randomBytes(16).toString('hex');
  const sha256 = sha256Of(upload.text);
  await db.transaction().execute(async (trx) => {
    await repository.deleteExpiredImports(trx, territory.id, now);
    await repository.insertImport(trx, { id: importId, territoryId: territory.id, agentId: principal.agentId, fileName, content: upload.text, sha256, now, expiresAt: new Date(now.getTime() + IMPORT_VALIDITY_MS) });
  });
  return { ok: true, importId, sha256, plan: planned.plan, fileName };
}

/** The kept file no longer validates against the database (a sector was deleted meanwhile…): nothing written. */
class StaleImport extends Error {
  constructor(readonly errors: readonly BundleError[]) {
    super('stale import');
  }
}

export type Confirmation = { ok: true; plan: ZonesImportPlan } | { ok: false; errors: readonly BundleError[] };

/**
 * Applies the kept file named by its id, if the SHA-256 the page showed is still its content's,
 * in ONE transaction: the row marked applied, the sectors locked, the plan computed again and
 * written, one audit entry when something changed. Replayed → 409, another agent's or another
 * territory's id → 404, a forged digest → 409; every refusal rolls back.
 */
export async function confirmZonesImport(db: Db, principal: AgentPrincipal, territory: TerritoryRow, confirmation: { importId: string; sha256: string }, now: Date): Promise<Confirmation> {
  try {
    const plan = await db.transaction().execute(async (trx) => {
      const claim = await repository.claimImport(trx, { id: confirmation.importId, territoryId: territory.id, agentId: principal.agentId, now });
      if (claim.kind === 'unknown') throw new NotFoundError();
      if (claim.kind === 'applied') throw new ImportConfirmationError('Cet import a déjà été appliqué : il ne peut pas l’être une seconde fois. Consultez les secteurs, ou importez de nouveau le fichier.');
      if (claim.kind === 'expired') throw new ImportConfirmationError('Cette simulation a expiré (une heure). Importez de nouveau le fichier pour le vérifier.');
      if (claim.sha256 !== confirmation.sha256 || sha256Of(claim.content) !== claim.sha256) {
        throw new ImportConfirmationError('La confirmation ne correspond pas au fichier vérifié. Importez de nouveau le fichier.');
      }
      const sectors = await repository.listSectors(trx, territory.id);
      await repository.lockSectors(trx, territory.id, sectors.map((sector) => sector.id));
      const planned = await planFor(trx, territory, claim.content);
      if (!planned.ok) throw new StaleImport(planned.errors);
      const { plan } = planned;
      if (!isEmptyPlan(plan)) {
        await repository.writeZoneChanges(trx, {
          deleteIds: plan.delete.map((zone) => zone.id),
          create: plan.create,
          update: plan.update.map((zone) => ({ id: zone.id, cityName: zone.cityName, streetName: zone.streetName })),
        });
        await insertAuditEntry(trx, {
          actor: actorOf(principal),
          action: 'update',
          subjectType: 'territory',
          subjectId: territory.id,
          territoryId: territory.id,
          details: { change: 'zones_import', importId: confirmation.importId, sectors: plan.sectors.length, created: plan.create.length, updated: plan.update.length, deleted: plan.delete.length },
        });
      }
      return plan;
    });
    return { ok: true, plan };
  } catch (error) {
    if (error instanceof StaleImport) return { ok: false, errors: error.errors };
    if (isUniqueViolation(error)) throw new ImportConfirmationError('Les zones ont été modifiées en même temps par quelqu’un d’autre. Importez de nouveau le fichier.');
    throw error;
  }
}

// ---- Export ---------------------------------------------------------------------------------

/** The territory's zones in the bundle's `zones.csv` format, formula-looking names neutralised. */
export async function exportZones(db: Db, territoryId: number): Promise<string> {
  const zones = await repository.listTerritoryZones(db, territoryId);
  return serialiseZones(
    zones.map((zone) => ({ line: 0, sector: zone.sectorHumanId, cityCode: zone.cityCode, cityName: zone.cityName, streetBanId: zone.streetBanId, streetName: zone.streetName })),
    neutraliseFormula,
  );
}

// ---- Test page ------------------------------------------------------------------------------

export interface AddressTest {
  readonly address: GeocodingResult;
  /** False when the address is in another département: nothing of this territory applies. */
  readonly inTerritory: boolean;
  readonly matchedLevel: MatchedLevel;
  readonly sectors: readonly { id: number; name: string; humanId: string; zoneLevel: 'city' | 'street' }[];
  readonly organisations: readonly { id: number; name: string }[];
  readonly agents: readonly { id: number; name: string; organisationName: string }[];
  readonly motifs: readonly { id: number; name: string; serviceName: string; organisationName: string; sectorisationLevel: string; locationType: string }[];
}

export type AddressTestResult = { kind: 'found'; test: AddressTest } | { kind: 'not_found' } | { kind: 'unavailable' };

/**
 * What the public funnel would do for an address: the geocoder's best result, the sectors its
 * street or commune falls in, the organisations and agents they attribute (sectorisation module),
 * and the motifs the public may book there (public booking's scope and catalogue).
 */
export async function testAddress(db: Db, geocoder: Geocoder, territory: TerritoryRow, query: string): Promise<AddressTestResult> {
  let results: GeocodingResult[];
  try {
    results = await geocoder.search(query, { limit: 1 });
  } catch (error) {
    if (error instanceof GeocoderUnavailableError) return { kind: 'unavailable' };
    throw error;
  }
  const address = results[0];
  if (address === undefined) return { kind: 'not_found' };
  const inTerritory = address.departementNumber === territory.departementNumber;
  if (!inTerritory) return { kind: 'found', test: { address, inTerritory, matchedLevel: 'none', sectors: [], organisations: [], agents: [], motifs: [] } };
  const streetBanId = address.banId === undefined || address.banId === '' ? null : address.banId;
  const targets = await findSectorisedTargets(db, { departementNumber: address.departementNumber, cityCode: address.cityCode, streetBanId: streetBanId ?? undefined });
  const matched = await repository.findMatchedSectors(db, territory.id, { cityCode: address.cityCode, streetBanId });
  const sectors = matched.filter((sector) => sector.zoneLevel === targets.matchedLevel);
  const scope = await resolveScope(db, { label: address.label, departementNumber: address.departementNumber, cityCode: address.cityCode, streetBanId, latitude: address.latitude, longitude: address.longitude });
  const catalogue = scope === null ? { motifs: [] } : await loadCatalogue(db, scope);
  const organisationIds = [...new Set([...targets.organisationIds, ...targets.agentAttributions.map((a) => a.organisationId), ...catalogue.motifs.map((m) => m.organisationId)])];
  const organisationNames = await repository.namesOfOrganisations(db, territory.id, organisationIds);
  const agentNames = await repository.namesOfAgents(db, targets.agentIds);
  return {
    kind: 'found',
    test: {
      address,
      inTerritory,
      matchedLevel: targets.matchedLevel,
      sectors,
      organisations: targets.organisationIds.map((id) => ({ id, name: organisationNames.get(id) ?? `n° ${String(id)}` })),
      agents: targets.agentAttributions.map((attribution) => ({
        id: attribution.agentId,
        name: agentNames.get(attribution.agentId) ?? `n° ${String(attribution.agentId)}`,
        organisationName: organisationNames.get(attribution.organisationId) ?? '',
      })),
      motifs: catalogue.motifs.map((motif) => ({
        id: motif.id,
        name: motif.name,
        serviceName: motif.serviceName,
        organisationName: organisationNames.get(motif.organisationId) ?? '',
        sectorisationLevel: motif.sectorisationLevel,
        locationType: motif.locationType,
      })),
    },
  };
}
