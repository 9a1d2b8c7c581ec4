import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import {
  BundleRejectedError,
  exportTerritoryBundle,
  formatBundleError,
  importTerritoryBundle,
  readBundleDirectory,
  serialiseBundle,
  validateBundle,
  type TerritoryBundle,
} from './index.js';

const EXAMPLE = 'examples/territories/calvados-14';
const NOW = new Date('2026-11-24T09:00:00Z');

/** Every table the import may write, with xmin: a row rewritten with the same values still shows. */
const TABLES = [
  'territories',
  'services',
  'territory_services',
  'motif_categories',
  'territory_motif_categories',
  'organisations',
  'places',
  'appointment_types',
  'teams',
  'agents',
  'agent_roles',
  'agent_services',
  'agent_teams',
  'agent_territorial_roles',
  'opening_periods',
  'opening_period_appointment_types',
  'sectors',
  'zones',
  'sector_attributions',
  'audit_log',
] as const;

async function snapshot(database: TestDatabase): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await sql<{ row: string }>`SELECT xmin::text || ' ' || to_jsonb(t.*)::text AS row FROM ${sql.table(table)} t`.execute(database.db);
    result[table] = rows.rows.map((r) => r.row).sort();
  }
  return result;
}

async function exampleBundle(): Promise<TerritoryBundle> {
  const { files } = await readBundleDirectory(EXAMPLE);
  const validation = validateBundle(files);
  if (!validation.ok) throw new Error(validation.errors.map(formatBundleError).join('\n'));
  return validation.bundle;
}

async function rowCount(database: TestDatabase, table: (typeof TABLES)[number]): Promise<number> {
  const row = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(database.db);
  return row.rows[0]?.n ?? -1;
}

/** Short names of the motif categories enabled in a territory, sorted. */
async function enabledCategories(database: TestDatabase, departementNumber: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('territory_motif_categories as tc')
    .innerJoin('territories as t', 't.id', 'tc.territory_id')
    .innerJoin('motif_categories as c', 'c.id', 'tc.motif_category_id')
    .select('c.short_name')
    .where('t.departement_number', '=', departementNumber)
    .orderBy('c.short_name')
    .execute();
  return rows.map((row) => row.short_name);
}

// A loaded two-core machine runs a PGlite migration plus the Calvados import in tens of seconds.
const SLOW = 240_000;

