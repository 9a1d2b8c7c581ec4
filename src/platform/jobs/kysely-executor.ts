import { CompiledQuery, type Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Database } from '../db/schema.js';

/**
 * pg-boss's `db` option over the app's Kysely handle. On the embedded database there is one
 * PGlite connection in the process: pg-boss must not open its own, and going through Kysely
 * queues its statements behind the app's transactions (see pglite-dialect.ts) instead of
 * interleaving with them. Statements without parameters (pg-boss's schema creation, its locked
 * multi-statement commands) go through PGlite's simple protocol, as with node-postgres.
 */
export function kyselyExecutor(db: Kysely<Database>): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: [...result.rows] };
    },
  };
}
