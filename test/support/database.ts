/**
 * Test databases: a fresh in-memory PGlite by default, or — when TEST_DATABASE_URL is set — a
 * throwaway PostgreSQL database created for the test file and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrator.js';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL;

/** Which backend the integration tests run on in this process. */
export const testBackend = testDatabaseUrl === undefined || testDatabaseUrl === '' ? 'pglite' : 'postgres';

export interface TestDatabase extends DatabaseHandle {
  /** Closes the connection and drops the throwaway database. */
  destroy: () => Promise<void>;
  /** Connection string of the throwaway PostgreSQL database (undefined on PGlite). */
  url: string | undefined;
}

async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Opens an empty database; `migrated: false` leaves it without schema (migration tests). */
export async function openTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  let url: string | undefined;
  let name: string | undefined;
  if (testBackend === 'postgres') {
    name = `creneau_test_${randomBytes(6).toString('hex')}`;
    const databaseName = name;
    await withAdminClient((client) => client.query(`CREATE DATABASE ${databaseName}`));
    const parsed = new URL(testDatabaseUrl ?? '');
    parsed.pathname = `/${name}`;
    url = parsed.toString();
  }
  const handle = await openDatabase({ databaseUrl: url, dataDir: 'memory://', poolSize: 20 });
  if (options.migrated !== false) await migrate(handle.db);
  return {
    ...handle,
    url,
    destroy: async () => {
      await handle.close();
      if (name !== undefined) {
        const databaseName = name;
        await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
      }
    },
  };
}
