// SQL of the sectorisation administration (ADR 0031). Every query names the territory: a sector,
// zone or attribution of another territory is never found (the routes answer 404).
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { StoredZone } from './domain/zones-import.js';

export type Db = Kysely<Database>;

export interface TerritoryRow {
  id: number;
  name: string;
  departementNumber: string;
}

export async function findTerritory(db: Db, territoryId: number): Promise<TerritoryRow | undefined> {
  const row = await db.selectFrom('territories').select(['id', 'name', 'departement_number']).where('id', '=', territoryId).executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, name: row.name, departementNumber: row.departement_number };
}

export interface AttributionRow {
  id: number;
  sectorId: number;
  level: 'organisation' | 'agent';
  organisationId: number;
  organisationName: string;
  agentId: number | null;
  agentName: string | null;
}

export interface SectorRow {
  id: number;
  name: string;
  humanId: string;
  cityZones: number;
  streetZones: number;
}

/** The territory's sectors with their zone counts, by identifier. */
export async function listSectors(db: Db, territoryId: number): Promise<SectorRow[]> {
  const rows = await db
    .selectFrom('sectors as s')
    .leftJoin('zones as z', 'z.sector_id', 's.id')
    .select(['s.id', 's.name', 's.human_id'])
    .select((eb) => [
      eb.fn.count<string>('z.id').filterWhere('z.level', '=', 'city').as('city_zones'),
      eb.fn.count<string>('z.id').filterWhere('z.level', '=', 'street').as('street_zones'),
    ])
    .where('s.territory_id', '=', territoryId)
    .groupBy(['s.id', 's.name', 's.human_id'])
    .orderBy('s.human_id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, humanId: row.human_id, cityZones: Number(row.city_zones), streetZones: Number(row.street_zones) }));
}

export async function findSector(db: Db, territoryId: number, sectorId: number): Promise<{ id: number; name: string; humanId: string } | undefined> {
  const row = await db.selectFrom('sectors').select(['id', 'name', 'human_id']).where('territory_id', '=', territoryId).where('id', '=', sectorId).executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, name: row.name, humanId: row.human_id };
}

/** Locks the sector row (FOR UPDATE) inside a write, scoped to the territory. */
export async function lockSector(db: Db, territoryId: number, sectorId: number): Promise<boolean> {
  const row = await db.selectFrom('sectors').select('id').where('territory_id', '=', territoryId).where('id', '=', sectorId).forUpdate().executeTakeFirst();
  return row !== undefined;
}

