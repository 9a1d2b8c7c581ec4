// SQL of the notifications module. Functions take the handle or transaction they run in.
import { sql, type Kysely } from 'kysely';
import type { Database, NotificationChannel, NotificationEvent, NotificationStatus, SmsProviderName } from '../../platform/db/schema.js';
import type { AgentNotificationLevel, Visibility } from './domain/recipients.js';
import type { LocationType } from './domain/message-facts.js';

export type NotificationsDb = Kysely<Database>;

// ---------------------------------------------------------------------------------------------
// Appointments, as the messages describe them
// ---------------------------------------------------------------------------------------------

export interface AppointmentForNotification {
  readonly id: number;
  readonly publicId: string;
  readonly organisationId: number;
  readonly territoryId: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly status: string;
  readonly cancelled: boolean;
  readonly revision: number;
  readonly isCollective: boolean;
  readonly title: string | null;
  readonly updatedAt: Date;
  readonly visibility: Visibility;
  readonly locationType: LocationType;
  readonly reminderOffsetsMinutes: readonly number[];
  readonly motifName: string;
  readonly instructions: string | null;
  readonly serviceShortName: string;
  readonly organisationName: string;
  readonly organisationPhone: string | null;
  readonly place: { readonly name: string; readonly address: string } | null;
  readonly placeId: number | null;
  readonly agentIds: readonly number[];
}

interface AppointmentSqlRow {
  id: number;
  public_id: string;
  organisation_id: number;
  territory_id: number;
  starts_at: Date | string;
  ends_at: Date | string;
  time_zone: string;
  status: string;
  revision: number;
  is_collective: boolean;
  name: string | null;
  updated_at: Date | string;
  visibility: Visibility;
  location_type: LocationType;
  reminder_offsets_minutes: number[];
  motif_name: string;
  instruction_for_booking: string | null;
  service_short_name: string;
  organisation_name: string;
  organisation_phone: string | null;
  place_id: number | null;
  place_name: string | null;
  place_address: string | null;
  agent_ids: number[] | null;
}

/** The appointments with everything a message about them says; unknown ids are left out. */
export async function findAppointmentsForNotification(db: NotificationsDb, ids: readonly number[]): Promise<Map<number, AppointmentForNotification>> {
  const found = new Map<number, AppointmentForNotification>();
  if (ids.length === 0) return found;
  const result = await sql<AppointmentSqlRow>`
    SELECT a.id, a.public_id, a.organisation_id, o.territory_id, lower(a.during) AS starts_at, upper(a.during) AS ends_at,
           a.time_zone, a.status, a.revision, a.is_collective, a.name, a.updated_at,
           t.visibility, t.location_type, t.reminder_offsets_minutes, t.name AS motif_name, t.instruction_for_booking,
           s.short_name AS service_short_name, o.name AS organisation_name, o.phone_number AS organisation_phone,
           a.place_id, p.name AS place_name, p.address AS place_address,
           (SELECT array_agg(aa.agent_id ORDER BY aa.agent_id) FROM appointment_agents aa WHERE aa.appointment_id = a.id) AS agent_ids
      FROM appointments a
      JOIN appointment_types t ON t.id = a.appointment_type_id
      JOIN services s ON s.id = t.service_id
      JOIN organisations o ON o.id = a.organisation_id
      LEFT JOIN places p ON p.id = a.place_id
     WHERE a.id IN (${sql.join([...new Set(ids)])})`.execute(db);
  for (const row of result.rows) {
    found.set(row.id, {
      id: row.id,
      publicId: row.public_id,
      organisationId: row.organisation_id,
      territoryId: row.territory_id,
      startsAt: new Date(row.starts_at),
      endsAt: new Date(row.ends_at),
      timeZone: row.time_zone,
      status: row.status,
      cancelled: row.status === 'excused' || row.status === 'revoked',
      revision: row.revision,
      isCollective: row.is_collective,
      title: row.name,
      updatedAt: new Date(row.updated_at),
      visibility: row.visibility,
      locationType: row.location_type,
      reminderOffsetsMinutes: row.reminder_offsets_minutes,
      motifName: row.motif_name,
      instructions: row.instruction_for_booking,
      serviceShortName: row.service_short_name,
      organisationName: row.organisation_name,
      organisationPhone: row.organisation_phone,
      placeId: row.place_id === null ? null : row.place_id,
      place: row.place_name === null ? null : { name: row.place_name, address: row.place_address ?? '' },
      agentIds: (row.agent_ids ?? []).map(Number),
    });
  }
  return found;
}

