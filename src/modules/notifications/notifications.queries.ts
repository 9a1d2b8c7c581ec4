/**
 * Reads of the notifications an agent sees on an appointment's page: the receipts (one per
 * attempt, plus the providers' delivery reports) and the messages still to send or left in doubt.
 * The caller has already checked that the agent may see the appointment; these reads only ever
 * look at that appointment's rows. Recipients are named (usager's or agent's name), never shown by
 * their address or number.
 */
import type { Kysely } from 'kysely';
import type { Database, NotificationChannel, NotificationEvent } from '../../platform/db/schema.js';

/** At most this many receipts on a page (the most recent ones). */
const MAX_RECEIPTS = 200;
const MAX_UPCOMING = 50;

export type ReceiptResult = 'processed' | 'sent' | 'delivered' | 'failure';

export interface AppointmentReceiptView {
  readonly id: number;
  readonly at: Date;
  readonly channel: NotificationChannel;
  readonly event: NotificationEvent | 'other';
  /** "Prénom Nom" of the usager or agent; null when the person was deleted. */
  readonly recipientName: string | null;
  readonly recipientKind: 'user' | 'agent' | null;
  readonly provider: string | null;
  readonly segments: number | null;
  readonly result: ReceiptResult;
  readonly error: string | null;
}

export interface UpcomingNotificationView {
  readonly id: number;
  readonly channel: NotificationChannel;
  readonly event: NotificationEvent;
  readonly recipientName: string | null;
  readonly recipientKind: 'user' | 'agent' | null;
  readonly status: 'pending' | 'sending' | 'in_doubt';
  /** Not sent before this instant. */
  readonly notBefore: Date;
  readonly manual: boolean;
}

export interface AppointmentNotificationsView {
  readonly receipts: readonly AppointmentReceiptView[];
  readonly upcoming: readonly UpcomingNotificationView[];
  /** The most recent manual resend of the reminder, if any. */
  readonly lastManualReminderAt: Date | null;
}

function nameOf(first: string | null, last: string | null): string | null {
  if (first === null && last === null) return null;
  return `${first ?? ''} ${last ?? ''}`.trim();
}

function kindOf(userId: number | null, agentId: number | null): 'user' | 'agent' | null {
  if (userId !== null) return 'user';
  return agentId !== null ? 'agent' : null;
}

function manualRequestedAt(details: unknown): Date | null {
  const value = typeof details === 'string' ? (JSON.parse(details) as unknown) : details;
  if (typeof value !== 'object' || value === null) return null;
  const requestedAt = (value as Record<string, unknown>).requestedAt;
  if (typeof requestedAt !== 'string') return null;
  const date = new Date(requestedAt);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The receipts and the pending or in-doubt notifications of one appointment, oldest first. */
export async function listAppointmentNotifications(db: Kysely<Database>, appointmentId: number): Promise<AppointmentNotificationsView> {
  const receipts = await db
    .selectFrom('notification_receipts as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .leftJoin('agents as g', 'g.id', 'r.agent_id')
    .select(['r.id', 'r.created_at', 'r.channel', 'r.event', 'r.user_id', 'r.agent_id', 'r.provider', 'r.segments', 'r.result', 'r.error'])
    .select(['u.first_name as user_first_name', 'u.last_name as user_last_name', 'g.first_name as agent_first_name', 'g.last_name as agent_last_name'])
    .where('r.appointment_id', '=', appointmentId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(MAX_RECEIPTS)
    .execute();
  const upcoming = await db
    .selectFrom('notifications as n')
    .leftJoin('users as u', 'u.id', 'n.user_id')
    .leftJoin('agents as g', 'g.id', 'n.agent_id')
    .select(['n.id', 'n.channel', 'n.event', 'n.user_id', 'n.agent_id', 'n.status', 'n.not_before', 'n.idempotency_key'])
    .select(['u.first_name as user_first_name', 'u.last_name as user_last_name', 'g.first_name as agent_first_name', 'g.last_name as agent_last_name'])
    .where('n.appointment_id', '=', appointmentId)
    .where('n.status', 'in', ['pending', 'sending', 'in_doubt'])
    .orderBy('n.not_before')
    .orderBy('n.id')
    .limit(MAX_UPCOMING)
    .execute();
  const lastManual = await db
    .selectFrom('notifications')
    .select(['details'])
    .where('appointment_id', '=', appointmentId)
    .where('idempotency_key', 'like', `${manualReminderKeyPrefix(appointmentId)}%`)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    receipts: receipts.reverse().map((row) => ({
      id: row.id,
      at: new Date(row.created_at),
      channel: row.channel,
      event: row.event,
      recipientName: row.user_id !== null ? nameOf(row.user_first_name, row.user_last_name) : nameOf(row.agent_first_name, row.agent_last_name),
      recipientKind: kindOf(row.user_id, row.agent_id),
      provider: row.provider,
      segments: row.segments,
      result: row.result,
      error: row.error,
    })),
    upcoming: upcoming.flatMap((row) =>
      row.status === 'pending' || row.status === 'sending' || row.status === 'in_doubt'
        ? [
            {
              id: row.id,
              channel: row.channel,
              event: row.event,
              recipientName: row.user_id !== null ? nameOf(row.user_first_name, row.user_last_name) : nameOf(row.agent_first_name, row.agent_last_name),
              recipientKind: kindOf(row.user_id, row.agent_id),
              status: row.status,
              notBefore: new Date(row.not_before),
              manual: row.idempotency_key.startsWith('reminder-manual:'),
            },
          ]
        : [],
    ),
    lastManualReminderAt: lastManual === undefined ? null : manualRequestedAt(lastManual.details),
  };
}

/** The prefix of the idempotency keys of an appointment's manual reminders. */
export function manualReminderKeyPrefix(appointmentId: number): string {
  return `reminder-manual:${String(appointmentId)}:`;
}
