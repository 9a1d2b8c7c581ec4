import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export interface TerritorySummary {
  departementNumber: string;
  name: string;
  organisationCount: number;
}

/** Territories served by this instance, with their number of organisations. */
export async function listTerritorySummaries(db: Kysely<Database>): Promise<TerritorySummary[]> {
  const rows = await db
    .selectFrom('territories as t')
    .leftJoin('organisations as o', 'o.territory_id', 't.id')
    .select(({ fn }) => ['t.departement_number', 't.name', fn.count<number>('o.id').as('organisation_count')])
    .groupBy(['t.id', 't.departement_number', 't.name'])
    .orderBy('t.departement_number')
    .execute();
  return rows.map((row) => ({
    departementNumber: row.departement_number,
    name: row.name,
    organisationCount: row.organisation_count,
  }));
}