export interface ParticipationForNotification {
  readonly participationId: number;
  readonly appointmentId: number;
  readonly userId: number;
  readonly responsibleId: number | null;
  readonly firstName: string;
  readonly status: string;
  readonly sendLifecycleNotifications: boolean;
  readonly sendReminderNotification: boolean;
}

export async function findParticipationsOf(db: NotificationsDb, appointmentIds: readonly number[]): Promise<ParticipationForNotification[]> {
  if (appointmentIds.length === 0) return [];
  const rows = await db
    .selectFrom('participations as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.id', 'p.appointment_id', 'p.user_id', 'u.responsible_id', 'u.first_name', 'p.status', 'p.send_lifecycle_notifications', 'p.send_reminder_notification'])
    .where('p.appointment_id', 'in', [...new Set(appointmentIds)])
    .orderBy('p.id')
    .execute();
  return rows.map((row) => ({
    participationId: row.id,
    appointmentId: row.appointment_id,
    userId: row.user_id,
    responsibleId: row.responsible_id === null ? null : row.responsible_id,
    firstName: row.first_name,
    status: row.status,
    sendLifecycleNotifications: row.send_lifecycle_notifications,
    sendReminderNotification: row.send_reminder_notification,
  }));
}

export interface UserContact {
  readonly userId: number;
  readonly firstName: string;
  readonly email: string | null;
  readonly phoneE164: string | null;
  readonly notifyByEmail: boolean;
  readonly notifyBySms: boolean;
  readonly deleted: boolean;
}

export async function findUserContacts(db: NotificationsDb, userIds: readonly number[]): Promise<Map<number, UserContact>> {
  const found = new Map<number, UserContact>();
  if (userIds.length === 0) return found;
  const rows = await db
    .selectFrom('users')
    .select(['id', 'first_name', 'email', 'phone_number_e164', 'notify_by_email', 'notify_by_sms', 'deleted_at'])
    .where('id', 'in', [...new Set(userIds)])
    .execute();
  for (const row of rows) {
    found.set(row.id, {
      userId: row.id,
      firstName: row.first_name,
      email: row.email,
      phoneE164: row.phone_number_e164,
      notifyByEmail: row.notify_by_email,
      notifyBySms: row.notify_by_sms,
      deleted: row.deleted_at !== null,
    });
  }
  return found;
}

export interface AgentContact {
  readonly agentId: number;
  readonly displayName: string;
  readonly email: string | null;
  readonly level: AgentNotificationLevel;
  readonly active: boolean;
}

export async function findAgentContacts(db: NotificationsDb, agentIds: readonly number[]): Promise<Map<number, AgentContact>> {
  const found = new Map<number, AgentContact>();
  if (agentIds.length === 0) return found;
  const rows = await db
    .selectFrom('agents')
    .select(['id', 'first_name', 'last_name', 'email', 'notification_level', 'deleted_at'])
    .where('id', 'in', [...new Set(agentIds)])
    .execute();
  for (const row of rows) {
    found.set(row.id, {
      agentId: row.id,
      displayName: `${row.first_name} ${row.last_name}`.trim(),
      email: row.email,
      level: row.notification_level,
      active: row.deleted_at === null,
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Outbox
// ---------------------------------------------------------------------------------------------

export interface OutboxRow {
  readonly id: number;
  readonly topic: string;
  readonly appointmentId: number;
  readonly payload: unknown;
  readonly createdAt: Date;
}

/** The oldest unprocessed outbox events, locked for this transaction (other workers skip them). */
export async function claimOutboxEvents(db: NotificationsDb, limit: number): Promise<OutboxRow[]> {
  const result = await sql<{ id: number; topic: string; aggregate_id: number; payload: unknown; created_at: Date | string }>`
    SELECT id, topic, aggregate_id, payload, created_at FROM outbox_events
     WHERE processed_at IS NULL AND topic LIKE 'appointment.%'
     ORDER BY id LIMIT ${limit}
     FOR UPDATE SKIP LOCKED`.execute(db);
  return result.rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    appointmentId: row.aggregate_id,
    payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as unknown) : row.payload,
    createdAt: new Date(row.created_at),
  }));
}

export async function markOutboxProcessed(db: NotificationsDb, ids: readonly number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('outbox_events').set({ processed_at: now }).where('id', 'in', [...ids]).execute();
}

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

