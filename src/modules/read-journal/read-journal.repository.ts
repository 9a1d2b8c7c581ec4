import { sql, type Kysely } from 'kysely';
import type { Database, ReadJournalKind } from '../../platform/db/schema.js';

/** One reading of usagers' records by an agent: what the journal keeps (ids, never names). */
export interface ReadJournalEntry {
  readonly territoryId: number;
  readonly organisationId: number | null;
  readonly agentId: number;
  readonly kind: ReadJournalKind;
  /** The usagers whose records were shown or exported. */
  readonly userIds: readonly number[];
  /** Why, when the territory asks for a reason. */
  readonly reason?: string | null;
  /** Ids and counts only: an export's id, a search's number of results. Never search text. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * Appends one entry. Call it in the transaction that reads (or queues the export), so that no
 * record is shown without its line in the journal.
 */
export async function recordRead(db: Kysely<Database>, entry: ReadJournalEntry, at?: Date): Promise<void> {
  await db
    .insertInto('read_journal')
    .values({
      ...(at === undefined ? {} : { occurred_at: at }),
      territory_id: entry.territoryId,
      organisation_id: entry.organisationId,
      agent_id: entry.agentId,
      kind: entry.kind,
      user_ids: [...new Set(entry.userIds)],
      reason: entry.reason ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/**
 * Deletes the entries older than `before`, the only deletion the append-only trigger lets through
 * (it reads `creneau.read_journal_purge` for this transaction only). Returns how many went.
 */
export async function purgeReadJournal(db: Kysely<Database>, before: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('creneau.read_journal_purge', 'on', true)`.execute(trx);
    const result = await trx.deleteFrom('read_journal').where('occurred_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}
