import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

/** Thrown when a migration fails; it names the file and the database's reason. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Reads `migrations/NNNN_name.sql`, ordered by number; refuses gaps and duplicates. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const [index, file] of files.entries()) {
    const match = FILE_PATTERN.exec(file);
    if (match === null) throw new MigrationError(`Nom de migration invalide : ${file} (attendu NNNN_nom.sql)`);
    const [, version = '', name = ''] = match;
    if (Number(version) !== index + 1) {
      throw new MigrationError(`Migration ${file} : numéro ${index + 1} attendu (pas de trou ni de doublon)`);
    }
    migrations.push({ version, name, sql: await readFile(path.join(dir, file), 'utf8') });
  }
  return migrations;
}

export interface MigrationState {
  applied: string[];
  pending: string[];
}

async function ensureMigrationsTable(db: Kysely<Database>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
}

/** Lists applied and pending migrations. */
export async function migrationState(db: Kysely<Database>, dir?: string): Promise<MigrationState> {
  const migrations = await readMigrations(dir);
  const exists = await sql<{ exists: boolean }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`.execute(db);
  const applied = exists.rows[0]?.exists
    ? (await db.selectFrom('schema_migrations').select('version').orderBy('version').execute()).map((row) => row.version)
    : [];
  const appliedSet = new Set(applied);
  return { applied, pending: migrations.filter((m) => !appliedSet.has(m.version)).map((m) => `${m.version}_${m.name}`) };
}

// Any number (arbitrary but fixed) identifying Créneau's migration lock among advisory locks.
const MIGRATION_LOCK_KEY = 4_210_777;

/**
 * Applies the pending migrations, each in its own transaction, so that a failing file leaves the
 * database as it was before it. An advisory lock keeps two processes from migrating at once.
 */
export async function migrate(db: Kysely<Database>, dir?: string): Promise<string[]> {
  const migrations = await readMigrations(dir);
  await ensureMigrationsTable(db);
  const done: string[] = [];
  for (const migration of migrations) {
    const label = `${migration.version}_${migration.name}`;
    const applied = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      const already = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (already !== undefined) return false;
      try {
        await sql.raw(migration.sql).execute(trx);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`La migration ${label}.sql a échoué : ${reason}`);
      }
      await trx.insertInto('schema_migrations').values({ version: migration.version, name: migration.name }).execute();
      return true;
    });
    if (applied) done.push(label);
  }
  return done;
}