export interface NewNotification {
  readonly idempotencyKey: string;
  readonly event: NotificationEvent;
  readonly channel: NotificationChannel;
  readonly appointmentId: number | null;
  readonly userId: number | null;
  readonly agentId: number | null;
  readonly territoryId: number | null;
  readonly outboxEventId: number | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly contentEncrypted?: string | null;
  readonly notBefore: Date;
  readonly notAfter: Date | null;
}

function toInsertRow(notification: NewNotification) {
  return {
    idempotency_key: notification.idempotencyKey,
    event: notification.event,
    channel: notification.channel,
    appointment_id: notification.appointmentId,
    user_id: notification.userId,
    agent_id: notification.agentId,
    territory_id: notification.territoryId,
    outbox_event_id: notification.outboxEventId,
    details: JSON.stringify(notification.details),
    content_encrypted: notification.contentEncrypted ?? null,
    not_before: notification.notBefore,
    not_after: notification.notAfter,
  };
}

/** Inserts the notifications whose key is new; a key seen before is left as it is. Returns how many were new. */
export async function insertNotifications(db: NotificationsDb, notifications: readonly NewNotification[]): Promise<number> {
  if (notifications.length === 0) return 0;
  const inserted = await db
    .insertInto('notifications')
    .values(notifications.map(toInsertRow))
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/**
 * Reminders: a key seen before is planned again if it had been cancelled (an appointment moved
 * away and back to the same time gets its reminder back).
 */
export async function upsertReminders(db: NotificationsDb, reminders: readonly NewNotification[]): Promise<number> {
  if (reminders.length === 0) return 0;
  const inserted = await db
    .insertInto('notifications')
    .values(reminders.map(toInsertRow))
    .onConflict((oc) =>
      oc
        .column('idempotency_key')
        .doUpdateSet((eb) => ({ status: 'pending', not_before: eb.ref('excluded.not_before'), not_after: eb.ref('excluded.not_after'), attempts: 0, last_error: null }))
        .where('notifications.status', '=', 'cancelled'),
    )
    .returning('id')
    .execute();
  return inserted.length;
}

/** Cancels the pending reminders of an appointment (all, or those of some usagers) except the given keys. */
export async function cancelPendingReminders(
  db: NotificationsDb,
  appointmentId: number,
  options: { readonly keep: readonly string[]; readonly userIds?: readonly number[] },
): Promise<number> {
  let query = db
    .updateTable('notifications')
    .set({ status: 'cancelled', last_error: 'rendez-vous modifié ou annulé' })
    .where('appointment_id', '=', appointmentId)
    .where('event', '=', 'reminder')
    // Planned reminders only: one an agent resent by hand stands (delivery skips it if the appointment moved).
    .where('idempotency_key', 'like', 'reminder:%')
    .where('status', '=', 'pending');
  if (options.keep.length > 0) query = query.where('idempotency_key', 'not in', [...options.keep]);
  if (options.userIds !== undefined) {
    if (options.userIds.length === 0) return 0;
    query = query.where('user_id', 'in', [...options.userIds]);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface ClaimedNotification {
  readonly id: number;
  readonly idempotencyKey: string;
  readonly event: NotificationEvent;
  readonly channel: NotificationChannel;
  readonly appointmentId: number | null;
  readonly userId: number | null;
  readonly agentId: number | null;
  readonly territoryId: number | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly contentEncrypted: string | null;
  readonly attempts: number;
  readonly notAfter: Date | null;
}

interface NotificationSqlRow {
  id: number;
  idempotency_key: string;
  event: NotificationEvent;
  channel: NotificationChannel;
  appointment_id: number | null;
  user_id: number | null;
  agent_id: number | null;
  territory_id: number | null;
  details: unknown;
  content_encrypted: string | null;
  attempts: number;
  not_after: Date | string | null;
}

function toClaimed(row: NotificationSqlRow): ClaimedNotification {
  const details = typeof row.details === 'string' ? (JSON.parse(row.details) as unknown) : row.details;
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    event: row.event,
    channel: row.channel,
    appointmentId: row.appointment_id === null ? null : row.appointment_id,
    userId: row.user_id === null ? null : row.user_id,
    agentId: row.agent_id === null ? null : row.agent_id,
    territoryId: row.territory_id === null ? null : row.territory_id,
    details: typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {},
    contentEncrypted: row.content_encrypted,
    attempts: row.attempts,
    notAfter: row.not_after === null ? null : new Date(row.not_after),
  };
}

/**
 * Takes up to `limit` due notifications for this worker: they become `sending` (committed before
 * anything is sent, so that a crash leaves a trace) with a lease; other workers skip them.
 */
export async function claimDueNotifications(
  db: NotificationsDb,
  options: { readonly now: Date; readonly limit: number; readonly leaseSeconds: number; readonly ids?: readonly number[] },
): Promise<ClaimedNotification[]> {
  const only = options.ids === undefined ? sql`` : sql`AND id IN (${sql.join(options.ids.length === 0 ? [0] : [...options.ids])})`;
  const result = await sql<NotificationSqlRow>`
    UPDATE notifications
       SET status = 'sending', attempts = attempts + 1,
           locked_until = ${new Date(options.now.getTime() + options.leaseSeconds * 1000)}
     WHERE id IN (
       SELECT id FROM notifications
        WHERE status = 'pending' AND not_before <= ${options.now} ${only}
        ORDER BY not_before, id
        LIMIT ${options.limit}
          FOR UPDATE SKIP LOCKED)
    RETURNING id, idempotency_key, event, channel, appointment_id, user_id, agent_id, territory_id, details,
              content_encrypted, attempts, not_after`.execute(db);
  return result.rows.map(toClaimed).sort((a, b) => a.id - b.id);
}

export interface NotificationOutcome {
  readonly id: number;
  readonly status: Exclude<NotificationStatus, 'sending'>;
  readonly notBefore?: Date;
  readonly lastError: string | null;
  /** Account e-mails: forget the message once sent or given up. */
  readonly forgetContent: boolean;
}

export async function recordOutcomes(db: NotificationsDb, outcomes: readonly NotificationOutcome[], now: Date): Promise<void> {
  // The common case in one statement: sent, nothing to remember.
  const sent = outcomes.filter((outcome) => outcome.status === 'sent' && outcome.notBefore === undefined);
  if (sent.length > 0) {
    await db
      .updateTable('notifications')
      .set({ status: 'sent', locked_until: null, last_error: null, sent_at: now, content_encrypted: null })
      .where('id', 'in', sent.map((outcome) => outcome.id))
      .where('status', '=', 'sending')
      .execute();
  }
  for (const outcome of outcomes) {
    if (sent.includes(outcome)) continue;
    await db
      .updateTable('notifications')
      .set({
        status: outcome.status,
        locked_until: null,
        last_error: outcome.lastError,
        ...(outcome.status === 'sent' ? { sent_at: now } : {}),
        ...(outcome.notBefore === undefined ? {} : { not_before: outcome.notBefore }),
        ...(outcome.forgetContent ? { content_encrypted: null } : {}),
      })
      .where('id', '=', outcome.id)
      .where('status', '=', 'sending')
      .execute();
  }
}

export interface NewReceipt {
  readonly notificationId: number | null;
  readonly appointmentId: number | null;
  readonly userId: number | null;
  readonly agentId: number | null;
  readonly territoryId: number | null;
  readonly channel: NotificationChannel;
  readonly event: NotificationEvent;
  readonly result: 'processed' | 'sent' | 'delivered' | 'failure';
  readonly provider: string | null;
  readonly providerMessageId: string | null;
  readonly error: string | null;
  readonly attempt: number | null;
  readonly segments: number | null;
  readonly reference: string | null;
  readonly createdAt: Date;
}

/** Writes receipts; a delivery report already recorded (same provider, message and outcome) is skipped. */
export async function insertReceipts(db: NotificationsDb, receipts: readonly NewReceipt[]): Promise<number> {
  if (receipts.length === 0) return 0;
  const inserted = await db
    .insertInto('notification_receipts')
    .values(
      receipts.map((receipt) => ({
        notification_id: receipt.notificationId,
        appointment_id: receipt.appointmentId,
        user_id: receipt.userId,
        agent_id: receipt.agentId,
        territory_id: receipt.territoryId,
        channel: receipt.channel,
        event: receipt.event,
        result: receipt.result,
        provider: receipt.provider,
        provider_message_id: receipt.providerMessageId,
        error: receipt.error,
        attempt: receipt.attempt,
        segments: receipt.segments,
        reference: receipt.reference,
        created_at: receipt.createdAt,
      })),
    )
    .onConflict((oc) => oc.columns(['provider', 'provider_message_id', 'result']).where('provider_message_id', 'is not', null).where('result', 'in', ['delivered', 'failure']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/** Leases that ran out: the worker that held them stopped while sending. */
export async function findExpiredLeases(db: NotificationsDb, now: Date, limit: number): Promise<{ id: number; channel: NotificationChannel; attempts: number; territoryId: number | null }[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'channel', 'attempts', 'territory_id'])
    .where('status', '=', 'sending')
    .where('locked_until', '<', now)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, channel: row.channel, attempts: row.attempts, territoryId: row.territory_id === null ? null : row.territory_id }));
}

