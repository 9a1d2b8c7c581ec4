/**
 * SQL of the bundle import: reads of what already exists (by natural keys) and batched writes.
 * Every function runs in the caller's transaction.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export type Db = Kysely<Database>;

/** Rows per INSERT (and per IN list): bounded statements and bounded memory per round trip. */
export const BATCH_SIZE = 1000;

export async function inBatches<T>(items: readonly T[], run: (batch: T[]) => Promise<void>, size = BATCH_SIZE): Promise<void> {
  for (let start = 0; start < items.length; start += size) await run(items.slice(start, start + size));
}

export async function findTerritory(db: Db, departementNumber: string) {
  return db.selectFrom('territories').select(['id', 'name', 'holiday_region']).where('departement_number', '=', departementNumber).executeTakeFirst();
}

export async function listServices(db: Db) {
  return db.selectFrom('services').select(['id', 'name', 'short_name', 'is_secretariat']).execute();
}

export async function listTerritoryServiceIds(db: Db, territoryId: number): Promise<number[]> {
  const rows = await db.selectFrom('territory_services').select('service_id').where('territory_id', '=', territoryId).execute();
  return rows.map((row) => row.service_id);
}

/** Motif categories enabled in the territory (`territory_motif_categories`, ADR 0030). */
export async function listTerritoryCategoryIds(db: Db, territoryId: number): Promise<number[]> {
  const rows = await db.selectFrom('territory_motif_categories').select('motif_category_id').where('territory_id', '=', territoryId).execute();
  return rows.map((row) => row.motif_category_id);
}

export async function listMotifCategories(db: Db) {
  return db.selectFrom('motif_categories').select(['id', 'name', 'short_name']).execute();
}

const organisationColumns = ['id', 'territory_id', 'slug', 'name', 'external_id', 'time_zone', 'phone_number', 'email', 'website', 'open_on_holidays'] as const;

/** Organisations with one of these slugs (any territory) or of the territory. */
export async function findOrganisations(db: Db, slugs: readonly string[], territoryId: number | null) {
  if (slugs.length === 0 && territoryId === null) return [];
  return db
    .selectFrom('organisations')
    .select(organisationColumns)
    .where((eb) => eb.or([...(slugs.length > 0 ? [eb('slug', 'in', slugs)] : []), ...(territoryId === null ? [] : [eb('territory_id', '=', territoryId)])]))
    .execute();
}

export async function listPlaces(db: Db, organisationIds: readonly number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('places')
    .select(['id', 'organisation_id', 'name', 'address', 'latitude', 'longitude', 'time_zone', 'phone_number', 'status'])
    .where('organisation_id', 'in', organisationIds)
    .where('status', '<>', 'single_use')
    .execute();
}

export async function listActiveMotifs(db: Db, organisationIds: readonly number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('appointment_types')
    .selectAll()
    .where('organisation_id', 'in', organisationIds)
    .where('archived_at', 'is', null)
    .execute();
}

export async function listTeams(db: Db, territoryId: number) {
  return db.selectFrom('teams').select(['id', 'name']).where('territory_id', '=', territoryId).execute();
}

const agentColumns = ['id', 'email', 'first_name', 'last_name', 'deleted_at'] as const;

/** Agents whose lower-cased e-mail is in the list. */
export async function findAgentsByEmail(db: Db, emails: readonly string[]) {
  const rows: { id: number; email: string | null; first_name: string; last_name: string; deleted_at: Date | null }[] = [];
  await inBatches(emails, async (batch) => {
    rows.push(...(await db.selectFrom('agents').select(agentColumns).where(sql<string>`lower(email)`, 'in', batch).execute()));
  });
  return rows;
}

/** Intervenants (no e-mail) holding a role in one of these organisations. */
export async function listIntervenants(db: Db, organisationIds: readonly number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .selectFrom('agents as a')
    .select(['a.id', 'a.email', 'a.first_name', 'a.last_name', 'a.deleted_at'])
    .where('a.email', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('agent_roles as r').select('r.agent_id').whereRef('r.agent_id', '=', 'a.id').where('r.organisation_id', 'in', organisationIds)))
    .execute();
}

