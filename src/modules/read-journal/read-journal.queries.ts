// Reads of the read journal page (issue 10 §2): a territory's entries, newest first, filtered by
// agent, usager and period; the territory's agents for the filter; the names of the usagers an
// admin may see. The journal holds ids only: names are joined here, at reading time.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, ReadJournalKind } from '../../platform/db/schema.js';
import { JOURNAL_PAGE_SIZE, type JournalFilters } from './domain/journal-filters.js';

export interface JournalRow {
  readonly id: number;
  readonly occurredAt: Date;
  readonly agentId: number;
  readonly agentName: string;
  readonly organisationId: number | null;
  readonly organisationName: string | null;
  readonly kind: ReadJournalKind;
  readonly userIds: readonly number[];
  readonly reason: string | null;
  /** Ids and counts only (a search's number of results, an export's id, a merge's purpose). */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface JournalPage {
  readonly rows: readonly JournalRow[];
  readonly hasNext: boolean;
}

/** One page of the territory's journal (offset pagination: at most JOURNAL_MAX_PAGE pages). */
export async function listJournal(db: Kysely<Database>, territoryId: number, filters: JournalFilters): Promise<JournalPage> {
  let query = db
    .selectFrom('read_journal as j')
    .innerJoin('agents as g', 'g.id', 'j.agent_id')
    .leftJoin('organisations as o', 'o.id', 'j.organisation_id')
    .select(['j.id', 'j.occurred_at', 'j.agent_id', 'g.first_name', 'g.last_name', 'j.organisation_id', 'o.name as organisation_name', 'j.kind', 'j.user_ids', 'j.reason', 'j.details'])
    .where('j.territory_id', '=', territoryId);
  if (filters.agentId !== undefined) query = query.where('j.agent_id', '=', filters.agentId);
  // `@>` on the array: the GIN index read_journal_user_ids_idx answers it.
  if (filters.userId !== undefined) query = query.where(sql<boolean>`j.user_ids @> ARRAY[${filters.userId}]::bigint[]`);
  if (filters.from !== undefined) query = query.where('j.occurred_at', '>=', filters.from);
  if (filters.to !== undefined) query = query.where('j.occurred_at', '<', filters.to);
  const found = await query
    .orderBy('j.occurred_at', 'desc')
    .orderBy('j.id', 'desc')
    .limit(JOURNAL_PAGE_SIZE + 1)
    .offset((filters.page - 1) * JOURNAL_PAGE_SIZE)
    .execute();
  const rows = found.slice(0, JOURNAL_PAGE_SIZE).map(
    (row): JournalRow => ({
      id: row.id,
      occurredAt: new Date(row.occurred_at),
      agentId: row.agent_id,
      agentName: `${row.first_name} ${row.last_name}`,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      kind: row.kind,
      userIds: row.user_ids.map(Number),
      reason: row.reason,
      details: typeof row.details === 'object' && row.details !== null ? (row.details as Record<string, unknown>) : {},
    }),
  );
  return { rows, hasNext: found.length > JOURNAL_PAGE_SIZE };
}

export interface TerritoryAgent {
  readonly id: number;
  readonly name: string;
}

/** The agents who hold a role in an organisation of the territory, by name (the agent filter's list). */
export async function listTerritoryAgents(db: Kysely<Database>, territoryId: number): Promise<TerritoryAgent[]> {
  const rows = await db
    .selectFrom('agents as g')
    .select(['g.id', 'g.first_name', 'g.last_name'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('agent_roles as r')
          .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
          .select('r.agent_id')
          .whereRef('r.agent_id', '=', 'g.id')
          .where('o.territory_id', '=', territoryId),
      ),
    )
    .orderBy('g.last_name')
    .orderBy('g.first_name')
    .orderBy('g.id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: `${row.first_name} ${row.last_name}` }));
}

/** « Prénom Nom » of those of the ids that satisfy the condition (the admin's scope, on `users as u`). */
export async function visibleUserNames(db: Kysely<Database>, condition: Expression<SqlBool>, userIds: readonly number[]): Promise<Map<number, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.first_name', 'u.last_name'])
    .where('u.id', 'in', [...new Set(userIds)])
    .where(condition)
    .execute();
  return new Map(rows.map((row) => [row.id, `${row.first_name} ${row.last_name}`]));
}
