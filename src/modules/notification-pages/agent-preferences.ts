/**
 * The agent's notification level for appointments (`agents.notification_level`): all changes,
 * changes made by others (the default), others' changes happening today or tomorrow, nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { type AgentNotificationLevel } from '../notifications/index.js';

export const AGENT_NOTIFICATION_LEVELS: readonly AgentNotificationLevel[] = ['all', 'others', 'soon', 'none'];

/** The agent's level; `others` for an agent that does not exist (the column's default). */
export async function findAgentNotificationLevel(db: Kysely<Database>, agentId: number): Promise<AgentNotificationLevel> {
  const row = await db.selectFrom('agents').select('notification_level').where('id', '=', agentId).executeTakeFirst();
  return row?.notification_level ?? 'others';
}

/** Sets the agent's level; returns whether it changed. */
export async function saveAgentNotificationLevel(db: Kysely<Database>, agentId: number, level: AgentNotificationLevel): Promise<boolean> {
  const result = await db.updateTable('agents').set({ notification_level: level }).where('id', '=', agentId).where('notification_level', '<>', level).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