export async function listAgentRoles(db: Db, agentIds: readonly number[], organisationIds: readonly number[]) {
  if (agentIds.length === 0 || organisationIds.length === 0) return [];
  return db
    .selectFrom('agent_roles')
    .select(['agent_id', 'organisation_id', 'access_level'])
    .where('agent_id', 'in', agentIds)
    .where('organisation_id', 'in', organisationIds)
    .execute();
}

export async function listAgentServices(db: Db, agentIds: readonly number[]) {
  if (agentIds.length === 0) return [];
  return db.selectFrom('agent_services').select(['agent_id', 'service_id']).where('agent_id', 'in', agentIds).execute();
}

export async function listAgentTeams(db: Db, agentIds: readonly number[], teamIds: readonly number[]) {
  if (agentIds.length === 0 || teamIds.length === 0) return [];
  return db.selectFrom('agent_teams').select(['agent_id', 'team_id']).where('agent_id', 'in', agentIds).where('team_id', 'in', teamIds).execute();
}

export async function listTerritorialAdmins(db: Db, territoryId: number): Promise<number[]> {
  const rows = await db.selectFrom('agent_territorial_roles').select('agent_id').where('territory_id', '=', territoryId).execute();
  return rows.map((row) => row.agent_id);
}

export interface StoredOpeningPeriod {
  id: number;
  organisation_id: number;
  agent_id: number;
  place_id: number | null;
  title: string;
  first_day: string;
  last_day: string | null;
  start_time: string;
  end_time: string;
  recurrence: string | null;
  excluded_dates: string[];
  motif_ids: number[];
}

/** Opening periods of these organisations, with their motifs; days and times as text. */
export async function listOpeningPeriods(db: Db, organisationIds: readonly number[]): Promise<StoredOpeningPeriod[]> {
  if (organisationIds.length === 0) return [];
  const result = await sql<StoredOpeningPeriod>`
    SELECT op.id, op.organisation_id, op.agent_id, op.place_id, op.title,
           op.first_day::text AS first_day, op.last_day::text AS last_day,
           to_char(op.start_time, 'HH24:MI') AS start_time, to_char(op.end_time, 'HH24:MI') AS end_time,
           op.recurrence, op.excluded_dates::text[] AS excluded_dates,
           coalesce(array(SELECT opat.appointment_type_id FROM opening_period_appointment_types opat
                          WHERE opat.opening_period_id = op.id ORDER BY 1), '{}') AS motif_ids
    FROM opening_periods op
    WHERE op.organisation_id IN (${sql.join(organisationIds)})
    ORDER BY op.id`.execute(db);
  return result.rows;
}

export async function listSectors(db: Db, territoryId: number) {
  return db.selectFrom('sectors').select(['id', 'human_id', 'name']).where('territory_id', '=', territoryId).execute();
}

export async function listZones(db: Db, sectorIds: readonly number[]) {
  if (sectorIds.length === 0) return [];
  return db
    .selectFrom('zones')
    .select(['id', 'sector_id', 'level', 'city_code', 'city_name', 'street_ban_id', 'street_name'])
    .where('sector_id', 'in', sectorIds)
    .execute();
}

export async function listAttributions(db: Db, sectorIds: readonly number[]) {
  if (sectorIds.length === 0) return [];
  return db.selectFrom('sector_attributions').select(['id', 'sector_id', 'organisation_id', 'agent_id']).where('sector_id', 'in', sectorIds).execute();
}

// ---- Zones through a temporary table (ADR 0025, amendment of 2026-12-02) ----------------------
// The bundle's zones are loaded in batches into `bundle_zones`, visible only to this transaction's
// session and dropped at its end (ON COMMIT DROP; a rollback drops it too). Repeated zones are
// found, and the zones of the territory synchronised, in SQL: memory stays bounded by the batch.

export interface BundleZoneRow {
  line: number;
  sector: string;
  cityCode: string;
  cityName: string;
  streetBanId: string | null;
  streetName: string | null;
}

export async function createBundleZonesTable(db: Db): Promise<void> {
  await sql`
    CREATE TEMPORARY TABLE bundle_zones (
      line          integer NOT NULL,
      sector        text NOT NULL,
      sector_id     bigint,
      city_code     text NOT NULL,
      city_name     text NOT NULL,
      street_ban_id text,
      -- The street as a key: '' for a commune zone (zones are unique NULLS NOT DISTINCT).
      street_key    text NOT NULL,
      street_name   text
    ) ON COMMIT DROP`.execute(db);
}

