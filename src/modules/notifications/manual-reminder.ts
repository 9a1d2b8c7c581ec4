/**
 * « Renvoyer le rappel » (issue 9 part 5): an agent plans the reminder again, now, for the
 * participants of a future, non-cancelled appointment. At most one manual resend per appointment
 * per 10 minutes: the check and the insert run under a lock on the appointment's row, so
 * simultaneous clicks plan one resend. Journaled in the audit log in the same transaction.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/schema.js';
import { isNotifiable, userRecipients, type ParticipantFacts, type ReachableUser } from './domain/recipients.js';
import { manualReminderKeyPrefix } from './notifications.queries.js';
import { findAppointmentsForNotification, findParticipationsOf, findUserContacts, insertNotifications, type NewNotification } from './notifications.repository.js';
import { reachability } from './planning.js';

/** Minimum time between two manual resends of one appointment's reminder. */
export const MANUAL_REMINDER_INTERVAL_MINUTES = 10;

export type ManualReminderResult =
  | { readonly ok: true; readonly notifications: number }
  | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'CANCELLED' | 'STARTED' | 'NOT_NOTIFIED' | 'TOO_SOON' | 'NO_RECIPIENT' };

const CANCELLED_STATUSES = new Set(['excused', 'revoked']);

/** Plans a reminder now for each reachable participant (e-mail and SMS, by their preferences and flags). */
export async function planManualReminder(
  db: Kysely<Database>,
  input: { readonly appointmentId: number; readonly agentId: number; readonly now: Date },
): Promise<ManualReminderResult> {
  return db.transaction().execute(async (trx) => {
    // Serialises the resends of this appointment: the check below and the insert are one step.
    const locked = await sql<{ id: number }>`SELECT id FROM appointments WHERE id = ${input.appointmentId} FOR UPDATE`.execute(trx);
    if (locked.rows.length === 0) return { ok: false, reason: 'NOT_FOUND' };
    const appointment = (await findAppointmentsForNotification(trx, [input.appointmentId])).get(input.appointmentId);
    if (appointment === undefined) return { ok: false, reason: 'NOT_FOUND' };
    if (appointment.cancelled) return { ok: false, reason: 'CANCELLED' };
    if (appointment.startsAt.getTime() <= input.now.getTime()) return { ok: false, reason: 'STARTED' };
    if (!isNotifiable({ visibility: appointment.visibility, startsAt: appointment.startsAt, now: input.now })) return { ok: false, reason: 'NOT_NOTIFIED' };

    const since = new Date(input.now.getTime() - MANUAL_REMINDER_INTERVAL_MINUTES * 60_000);
    const recent = await sql<{ id: number }>`
      SELECT id FROM notifications
       WHERE appointment_id = ${input.appointmentId}
         AND idempotency_key LIKE ${`${manualReminderKeyPrefix(input.appointmentId)}%`}
         AND (details->>'requestedAt')::timestamptz > ${since}
       LIMIT 1`.execute(trx);
    if (recent.rows.length > 0) return { ok: false, reason: 'TOO_SOON' };

    const participations = await findParticipationsOf(trx, [appointment.id]);
    const contacts = await findUserContacts(trx, participations.map((participation) => participation.responsibleId ?? participation.userId));
    const reachable = new Map<number, ReachableUser>();
    for (const contact of contacts.values()) reachable.set(contact.userId, reachability(contact));
    const participants: ParticipantFacts[] = participations.map((participation) => ({
      participationId: participation.participationId,
      userId: participation.userId,
      recipientUserId: participation.responsibleId ?? participation.userId,
      active: !CANCELLED_STATUSES.has(participation.status),
      sendLifecycleNotifications: participation.sendLifecycleNotifications,
      sendReminderNotification: participation.sendReminderNotification,
    }));
    const recipients = userRecipients({ event: 'reminder', participants, reachable, cancelledByUser: false });
    if (recipients.length === 0) return { ok: false, reason: 'NO_RECIPIENT' };

    const batch = randomBytes(9).toString('base64url');
    const rows: NewNotification[] = recipients.map((recipient) => ({
      idempotencyKey: `${manualReminderKeyPrefix(appointment.id)}${batch}:u${String(recipient.userId)}:${recipient.channel}`,
      event: 'reminder',
      channel: recipient.channel,
      appointmentId: appointment.id,
      userId: recipient.userId,
      agentId: null,
      territoryId: appointment.territoryId,
      outboxEventId: null,
      // `startsAt`: delivery sends a reminder only for the start it was planned for.
      details: { startsAt: appointment.startsAt.toISOString(), manual: true, requestedAt: input.now.toISOString(), requestedByAgentId: input.agentId },
      notBefore: input.now,
      notAfter: appointment.startsAt,
    }));
    const inserted = await insertNotifications(trx, rows);
    await insertAuditEntry(trx, {
      actor: { type: 'agent', agentId: input.agentId },
      action: 'create',
      subjectType: 'appointment',
      subjectId: appointment.id,
      territoryId: appointment.territoryId,
      details: { change: 'manual_reminder', notifications: inserted },
    });
    return { ok: true, notifications: inserted };
  });
}
