// Multi-row inserts through `INSERT … SELECT … FROM unnest($1::t1[], $2::t2[], …)`: one statement
// per few thousand rows with a handful of parameters, which both node-postgres and PGlite send
// fast (no per-row round trip, no giant VALUES list to parse).

import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';

/** One parameter array: its Postgres element type and its values, one per row. */
export interface InputColumn {
  readonly type: string;
  readonly values: readonly unknown[];
}

export interface BulkInsert {
  readonly table: string;
  /** Arrays unnested side by side as `u.<name>`. All must have the same length. */
  readonly inputs: Readonly<Record<string, InputColumn>>;
  /** Target column → SQL expression over `u.*` (default: `u.<column>`). */
  readonly columns: Readonly<Record<string, string | null>>;
  /** Ids are chosen by the generator (INSERT … OVERRIDING SYSTEM VALUE). */
  readonly overridingSystemValue?: boolean;
  readonly chunkSize?: number;
}

/** Inserts every row of `insert`, chunk by chunk; returns the number of rows. */
export async function bulkInsert(db: Kysely<Database>, insert: BulkInsert): Promise<number> {
  const inputNames = Object.keys(insert.inputs);
  const rowCount = insert.inputs[inputNames[0] ?? '']?.values.length ?? 0;
  for (const name of inputNames) {
    if (insert.inputs[name]?.values.length !== rowCount) throw new Error(`bulkInsert ${insert.table}: ${name} has a different length`);
  }
  const columnNames = Object.keys(insert.columns);
  const expressions = columnNames.map((column) => insert.columns[column] ?? `u.${column}`);
  const chunkSize = insert.chunkSize ?? 5000;
  for (let offset = 0; offset < rowCount; offset += chunkSize) {
    const arrays: RawBuilder<unknown>[] = inputNames.map((name) => {
      const input = insert.inputs[name];
      if (input === undefined) throw new Error(name);
      return sql`${input.values.slice(offset, offset + chunkSize)}::${sql.raw(input.type)}[]`;
    });
    await sql`INSERT INTO ${sql.raw(insert.table)} (${sql.raw(columnNames.join(', '))}) ${sql.raw(
      insert.overridingSystemValue === true ? 'OVERRIDING SYSTEM VALUE ' : '',
    )}SELECT ${sql.raw(expressions.join(', '))} FROM unnest(${sql.join(arrays)}) AS u(${sql.raw(inputNames.join(', '))})`.execute(db);
  }
  return rowCount;
}

/** Moves a table's identity sequence past the ids written with OVERRIDING SYSTEM VALUE. */
export async function resyncIdentity(db: Kysely<Database>, table: string): Promise<void> {
  await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM ${sql.raw(table)}), false)`.execute(db);
}

/** Highest id of a table (0 when empty): generated ids start after it. */
export async function maxId(db: Kysely<Database>, table: string): Promise<number> {
  const result = await sql<{ max: number }>`SELECT COALESCE(max(id), 0)::int8 AS max FROM ${sql.raw(table)}`.execute(db);
  return result.rows[0]?.max ?? 0;
}
