import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { migrate, migrationState, MigrationError, readMigrations } from './migrator.js';

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'creneau-migrations-'));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

async function tableExists(database: TestDatabase, table: string): Promise<boolean> {
  const result = await sql<{ exists: boolean }>`SELECT to_regclass(${table}) IS NOT NULL AS exists`.execute(database.db);
  return result.rows[0]?.exists === true;
}

describe('migrator', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('applies the project migrations once, then finds nothing pending', async () => {
    database = await openTestDatabase({ migrated: false });
    const first = await migrate(database.db);
    expect(first[0]).toBe('0001_core_model');
    expect(await migrate(database.db)).toEqual([]);
    expect((await migrationState(database.db)).pending).toEqual([]);
  });

  it('leaves nothing of a failing migration behind and names the file', async () => {
    database = await openTestDatabase({ migrated: false });
    const dir = await migrationsDir({
      '0001_first.sql': 'CREATE TABLE first_table (id int);',
      '0002_broken.sql': 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;',
    });
    await expect(migrate(database.db, dir)).rejects.toThrow(/0002_broken\.sql/);
    expect(await tableExists(database, 'first_table')).toBe(true);
    expect(await tableExists(database, 'half_done')).toBe(false);
    expect(await migrationState(database.db, dir)).toEqual({ applied: ['0001'], pending: ['0002_broken'] });
  });

  it('refuses a gap in the numbering', async () => {
    const dir = await migrationsDir({ '0001_a.sql': 'SELECT 1;', '0003_c.sql': 'SELECT 1;' });
    await expect(readMigrations(dir)).rejects.toThrow(MigrationError);
  });
});
