/**
 * The audit log (table audit_log): who changed what, and when. Every command of every module
 * writes its entry in the same transaction as the change. The actor is anyone who can act on the
 * platform: a usager, a prescripteur (no account), an agent, an API client or the system (jobs).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Who acted. Ids are internal ids; a prescripteur has none (their identity is in the details). */
export type Actor =
  | { readonly type: 'user'; readonly userId: number }
  | { readonly type: 'prescripteur' }
  | { readonly type: 'agent'; readonly agentId: number }
  | { readonly type: 'api_client'; readonly clientId: number }
  | { readonly type: 'system' };

/** The actor as stored: its kind and its id (null for a prescripteur or the system). */
export function actorColumns(actor: Actor): { actorType: Actor['type']; actorId: number | null } {
  switch (actor.type) {
    case 'user':
      return { actorType: 'user', actorId: actor.userId };
    case 'agent':
      return { actorType: 'agent', actorId: actor.agentId };
    case 'api_client':
      return { actorType: 'api_client', actorId: actor.clientId };
    case 'prescripteur':
    case 'system':
      return { actorType: actor.type, actorId: null };
  }
}

export interface AuditEntry {
  readonly actor: Actor;
  readonly action: 'create' | 'update' | 'delete' | 'read';
  readonly subjectType: 'territory' | 'appointment' | 'participation' | 'user' | 'opening_period' | 'absence' | 'notification' | 'territory_notification_settings' | 'territory_sms_test' | 'organisation' | 'place' | 'appointment_type' | 'sector' | 'zone' | 'sector_attribution';
  readonly subjectId: number;
  readonly territoryId: number | null;
  /** Ids, statuses and instants only: no names, contact details or motif. */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/** Appends one entry, in the caller's transaction. */
export async function insertAuditEntry(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  const { actorType, actorId } = actorColumns(entry.actor);
  await db
    .insertInto('audit_log')
    .values({
      actor_type: actorType,
      actor_id: actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      territory_id: entry.territoryId,
      details: JSON.stringify(entry.details),
    })
    .execute();
}