export async function setStatus(
  db: NotificationsDb,
  ids: readonly number[],
  from: readonly NotificationStatus[],
  to: NotificationStatus,
  options: { readonly lastError?: string | null; readonly notBefore?: Date; readonly sentAt?: Date } = {},
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('notifications')
    .set({
      status: to,
      locked_until: null,
      ...(options.lastError === undefined ? {} : { last_error: options.lastError }),
      ...(options.notBefore === undefined ? {} : { not_before: options.notBefore }),
      ...(options.sentAt === undefined ? {} : { sent_at: options.sentAt }),
    })
    .where('id', 'in', [...ids])
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The notifications whose current attempt was quoted by a delivery report (so the message did reach the provider). */
export async function findReportedAttempts(db: NotificationsDb, references: readonly string[]): Promise<Set<string>> {
  if (references.length === 0) return new Set();
  const rows = await db
    .selectFrom('notification_receipts')
    .select('reference')
    .where('reference', 'in', [...references])
    .where('result', 'in', ['delivered', 'failure'])
    .where('provider_message_id', 'is not', null)
    .execute();
  return new Set(rows.flatMap((row) => (row.reference === null ? [] : [row.reference])));
}

// ---------------------------------------------------------------------------------------------
// Territory settings
// ---------------------------------------------------------------------------------------------

export interface SmsSettingsRow {
  readonly territoryId: number;
  readonly provider: SmsProviderName;
  readonly sender: string;
  readonly credentialsEncrypted: string | null;
  readonly fallbackProvider: SmsProviderName | null;
  readonly fallbackCredentialsEncrypted: string | null;
  readonly reportTokenHash: string | null;
  readonly lowCreditThreshold: number | null;
  readonly lowCreditAlertedAt: Date | null;
}

export async function findSmsSettings(db: NotificationsDb, territoryId: number): Promise<SmsSettingsRow | undefined> {
  const row = await db.selectFrom('territory_sms_settings').selectAll().where('territory_id', '=', territoryId).executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    territoryId: row.territory_id,
    provider: row.provider,
    sender: row.sender,
    credentialsEncrypted: row.credentials_encrypted,
    fallbackProvider: row.fallback_provider,
    fallbackCredentialsEncrypted: row.fallback_credentials_encrypted,
    reportTokenHash: row.report_token_hash,
    lowCreditThreshold: row.low_credit_threshold,
    lowCreditAlertedAt: row.low_credit_alerted_at,
  };
}

