import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { BundleRejectedError, checkZonesFile, formatBundleError, importTerritoryBundle, readBundleDirectory, validateBundle, type ImportReport } from './index.js';

const EXAMPLE = 'examples/territories/calvados-14';
const SLOW = 240_000;
const ZONES = 3000;
const HEADER = 'secteur;code_insee;nom_commune;id_voie_ban;nom_voie';

/** Tables a zones import may write, with xmin (a row rewritten with the same values still shows). */
async function snapshot(database: TestDatabase): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of ['territories', 'sectors', 'zones', 'sector_attributions', 'organisations', 'audit_log']) {
    const rows = await sql<{ row: string }>`SELECT xmin::text || ' ' || to_jsonb(t.*)::text AS row FROM ${sql.table(table)} t`.execute(database.db);
    result[table] = rows.rows.map((r) => r.row).sort();
  }
  return result;
}

/** ZONES street zones over the example's communes and sectors: data line k is file line k + 1. */
async function streetLines(): Promise<string[]> {
  const { files } = await readBundleDirectory(EXAMPLE);
  const validation = validateBundle(files);
  if (!validation.ok) throw new Error(validation.errors.map(formatBundleError).join('\n'));
  const communes = validation.bundle.zones;
  const lines: string[] = [];
  for (let index = 0; index < ZONES; index += 1) {
    const commune = communes[index % communes.length];
    if (commune === undefined) throw new Error('exemple sans zones');
    const street = Math.floor(index / communes.length);
    lines.push(`${commune.sector};${commune.cityCode};${commune.cityName};${commune.cityCode}_${street.toString(36).toUpperCase().padStart(4, '0')};Rue numéro ${street + 1}`);
  }
  return lines;
}

describe('territory bundles: zones.csv streamed into a temporary table', { timeout: SLOW }, () => {
  let database: TestDatabase;
  let directory: string;
  let lines: string[];

  /** The example bundle with `zones` as its zones.csv, imported the way the command does. */
  async function importWithZones(zones: readonly string[], options: { dryRun?: boolean } = {}): Promise<ImportReport> {
    await writeFile(path.join(directory, 'zones.csv'), `\uFEFF${HEADER}\n${zones.join('\n')}\n`, 'utf8');
    const { files, zonesFile } = await readBundleDirectory(directory, { streamZones: true });
    expect(files.has('zones.csv')).toBe(false);
    const validation = validateBundle(files, { zonesStreamed: true });
    if (!validation.ok || zonesFile === null) throw new Error('lot invalide');
    return importTerritoryBundle(database.db, validation.bundle, { zonesFile, ...options });
  }

  async function rejection(zones: readonly string[]): Promise<BundleRejectedError> {
    const error = await importWithZones(zones).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BundleRejectedError);
    return error as BundleRejectedError;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    directory = await mkdtemp(path.join(os.tmpdir(), 'creneau-zones-stream-'));
    for (const name of await readdir(EXAMPLE)) if (name !== 'zones.csv') await copyFile(path.join(EXAMPLE, name), path.join(directory, name));
    lines = await streetLines();
  }, SLOW);
  afterAll(async () => {
    await database.destroy();
    await rm(directory, { recursive: true, force: true });
  });

  it('reports a bad line deep in the file (line 2 500 of 3 000) and writes nothing', async () => {
    const before = await snapshot(database);
    const zones = [...lines];
    zones[2498] = (zones[2498] ?? '').replace(/;1[0-9]{4};/, ';1411;');
    const error = await rejection(zones);
    expect(error.errors.map(formatBundleError)).toEqual(['zones.csv, ligne 2500, code_insee : « 1411 » n’est pas un code INSEE de commune (5 caractères, exemple : 14118)']);
    expect(error.total).toBe(1);
    expect(await snapshot(database)).toEqual(before);
    expect(before['zones']).toEqual([]);
  });

  it('reports a repeated zone with both its lines, and writes nothing', async () => {
    const before = await snapshot(database);
    const zones = [...lines];
    zones[2899] = zones[8] ?? '';
    const error = await rejection(zones);
    expect(error.errors.map(formatBundleError)).toEqual(['zones.csv, ligne 2901, code_insee : zone déjà décrit ligne 10']);
    expect(await snapshot(database)).toEqual(before);
  });

  it('keeps the first errors of a file full of them and counts the rest', async () => {
    const zones = lines.map((line) => line.replace(/^[a-z-]+;/, 'inconnu;'));
    const error = await rejection(zones);
    expect(error.total).toBe(ZONES);
    expect(error.errors).toHaveLength(1000);
    expect(formatBundleError(error.errors[0] ?? { file: '', line: 0, field: null, message: '' })).toBe('zones.csv, ligne 2, secteur : secteur « inconnu » absent de secteurs.csv');
    // The command's check without a database (when other files are wrong) reports the same lines.
    const { zonesFile } = await readBundleDirectory(directory, { streamZones: true });
    const checked = await checkZonesFile(zonesFile ?? '', { departementNumber: '14', sectors: new Set(['caen']) });
    expect(checked.total).toBe(ZONES);
    expect(checked.kept[999]?.line).toBe(1001);

    // Repeated zones beyond the kept ones are counted too (the whole file twice: 3 000 repeats).
    const twice = await rejection([...lines, ...lines]);
    expect(twice.total).toBe(ZONES);
    expect(twice.errors).toHaveLength(1000);
    expect(formatBundleError(twice.errors[0] ?? { file: '', line: 0, field: null, message: '' })).toBe(`zones.csv, ligne ${ZONES + 2}, code_insee : zone déjà décrit ligne 2`);
  });

  it('imports 3 000 zones, a dry run counts without writing, and a re-import changes nothing', async () => {
    const first = await importWithZones(lines);
    expect(first.changes['zones']).toEqual({ created: ZONES, updated: 0, deleted: 0 });
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM zones WHERE level = 'street'`.execute(database.db);
    expect(stored.rows[0]?.n).toBe(ZONES);

    const imported = await snapshot(database);
    const again = await importWithZones(lines);
    expect(again.changed).toBe(false);
    expect(Object.values(again.changes).every((c) => c.created + c.updated + c.deleted === 0)).toBe(true);
    expect(await snapshot(database)).toEqual(imported);

    const changed = [...lines];
    changed[100] = (changed[100] ?? '').replace(/Rue numéro/, 'Avenue numéro');
    changed.splice(200, 1);
    const dry = await importWithZones(changed, { dryRun: true });
    expect(dry.changes['zones']).toEqual({ created: 0, updated: 1, deleted: 1 });
    expect(await snapshot(database)).toEqual(imported);
    const real = await importWithZones(changed);
    expect(real.changes['zones']).toEqual({ created: 0, updated: 1, deleted: 1 });
    expect((await importWithZones(changed)).changed).toBe(false);
  });
});
