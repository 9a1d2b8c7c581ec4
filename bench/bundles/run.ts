/**
 * Benchmark of territory bundles (bench/README.md): the Calvados example imported on an empty
 * database, then a synthetic bundle of 100 000 street zones; each run in its own process so that
 * its peak RSS is its own. Each scenario imports twice: the second import must change nothing.
 * The import runs as `territory:import` does: `zones.csv` streamed from disk (the parent writes
 * the synthetic one line by line into a temporary folder), the other files validated in memory.
 *
 *   npm run bench:bundles [-- --json FILE] [--zones N] [--scenario calvados|streets]   (embedded PGlite, in memory)
 *   DATABASE_URL=postgres://… npm run bench:bundles            (PostgreSQL: each scenario creates,
 *                                                               then drops, its own empty database)
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { migrate } from '../../src/platform/db/migrator.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { formatBundleError, importTerritoryBundle, readBundleDirectory, validateBundle } from '../../src/modules/territory-bundles/index.js';

interface ScenarioResult {
  scenario: string;
  backend: string;
  zones: number;
  validateSeconds: number;
  importSeconds: number;
  reimportSeconds: number;
  reimportChanged: boolean;
  peakRssMb: number;
  target: string;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const seconds = (start: number): number => Math.round((performance.now() - start) / 10) / 100;

const EXAMPLE = 'examples/territories/calvados-14';

/**
 * A folder holding the Calvados example with its zones.csv replaced by `count` street zones spread
 * over its communes and sectors, written line by line (the bench's own memory stays small too).
 */
async function writeStreetBundle(count: number): Promise<string> {
  const { files } = await readBundleDirectory(EXAMPLE);
  const base = validateBundle(files);
  if (!base.ok) throw new Error('exemple invalide');
  const directory = await mkdtemp(path.join(os.tmpdir(), 'creneau-bench-bundles-'));
  for (const name of await readdir(EXAMPLE)) if (name !== 'zones.csv') await copyFile(path.join(EXAMPLE, name), path.join(directory, name));
  const communes = (createRequire(import.meta.url)('@etalab/decoupage-administratif/data/communes.json') as { code: string; nom: string; departement: string; type: string }[]).filter(
    (c) => c.departement === '14' && c.type === 'commune-actuelle',
  );
  const out = createWriteStream(path.join(directory, 'zones.csv'), 'utf8');
  out.write('\uFEFFsecteur;code_insee;nom_commune;id_voie_ban;nom_voie\n');
  for (let index = 0; index < count; index += 1) {
    const commune = communes[index % communes.length] ?? { code: '14118', nom: 'Caen' };
    const street = Math.floor(index / communes.length);
    const fantoir = street.toString(36).toUpperCase().padStart(4, '0');
    const sector = base.bundle.sectors[index % base.bundle.sectors.length]?.humanId ?? 'caen';
    if (!out.write(`${sector};${commune.code};${commune.nom};${commune.code}_${fantoir};Rue numéro ${street + 1}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return directory;
}

async function runScenario(scenario: 'calvados' | 'streets', zoneCount: number, directory: string): Promise<ScenarioResult> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
  try {
    await migrate(database.db);
    const existing = await database.db.selectFrom('territories').select('id').where('departement_number', '=', '14').executeTakeFirst();
    if (existing !== undefined) throw new Error('la base contient déjà le Calvados : utilisez une base jetable');
    // As territory:import does: the small files read and validated, zones.csv left on disk.
    const validateStart = performance.now();
    const { files, zonesFile } = await readBundleDirectory(directory, { streamZones: true });
    const validation = validateBundle(files, { zonesStreamed: zonesFile !== null });
    if (!validation.ok || zonesFile === null) throw new Error(validation.ok ? 'zones.csv absent' : validation.errors.slice(0, 10).map(formatBundleError).join('\n'));
    const validateSeconds = seconds(validateStart);
    const importStart = performance.now();
    const first = await importTerritoryBundle(database.db, validation.bundle, { zonesFile });
    const importSeconds = seconds(importStart);
    const reimportStart = performance.now();
    const again = await importTerritoryBundle(database.db, validation.bundle, { zonesFile });
    return {
      scenario: scenario === 'calvados' ? 'Calvados example (526 commune zones)' : `${zoneCount} street zones`,
      backend: database.backend,
      zones: first.changes['zones']?.created ?? 0,
      validateSeconds,
      importSeconds,
      reimportSeconds: seconds(reimportStart),
      reimportChanged: again.changed,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      target: scenario === 'calvados' ? 'import < 30 s (PostgreSQL)' : 'import < 60 s, memory bounded',
    };
  } finally {
    await database.close();
  }
}

/** On PostgreSQL, an empty database of its own for the child (dropped afterwards). */
async function withScratchDatabase<T>(run: (databaseUrl: string | undefined) => Promise<T>): Promise<T> {
  const base = process.env.DATABASE_URL;
  if (base === undefined || base === '') return run(undefined);
  const name = `creneau_bench_bundles_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function child(scenario: string, zones: number, directory: string, databaseUrl: string | undefined): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    if (databaseUrl === undefined) delete env.DATABASE_URL;
    else env.DATABASE_URL = databaseUrl;
    const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--scenario', scenario, '--zones', String(zones), '--dir', directory], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    proc.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as ScenarioResult);
      else reject(new Error(`scénario ${scenario} : code ${String(code)}`));
    });
  });
}

async function main(): Promise<void> {
  const zones = Number(argument('--zones') ?? 100_000);
  const scenario = argument('--scenario');
  if (process.argv.includes('--child')) {
    if (scenario !== 'calvados' && scenario !== 'streets') throw new Error('scénario inconnu');
    process.stdout.write(JSON.stringify(await runScenario(scenario, zones, argument('--dir') ?? EXAMPLE)));
    return;
  }
  const results: ScenarioResult[] = [];
  if (scenario === undefined || scenario === 'calvados') results.push(await withScratchDatabase((url) => child('calvados', zones, EXAMPLE, url)));
  if (scenario === undefined || scenario === 'streets') {
    const streets = await writeStreetBundle(zones);
    try {
      results.push(await withScratchDatabase((url) => child('streets', zones, streets, url)));
    } finally {
      await rm(streets, { recursive: true, force: true });
    }
  }
  const rows = results.map((r) => `| ${r.scenario} | ${r.backend} | ${r.validateSeconds} | ${r.importSeconds} | ${r.reimportSeconds} | ${r.reimportChanged ? 'yes (FAIL)' : 'no'} | ${r.peakRssMb} | ${r.target} |`);
  process.stdout.write(
    ['| scenario | backend | validate (s) | import (s) | re-import (s) | re-import changed | peak RSS (MB) | target |', '|---|---|---|---|---|---|---|---|', ...rows].join('\n') + '\n',
  );
  const json = argument('--json');
  if (json !== undefined) await writeFile(json, JSON.stringify(results, null, 2));
  if (results.some((r) => r.reimportChanged)) process.exitCode = 1;
}

await main();
