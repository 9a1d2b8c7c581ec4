/**
 * The two commands end to end, as an operator runs them: child processes on a temporary embedded
 * database folder (DATA_DIR), exit codes, the French report on stderr, the files written.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const EXAMPLE = 'examples/territories/calvados-14';
const SLOW = 480_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(script: 'territory-import' | 'territory-export', args: string[], dataDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // An operator's shell: not vitest's variables (it sets BASE_URL, MODE… for Vite), no PostgreSQL.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'development' };
    const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => { resolve({ code, stdout, stderr }); });
  });
}

describe('npm run territory:import / territory:export in a child process (embedded database)', { timeout: SLOW }, () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'creneau-bundle-cli-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('refuses an invalid bundle with « fichier, ligne, champ : message » and a non-zero exit, before touching the database', async () => {
    const broken = path.join(work, 'broken');
    await cp(EXAMPLE, broken, { recursive: true });
    const places = await readFile(path.join(broken, 'lieux.csv'), 'utf8');
    await writeFile(path.join(broken, 'lieux.csv'), places.replace(';49.2765;', ';492765;'));
    const zones = await readFile(path.join(broken, 'zones.csv'), 'utf8');
    await writeFile(path.join(broken, 'zones.csv'), zones.replace('bayeux;14003;Agy;;', 'bayeux;61001;Alençon;;'));
    const dataDir = path.join(work, 'data-broken');
    const run = await runCli('territory-import', [broken], dataDir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('lieux.csv, ligne 3, latitude : 492765 est hors des bornes (-90 à 90)');
    expect(run.stderr).toContain('zones.csv, ligne 2, code_insee : la commune 61001 n’est pas dans le département 14');
    expect(run.stderr).toContain('Lot refusé : 2 erreur(s), rien n’a été écrit.');
    await expect(readdir(dataDir)).rejects.toThrow();
    expect((await runCli('territory-import', [], dataDir)).stderr).toContain('Usage : npm run territory:import -- DOSSIER [--dry-run]');

    // Only zones.csv wrong (a repeated zone, found in SQL as the file is streamed): refused too.
    const repeated = path.join(work, 'repeated');
    await cp(EXAMPLE, repeated, { recursive: true });
    await writeFile(path.join(repeated, 'zones.csv'), `${zones.trimEnd()}\nbayeux;14003;Agy;;\n`);
    const refused = await runCli('territory-import', [repeated], path.join(work, 'data-repeated'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('zones.csv, ligne 528, code_insee : zone déjà décrit ligne 2');
    expect(refused.stderr).toContain('Lot refusé : 1 erreur(s), rien n’a été écrit.');
  });

  it('imports, re-imports without change, and exports the same files', async () => {
    const dataDir = path.join(work, 'data');
    const first = await runCli('territory-import', [EXAMPLE], dataDir);
    expect(first.stderr).not.toContain('Error');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Territoire 14 (Calvados) — Import terminé.');
    expect(first.stdout).toContain('zones : 526 créé(s), 0 modifié(s), 0 supprimé(s)');
    // No terminal here (CI neither): one plain line per phase, no carriage returns.
    expect(first.stderr).toContain('… secteurs et zones (526)');
    expect(first.stderr).not.toContain('\r');

    const second = await runCli('territory-import', [EXAMPLE], dataDir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Déjà à jour : rien n’a changé.');

    const out = path.join(work, 'export');
    const exported = await runCli('territory-export', ['14', out], dataDir);
    expect(exported.code).toBe(0);
    const names = (await readdir(out)).sort();
    expect(names).toEqual((await readdir(EXAMPLE)).sort());
    for (const name of names) expect(await readFile(path.join(out, name), 'utf8'), name).toBe(await readFile(path.join(EXAMPLE, name), 'utf8'));
    const again = await runCli('territory-export', ['14', out], dataDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('contient déjà');
    expect((await runCli('territory-export', ['61', path.join(work, 'vide')], dataDir)).stderr).toContain('aucun territoire 61 sur cette instance');
  });
});
