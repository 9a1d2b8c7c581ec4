/**
 * Audit entries of the notifications admin pages. platform/audit's `AuditEntry` names the
 * subjects of the appointments core only; these pages audit notifications and territory
 * settings, written the same way (same table, same columns, ids and statuses only).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export interface AdminAuditEntry {
  readonly agentId: number;
  readonly action: 'create' | 'update';
  readonly subjectType: 'notification' | 'territory_notification_settings' | 'territory_sms_test';
  readonly subjectId: number;
  readonly territoryId: number;
  /** Ids, statuses, provider names and field names only: never a credential, an address or a number. */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/** Appends one entry, in the caller's transaction. */
export async function insertAuditEntryRow(db: Kysely<Database>, entry: AdminAuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: 'agent',
      actor_id: entry.agentId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      territory_id: entry.territoryId,
      details: JSON.stringify(entry.details),
    })
    .execute();
}
