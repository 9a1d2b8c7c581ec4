import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { impersonationAuditPlugin } from '../audit/impersonation-context.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export type Backend = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  backend: Backend;
  /** Closes the pool or the embedded database. */
  close: () => Promise<void>;
}

/** Thrown when the database cannot be reached or opened; the message says why, in one line. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;
const INT8_ARRAY_OID = 1016;

/** '{1,2,NULL}' → [1, 2, null] */
function parseInt8Array(value: string): (number | null)[] {
  const inner = value.slice(1, -1);
  if (inner === '') return [];
  return inner.split(',').map((item) => (item === 'NULL' ? null : Number(item)));
}

// Identifiers and counts (and arrays of them) fit in a double; `date` stays a 'YYYY-MM-DD' string because a JS Date
// would place it at midnight in the machine's zone.
const parsers: Record<number, (value: string) => unknown> = {
  [INT8_OID]: (value: string) => Number(value),
  [NUMERIC_OID]: (value: string) => Number(value),
  [DATE_OID]: (value: string) => value,
  [INT8_ARRAY_OID]: parseInt8Array,
};

const defaultTextParser = pg.types.getTypeParser as (oid: number) => (value: string) => unknown;

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
}

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl !== undefined) {
    return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  }
  return openPglite(options.dataDir);
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    types: {
      getTypeParser: ((oid: number) => parsers[oid] ?? defaultTextParser(oid)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnavailableError(`Base PostgreSQL injoignable (${redactUrl(databaseUrl)}) : ${reason}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [impersonationAuditPlugin] });
  return { db, backend: 'postgres', close: () => db.destroy() };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  let location = dataDir;
  if (!dataDir.startsWith('memory://')) {
    location = path.join(dataDir, 'pgdata');
    try {
      await mkdir(location, { recursive: true });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DatabaseUnavailableError(`Dossier de données inutilisable (${dataDir}) : ${reason}`);
    }
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(location, { extensions: { btree_gist, pg_trgm, unaccent }, parsers });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnavailableError(`Base embarquée impossible à ouvrir (${location}) : ${reason}`);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), plugins: [impersonationAuditPlugin] });
  return { db, backend: 'pglite', close: () => db.destroy() };
}

/** Hides the password of a connection string in messages. */
export function redactUrl(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