export async function humanIdTaken(db: Db, territoryId: number, humanId: string, exceptSectorId?: number): Promise<boolean> {
  let query = db.selectFrom('sectors').select('id').where('territory_id', '=', territoryId).where('human_id', '=', humanId);
  if (exceptSectorId !== undefined) query = query.where('id', '<>', exceptSectorId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertSector(db: Db, territoryId: number, value: { name: string; humanId: string }): Promise<number> {
  const row = await db.insertInto('sectors').values({ territory_id: territoryId, name: value.name, human_id: value.humanId }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSector(db: Db, territoryId: number, sectorId: number, value: { name: string; humanId: string }): Promise<void> {
  await db.updateTable('sectors').set({ name: value.name, human_id: value.humanId }).where('territory_id', '=', territoryId).where('id', '=', sectorId).execute();
}

/** Deletes the sector; its zones and attributions go with it (ON DELETE CASCADE). Returns their counts. */
export async function deleteSector(db: Db, territoryId: number, sectorId: number): Promise<{ zones: number; attributions: number }> {
  const zones = await db.deleteFrom('zones').where('sector_id', '=', sectorId).executeTakeFirst();
  const attributions = await db.deleteFrom('sector_attributions').where('sector_id', '=', sectorId).executeTakeFirst();
  await db.deleteFrom('sectors').where('territory_id', '=', territoryId).where('id', '=', sectorId).execute();
  return { zones: Number(zones.numDeletedRows), attributions: Number(attributions.numDeletedRows) };
}

export interface ZoneRow extends StoredZone {
  level: 'city' | 'street';
}

/** A sector's zones: communes first, then streets, by INSEE code and name. */
export async function listZones(db: Db, sectorId: number): Promise<ZoneRow[]> {
  const rows = await db
    .selectFrom('zones')
    .select(['id', 'sector_id', 'level', 'city_code', 'city_name', 'street_ban_id', 'street_name'])
    .where('sector_id', '=', sectorId)
    .orderBy('level')
    .orderBy('city_code')
    .orderBy('street_ban_id')
    .execute();
  return rows.map(toZone);
}

function toZone(row: { id: number; sector_id: number; level: 'city' | 'street'; city_code: string; city_name: string; street_ban_id: string | null; street_name: string | null }): ZoneRow {
  return { id: row.id, sectorId: row.sector_id, level: row.level, cityCode: row.city_code, cityName: row.city_name, streetBanId: row.street_ban_id, streetName: row.street_name };
}

/** The zones of the territory (export), or of some of its sectors (import), with their sector's identifier. */
export async function listTerritoryZones(db: Db, territoryId: number, sectorIds?: readonly number[]): Promise<(ZoneRow & { sectorHumanId: string })[]> {
  if (sectorIds !== undefined && sectorIds.length === 0) return [];
  let query = db
    .selectFrom('zones as z')
    .innerJoin('sectors as s', 's.id', 'z.sector_id')
    .select(['z.id', 'z.sector_id', 'z.level', 'z.city_code', 'z.city_name', 'z.street_ban_id', 'z.street_name', 's.human_id'])
    .where('s.territory_id', '=', territoryId);
  if (sectorIds !== undefined) query = query.where('z.sector_id', 'in', sectorIds);
  const rows = await query.execute();
  return rows.map((row) => ({ ...toZone(row), sectorHumanId: row.human_id }));
}

export async function zoneExists(db: Db, sectorId: number, cityCode: string, streetBanId: string | null): Promise<boolean> {
  const row = await db
    .selectFrom('zones')
    .select('id')
    .where('sector_id', '=', sectorId)
    .where('city_code', '=', cityCode)
    .where((eb) => (streetBanId === null ? eb('street_ban_id', 'is', null) : eb('street_ban_id', '=', streetBanId)))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertZone(db: Db, sectorId: number, zone: { level: 'city' | 'street'; cityCode: string; cityName: string; streetBanId: string | null; streetName: string | null }): Promise<number> {
  const row = await db
    .insertInto('zones')
    .values({ sector_id: sectorId, level: zone.level, city_code: zone.cityCode, city_name: zone.cityName, street_ban_id: zone.streetBanId, street_name: zone.streetName })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Deletes a row (a zone, an attribution) of a sector of the territory; false when there is none. */
async function deleteOfSector(db: Db, table: 'zones' | 'sector_attributions', territoryId: number, sectorId: number, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom(table)
    .where('id', '=', id)
    .where('sector_id', '=', sectorId)
    .where('sector_id', 'in', (eb) => eb.selectFrom('sectors').select('id').where('territory_id', '=', territoryId))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes a zone of a sector of the territory; false when there is none. */
export async function deleteZone(db: Db, territoryId: number, sectorId: number, zoneId: number): Promise<boolean> {
  return deleteOfSector(db, 'zones', territoryId, sectorId, zoneId);
}

/** Attributions of the territory's sectors (or of one), with the names of their targets. */
export async function listAttributions(db: Db, territoryId: number, sectorId?: number): Promise<AttributionRow[]> {
  let query = db
    .selectFrom('sector_attributions as sa')
    .innerJoin('sectors as s', 's.id', 'sa.sector_id')
    .innerJoin('organisations as o', 'o.id', 'sa.organisation_id')
    .leftJoin('agents as a', 'a.id', 'sa.agent_id')
    .select(['sa.id', 'sa.sector_id', 'sa.level', 'sa.organisation_id', 'o.name as organisation_name', 'sa.agent_id', 'a.first_name', 'a.last_name'])
    .where('s.territory_id', '=', territoryId);
  if (sectorId !== undefined) query = query.where('sa.sector_id', '=', sectorId);
  const rows = await query.orderBy('o.name').orderBy('a.last_name').orderBy('a.first_name').orderBy('sa.id').execute();
  return rows.map((row) => ({
    id: row.id,
    sectorId: row.sector_id,
    level: row.level,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    agentId: row.agent_id,
    agentName: row.first_name === null || row.last_name === null ? null : `${row.first_name} ${row.last_name}`,
  }));
}

export interface AttributionTargets {
  organisations: { id: number; name: string }[];
  /** Agents holding a role in an organisation of the territory (not removed), per organisation. */
  agents: { organisationId: number; agentId: number; name: string }[];
}

export async function listAttributionTargets(db: Db, territoryId: number): Promise<AttributionTargets> {
  const organisations = await db.selectFrom('organisations').select(['id', 'name']).where('territory_id', '=', territoryId).orderBy('name').orderBy('id').execute();
  const agents = await db
    .selectFrom('agent_roles as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .innerJoin('agents as a', 'a.id', 'r.agent_id')
    .select(['r.organisation_id', 'a.id', 'a.first_name', 'a.last_name'])
    .where('o.territory_id', '=', territoryId)
    .where('a.deleted_at', 'is', null)
    .orderBy('o.name')
    .orderBy('a.last_name')
    .orderBy('a.first_name')
    .orderBy('a.id')
    .execute();
  return { organisations, agents: agents.map((row) => ({ organisationId: row.organisation_id, agentId: row.id, name: `${row.first_name} ${row.last_name}` })) };
}

export async function attributionExists(db: Db, sectorId: number, organisationId: number, agentId: number | null): Promise<boolean> {
  const row = await db
    .selectFrom('sector_attributions')
    .select('id')
    .where('sector_id', '=', sectorId)
    .where('organisation_id', '=', organisationId)
    .where((eb) => (agentId === null ? eb('agent_id', 'is', null) : eb('agent_id', '=', agentId)))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertAttribution(db: Db, sectorId: number, organisationId: number, agentId: number | null): Promise<number> {
  const row = await db
    .insertInto('sector_attributions')
    .values({ sector_id: sectorId, organisation_id: organisationId, agent_id: agentId, level: agentId === null ? 'organisation' : 'agent' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Deletes an attribution of a sector of the territory; false when there is none. */
export async function deleteAttribution(db: Db, territoryId: number, sectorId: number, attributionId: number): Promise<boolean> {
  return deleteOfSector(db, 'sector_attributions', territoryId, sectorId, attributionId);
}

// ---- Imports kept between the dry run and the confirmation ----------------------------------

export async function insertImport(db: Db, row: { id: string; territoryId: number; agentId: number; fileName: string; content: string; sha256: string; now: Date; expiresAt: Date }): Promise<void> {
  await db
    .insertInto('sectorisation_imports')
    .values({ id: row.id, territory_id: row.territoryId, agent_id: row.agentId, file_name: row.fileName, content: row.content, content_sha256: row.sha256, created_at: row.now, expires_at: row.expiresAt })
    .execute();
}

export async function deleteExpiredImports(db: Db, territoryId: number, now: Date): Promise<void> {
  await db.deleteFrom('sectorisation_imports').where('territory_id', '=', territoryId).where('expires_at', '<=', now).execute();
}

export type ImportClaim = { kind: 'claimed'; content: string; sha256: string; fileName: string } | { kind: 'applied' } | { kind: 'expired' } | { kind: 'unknown' };

/**
 * Marks the import applied and returns its content, in the caller's transaction. The UPDATE
 * locks the row: a second confirmation waits for the first to commit, then finds it applied.
 */
export async function claimImport(db: Db, key: { id: string; territoryId: number; agentId: number; now: Date }): Promise<ImportClaim> {
  const claimed = await db
    .updateTable('sectorisation_imports')
    .set({ applied_at: key.now })
    .where('id', '=', key.id)
    .where('territory_id', '=', key.territoryId)
    .where('agent_id', '=', key.agentId)
    .where('applied_at', 'is', null)
    .where('expires_at', '>', key.now)
    .returning(['content', 'content_sha256', 'file_name'])
    .executeTakeFirst();
  if (claimed !== undefined) return { kind: 'claimed', content: claimed.content, sha256: claimed.content_sha256, fileName: claimed.file_name };
  const row = await db
    .selectFrom('sectorisation_imports')
    .select(['applied_at'])
    .where('id', '=', key.id)
    .where('territory_id', '=', key.territoryId)
    .where('agent_id', '=', key.agentId)
    .executeTakeFirst();
  if (row === undefined) return { kind: 'unknown' };
  return row.applied_at === null ? { kind: 'expired' } : { kind: 'applied' };
}

/** Applies a plan's writes (batches of 1 000 rows). */
export async function writeZoneChanges(
  db: Db,
  changes: {
    deleteIds: readonly number[];
    create: readonly { sectorId: number; level: 'city' | 'street'; cityCode: string; cityName: string; streetBanId: string | null; streetName: string | null }[];
    update: readonly { id: number; cityName: string; streetName: string | null }[];
  },
): Promise<void> {
  for (let index = 0; index < changes.deleteIds.length; index += 1000) {
    await db.deleteFrom('zones').where('id', 'in', changes.deleteIds.slice(index, index + 1000)).execute();
  }
  for (let index = 0; index < changes.create.length; index += 1000) {
    await db
      .insertInto('zones')
      .values(changes.create.slice(index, index + 1000).map((zone) => ({ sector_id: zone.sectorId, level: zone.level, city_code: zone.cityCode, city_name: zone.cityName, street_ban_id: zone.streetBanId, street_name: zone.streetName })))
      .execute();
  }
  for (const zone of changes.update) {
    await db.updateTable('zones').set({ city_name: zone.cityName, street_name: zone.streetName }).where('id', '=', zone.id).execute();
  }
}

// ---- The sectorisation test page ------------------------------------------------------------

export interface MatchedSectorRow {
  id: number;
  name: string;
  humanId: string;
  zoneLevel: 'city' | 'street';
}

/** Sectors of the territory with a zone matching the commune (city) or the street (street). */
export async function findMatchedSectors(db: Db, territoryId: number, match: { cityCode: string; streetBanId: string | null }): Promise<MatchedSectorRow[]> {
  const rows = await db
    .selectFrom('zones as z')
    .innerJoin('sectors as s', 's.id', 'z.sector_id')
    .select(['s.id', 's.name', 's.human_id', 'z.level'])
    .where('s.territory_id', '=', territoryId)
    .where((eb) =>
      eb.or([
        eb.and([eb('z.level', '=', 'city'), eb('z.city_code', '=', match.cityCode)]),
        ...(match.streetBanId === null ? [] : [eb.and([eb('z.level', '=', 'street'), eb('z.street_ban_id', '=', match.streetBanId)])]),
      ]),
    )
    .orderBy('s.human_id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, humanId: row.human_id, zoneLevel: row.level }));
}

export async function namesOfOrganisations(db: Db, territoryId: number, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('territory_id', '=', territoryId).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function namesOfAgents(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('agents').select(['id', 'first_name', 'last_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, `${row.first_name} ${row.last_name}`]));
}

/** Locks the sectors (FOR UPDATE, in id order): concurrent imports of the same sectors run one after the other. */
export async function lockSectors(db: Db, territoryId: number, sectorIds: readonly number[]): Promise<void> {
  if (sectorIds.length === 0) return;
  await db.selectFrom('sectors').select('id').where('territory_id', '=', territoryId).where('id', 'in', sectorIds).orderBy('id').forUpdate().execute();
}

/** Deletes every kept file past its expiry (the nightly purge); returns how many. */
export async function purgeExpiredImports(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sectorisation_imports').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