/** One batch (at most BATCH_SIZE rows: 7 parameters each). */
export async function insertBundleZones(db: Db, rows: readonly BundleZoneRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO bundle_zones (line, sector, city_code, city_name, street_ban_id, street_key, street_name)
    VALUES ${sql.join(rows.map((row) => sql`(${row.line}, ${row.sector}, ${row.cityCode}, ${row.cityName}, ${row.streetBanId}, ${row.streetBanId ?? ''}, ${row.streetName})`))}`.execute(db);
}

/** Lines that repeat an earlier zone (same sector, commune and street), with that earlier line; the first `limit`, and how many in all. */
export async function findRepeatedBundleZones(db: Db, limit: number): Promise<{ repeated: { line: number; first_line: number }[]; total: number }> {
  await sql`ANALYZE bundle_zones`.execute(db);
  const repeated = await sql<{ line: number; first_line: number }>`
    WITH ranked AS (
      SELECT line, min(line) OVER (PARTITION BY sector, city_code, street_key) AS first_line FROM bundle_zones
    )
    SELECT line, first_line FROM ranked WHERE line > first_line ORDER BY line LIMIT ${limit}`.execute(db);
  if (repeated.rows.length < limit) return { repeated: repeated.rows, total: repeated.rows.length };
  const total = await sql<{ total: number }>`
    SELECT (count(*) - count(DISTINCT (sector, city_code, street_key)))::integer AS total FROM bundle_zones`.execute(db);
  return { repeated: repeated.rows, total: total.rows[0]?.total ?? repeated.rows.length };
}

const affected = (result: { numAffectedRows?: bigint }): number => Number(result.numAffectedRows ?? 0n);

/**
 * Makes the zones of `sectorIds` (the bundle's sectors, all of the territory) those of
 * `bundle_zones`: deletes the others, updates the names that changed, inserts the new ones
 * (in file order). Touches no row that already matches.
 */
export async function synchroniseZones(db: Db, territoryId: number, sectorIds: readonly number[], progress: (rows: number) => void): Promise<{ created: number; updated: number; deleted: number }> {
  await sql`
    UPDATE bundle_zones b SET sector_id = s.id FROM sectors s
    WHERE s.territory_id = ${territoryId} AND s.human_id = b.sector`.execute(db);
  await sql`CREATE INDEX ON bundle_zones (sector_id, city_code, street_key)`.execute(db);
  await sql`ANALYZE bundle_zones`.execute(db);
  let deleted = 0;
  if (sectorIds.length > 0) {
    deleted = affected(
      await sql`
        DELETE FROM zones z
        WHERE z.sector_id IN (${sql.join(sectorIds)})
          AND NOT EXISTS (SELECT 1 FROM bundle_zones b
                          WHERE b.sector_id = z.sector_id AND b.city_code = z.city_code AND b.street_key = coalesce(z.street_ban_id, ''))`.execute(db),
    );
  }
  progress(0);
  const updated = affected(
    await sql`
      UPDATE zones z SET city_name = b.city_name, street_name = b.street_name
      FROM bundle_zones b
      WHERE b.sector_id = z.sector_id AND b.city_code = z.city_code AND b.street_key = coalesce(z.street_ban_id, '')
        AND (z.city_name <> b.city_name OR z.street_name IS DISTINCT FROM b.street_name)`.execute(db),
  );
  progress(updated);
  const created = affected(
    await sql`
      INSERT INTO zones (sector_id, level, city_code, city_name, street_ban_id, street_name)
      SELECT b.sector_id, CASE WHEN b.street_ban_id IS NULL THEN 'city' ELSE 'street' END, b.city_code, b.city_name, b.street_ban_id, b.street_name
      FROM bundle_zones b
      WHERE NOT EXISTS (SELECT 1 FROM zones z
                        WHERE z.sector_id = b.sector_id AND z.city_code = b.city_code AND coalesce(z.street_ban_id, '') = b.street_key)
      ORDER BY b.line`.execute(db),
  );
  progress(created);
  return { created, updated, deleted };
}