export async function findTerritoryMailSettings(db: NotificationsDb, territoryId: number): Promise<{ mailFrom: string | null; mailReplyTo: string | null } | undefined> {
  const row = await db.selectFrom('territories').select(['mail_from', 'mail_reply_to']).where('id', '=', territoryId).executeTakeFirst();
  return row === undefined ? undefined : { mailFrom: row.mail_from, mailReplyTo: row.mail_reply_to };
}

/**
 * Active appointments starting within (now, now + horizon] that have no reminder row for their
 * current start: those the planning missed (worker down, appointments older than the feature).
 */
export async function findAppointmentsWithoutReminders(
  db: NotificationsDb,
  options: { readonly now: Date; readonly horizonMinutes: number; readonly limit: number; readonly afterId: number },
): Promise<number[]> {
  const until = new Date(options.now.getTime() + options.horizonMinutes * 60_000);
  const result = await sql<{ id: number }>`
    SELECT a.id FROM appointments a
      JOIN appointment_types t ON t.id = a.appointment_type_id
     WHERE a.id > ${options.afterId} AND lower(a.during) > ${options.now} AND lower(a.during) <= ${until}
       AND a.status NOT IN ('excused', 'revoked') AND t.visibility <> 'invisible'
       -- only appointments whose first reminder falls within a day: the others' turn will come
       AND lower(a.during) - (SELECT max(o) FROM unnest(t.reminder_offsets_minutes) AS o) * interval '1 minute' <= ${new Date(options.now.getTime() + 86_400_000)}
       AND NOT EXISTS (
         SELECT 1 FROM notifications n
          WHERE n.appointment_id = a.id AND n.event = 'reminder' AND n.idempotency_key LIKE 'reminder:%'
            AND n.details->>'startsAt' = to_char(lower(a.during) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
     ORDER BY a.id
     LIMIT ${options.limit}`.execute(db);
  return result.rows.map((row) => row.id);
}