describe('territory bundles: import and export of the Calvados example', { timeout: SLOW }, () => {
  let database: TestDatabase;
  let bundle: TerritoryBundle;
  beforeAll(async () => {
    database = await openTestDatabase();
    bundle = await exampleBundle();
  }, SLOW);
  afterAll(async () => {
    await database.destroy();
  });

  it('creates the whole territory on an empty database, agents without passwords, every Calvados commune in a sector', async () => {
    const report = await importTerritoryBundle(database.db, bundle);
    expect(report.changed).toBe(true);
    expect(report.changes['organisations']).toEqual({ created: 5, updated: 0, deleted: 0 });
    expect(await rowCount(database, 'places')).toBe(12);
    expect(await rowCount(database, 'agents')).toBe(40);
    expect(await rowCount(database, 'opening_periods')).toBe(50);
    const passwords = await database.db.selectFrom('agents').select(({ fn }) => fn.count<number>('password_hash').as('n')).executeTakeFirstOrThrow();
    expect(passwords.n).toBe(0);
    const communes = (createRequire(import.meta.url)('@etalab/decoupage-administratif/data/communes.json') as { code: string; departement: string; type: string }[])
      .filter((c) => c.departement === '14' && c.type === 'commune-actuelle')
      .map((c) => c.code)
      .sort();
    const zoned = await database.db.selectFrom('zones').select('city_code').distinct().orderBy('city_code').execute();
    expect(zoned.map((z) => z.city_code)).toEqual(communes);
    expect(communes.length).toBe(526);
    const audit = await database.db.selectFrom('audit_log').select(['actor_type', 'action', 'subject_type']).execute();
    expect(audit).toEqual([{ actor_type: 'system', action: 'create', subject_type: 'territory' }]);
    expect(report.changes['catégories du territoire']).toEqual({ created: 2, updated: 0, deleted: 0 });
    expect(await enabledCategories(database, '14')).toEqual(['rsa_accompagnement', 'rsa_orientation']);
  });

  it('changes nothing when the same bundle is imported again: same rows, same ids, not even rewritten (xmin)', async () => {
    const before = await snapshot(database);
    const report = await importTerritoryBundle(database.db, bundle);
    expect(report.changed).toBe(false);
    expect(Object.values(report.changes).every((c) => c.created + c.updated + c.deleted === 0)).toBe(true);
    expect(await snapshot(database)).toEqual(before);
  });

  it('exports the same files, byte for byte (the example is in canonical order)', async () => {
    const { files } = await exportTerritoryBundle(database.db, '14');
    const original = (await readBundleDirectory(EXAMPLE)).files;
    expect([...files.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [name, text] of files) expect(text, name).toBe(await readFile(path.join(EXAMPLE, name), 'utf8'));
  });

  it('updates in place what changed, and only that; importing the original again restores it', async () => {
    const promoted = bundle.agents.find((a) => a.roles[0]?.accessLevel === 'basic');
    const idsBefore = await database.db.selectFrom('places').select(['id', 'name']).orderBy('id').execute();
    const changed: TerritoryBundle = {
      ...bundle,
      places: bundle.places.map((p) => (p.name === 'MDS de Bayeux' ? { ...p, address: '6 rue Saint-Malo, 14400 Bayeux' } : p)),
      zones: bundle.zones.filter((z) => z.cityCode !== '14003'),
      sectors: bundle.sectors.map((s) => (s.humanId === 'vire' ? { ...s, name: 'Secteur du Bocage' } : s)),
      agents: bundle.agents.map((a) => (a === promoted ? { ...a, roles: a.roles.map((r) => ({ ...r, accessLevel: 'admin' as const })) } : a)),
      openingPeriods: bundle.openingPeriods.slice(1),
    };
    const report = await importTerritoryBundle(database.db, changed);
    expect(report.changes['lieux']).toEqual({ created: 0, updated: 1, deleted: 0 });
    expect(report.changes['zones']).toEqual({ created: 0, updated: 0, deleted: 1 });
    expect(report.changes['secteurs']).toEqual({ created: 0, updated: 1, deleted: 0 });
    expect(report.changes['rôles']).toEqual({ created: 0, updated: 1, deleted: 0 });
    expect(report.changes['plages']).toEqual({ created: 0, updated: 0, deleted: 1 });
    expect(report.changes['agents']).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect(await database.db.selectFrom('places').select(['id', 'name']).orderBy('id').execute()).toEqual(idsBefore);
    const restored = await importTerritoryBundle(database.db, bundle);
    expect(restored.changes['zones']).toEqual({ created: 1, updated: 0, deleted: 0 });
    expect(restored.changes['plages']).toEqual({ created: 1, updated: 0, deleted: 0 });
    expect(serialiseBundle((await exportTerritoryBundle(database.db, '14')).bundle)).toEqual(serialiseBundle(bundle));
  });

  it('makes the categories enabled in the territory the bundle’s list; export writes the enabled ones plus those motifs use; re-import changes nothing', async () => {
    // A territorial admin creates and enables a category no motif uses yet: the export carries it, its import is a no-op.
    const created = await database.db.insertInto('motif_categories').values({ name: 'Insertion professionnelle', short_name: 'insertion_pro' }).returning('id').executeTakeFirstOrThrow();
    const territory = await database.db.selectFrom('territories').select('id').where('departement_number', '=', '14').executeTakeFirstOrThrow();
    await database.db.insertInto('territory_motif_categories').values({ territory_id: territory.id, motif_category_id: created.id }).execute();
    const exported = await exportTerritoryBundle(database.db, '14');
    expect(exported.files.get('categories.csv')).toBe('\uFEFFnom_court;nom\ninsertion_pro;Insertion professionnelle\nrsa_accompagnement;RSA accompagnement\nrsa_orientation;RSA orientation\n');
    const before = await snapshot(database);
    expect((await importTerritoryBundle(database.db, exported.bundle)).changed).toBe(false);
    expect(await snapshot(database)).toEqual(before);

    // A category disabled while motifs still use it is exported (the motifs name it), so importing that export enables it again.
    const orientation = await database.db.selectFrom('motif_categories').select('id').where('short_name', '=', 'rsa_orientation').executeTakeFirstOrThrow();
    await database.db.deleteFrom('territory_motif_categories').where('territory_id', '=', territory.id).where('motif_category_id', '=', orientation.id).execute();
    const withUsed = await exportTerritoryBundle(database.db, '14');
    expect(withUsed.bundle.motifCategories.map((category) => category.shortName).sort()).toEqual(['insertion_pro', 'rsa_accompagnement', 'rsa_orientation']);
    expect((await importTerritoryBundle(database.db, withUsed.bundle)).changes['catégories du territoire']).toEqual({ created: 1, updated: 0, deleted: 0 });
    expect(await enabledCategories(database, '14')).toEqual(['insertion_pro', 'rsa_accompagnement', 'rsa_orientation']);

    // The original bundle does not name insertion_pro: it is disabled in the territory (the category itself stays), once.
    const restored = await importTerritoryBundle(database.db, bundle);
    expect(restored.changes['catégories du territoire']).toEqual({ created: 0, updated: 0, deleted: 1 });
    expect(restored.changes['catégories']).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect(await enabledCategories(database, '14')).toEqual(['rsa_accompagnement', 'rsa_orientation']);
    expect(await database.db.selectFrom('motif_categories').select('id').where('short_name', '=', 'insertion_pro').executeTakeFirst()).toEqual({ id: created.id });
    const again = await snapshot(database);
    expect((await importTerritoryBundle(database.db, bundle)).changed).toBe(false);
    expect(await snapshot(database)).toEqual(again);
    const { files } = await exportTerritoryBundle(database.db, '14');
    expect(files.get('categories.csv')).toBe(await readFile(path.join(EXAMPLE, 'categories.csv'), 'utf8'));
  });

  it('refuses a bundle that contradicts the database, locating each problem, and writes nothing', async () => {
    const before = await snapshot(database);
    const orne: TerritoryBundle = {
      ...bundle,
      territory: { line: 2, departementNumber: '61', name: 'Orne', holidayRegion: null },
      services: bundle.services.map((s) => (s.shortName === 'PMI' ? { ...s, name: 'PMI de l’Orne' } : s)),
      zones: [],
    };
    const error = await importTerritoryBundle(database.db, orne).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BundleRejectedError);
    const lines = (error as BundleRejectedError).errors.map(formatBundleError);
    const servicesLine = bundle.services.find((s) => s.shortName === 'PMI')?.line ?? 0;
    const caenLine = bundle.organisations.find((o) => o.slug === 'mds-caen')?.line ?? 0;
    expect(lines).toContain(`services.csv, ligne ${servicesLine}, nom : le service « PMI » existe déjà sur cette instance sous le nom « Protection maternelle et infantile » (secrétariat : non) : reprenez ces valeurs`);
    expect(lines).toContain(`organisations.csv, ligne ${caenLine}, slug : le slug « mds-caen » est déjà celui d’une organisation d’un autre territoire`);
    expect(lines.filter((line) => line.includes('est déjà celui d’une organisation d’un autre territoire'))).toHaveLength(5);
    expect(lines).toHaveLength(6);
    expect(await snapshot(database)).toEqual(before);
  });

  it('refuses to bring back a removed agent, and a dry run counts without writing', async () => {
    const email = bundle.agents.find((a) => a.email !== null)?.email ?? '';
    await database.db.updateTable('agents').set({ deleted_at: NOW }).where('email', '=', email).execute();
    const error = await importTerritoryBundle(database.db, bundle).catch((caught: unknown) => caught);
    expect((error as BundleRejectedError).errors.map((e) => e.message)).toEqual([`l’agent « ${email} » a été supprimé sur cette instance : retirez-le du lot ou réactivez son compte d’abord`]);
    await database.db.updateTable('agents').set({ deleted_at: null }).where('email', '=', email).execute();

    const before = await snapshot(database);
    const dry = await importTerritoryBundle(database.db, { ...bundle, zones: bundle.zones.slice(10) }, { dryRun: true });
    expect(dry.changes['zones']).toEqual({ created: 0, updated: 0, deleted: 10 });
    expect(await snapshot(database)).toEqual(before);
  });
});

describe('territory bundles: export of a territory made elsewhere (the demo seed)', { timeout: SLOW }, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
  }, SLOW);
  afterAll(async () => {
    await database.destroy();
  });

  it('exports a bundle that validates and whose import changes nothing', async () => {
    const { files } = await exportTerritoryBundle(database.db, '77');
    const validation = validateBundle(files);
    expect(validation.ok ? [] : validation.errors.map(formatBundleError)).toEqual([]);
    if (!validation.ok) return;
    expect(validation.bundle.motifCategories.map((category) => category.shortName).sort()).toEqual(['rsa_accompagnement', 'rsa_orientation']);
    const before = await snapshot(database);
    const report = await importTerritoryBundle(database.db, validation.bundle);
    expect(report.changed).toBe(false);
    expect(await snapshot(database)).toEqual(before);
  });

  it('adds the usagers and appointments files on request, with references between them', async () => {
    const { files } = await exportTerritoryBundle(database.db, '77', { withUsers: true, withAppointments: true });
    const users = files.get('usagers.csv') ?? '';
    const appointments = files.get('rendez_vous.csv') ?? '';
    expect(users.split('\n')[0]).toBe('\uFEFFreference;responsable;prenom;nom;nom_naissance;date_naissance;email;telephone;adresse;notifier_sms;notifier_email;organisations');
    expect(users).toContain('Camille;Durand;;1991-04-12;camille.durand@demo.creneau.fr');
    const appointmentLines = appointments.trim().split('\n').slice(1);
    expect(appointmentLines.length).toBeGreaterThan(10);
    const referenced = new Set(appointmentLines.flatMap((line) => (line.split(';').at(-1) ?? '').split('|').map((p) => p.split(':')[0])));
    for (const reference of referenced) expect(users).toContain(`\n${reference ?? ''};`);
    await expect(exportTerritoryBundle(database.db, '61')).rejects.toThrow('aucun territoire 61 sur cette instance');
  });
});
