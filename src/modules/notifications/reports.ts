/**
 * Delivery reports pushed by SMS providers to `/notifications/sms/accuses/<token>`: the token in
 * the URL (random, stored hashed per territory) authenticates the territory; each report becomes
 * a receipt once (a report received twice is written once); a message left in doubt by a stopped
 * worker and now reported is marked sent.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { notificationIdOfReference } from './domain/references.js';
import { insertReceipts, setStatus, type NewReceipt } from './notifications.repository.js';
import type { DeliveryReport, SmsProviderName } from './sms/sms-provider.js';

/** Providers whose delivery reports we receive over HTTP. */
export const PROVIDERS_WITH_REPORTS: ReadonlySet<SmsProviderName> = new Set<SmsProviderName>(['smsfactor', 'brevo']);

/**
 * The token of a territory's delivery-report URL, derived from SECRETS_ENCRYPTION_KEY: the URL can
 * be rebuilt when sending (Brevo takes it with each message) and shown on the settings page,
 * while the database keeps only its hash. Changing the key changes every URL.
 */
export function reportTokenOf(secretsEncryptionKey: string, territoryId: number): string {
  return createHmac('sha256', secretsEncryptionKey).update(`sms-delivery-reports:${String(territoryId)}`).digest('base64url');
}

export function reportUrlOf(baseUrl: string, secretsEncryptionKey: string, territoryId: number): string {
  return `${baseUrl}/notifications/sms/accuses/${reportTokenOf(secretsEncryptionKey, territoryId)}`;
}

export function hashReportToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isWellFormedReportToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{32,64}$/.test(token);
}

export interface ReportTarget {
  readonly territoryId: number;
  readonly providers: readonly SmsProviderName[];
}

export async function findReportTarget(db: Kysely<Database>, token: string): Promise<ReportTarget | undefined> {
  if (!isWellFormedReportToken(token)) return undefined;
  const row = await db
    .selectFrom('territory_sms_settings')
    .select(['territory_id', 'provider', 'fallback_provider'])
    .where('report_token_hash', '=', hashReportToken(token))
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const providers = [row.provider, ...(row.fallback_provider === null ? [] : [row.fallback_provider])].filter((provider) => PROVIDERS_WITH_REPORTS.has(provider));
  return { territoryId: row.territory_id, providers };
}

/** Records the reports of one request; returns how many were new. Reports about other territories' messages are ignored. */
export async function recordDeliveryReports(
  db: Kysely<Database>,
  input: { readonly territoryId: number; readonly provider: SmsProviderName; readonly reports: readonly DeliveryReport[]; readonly now: Date },
): Promise<number> {
  let recorded = 0;
  for (const report of input.reports.slice(0, 1000)) {
    const byReference = report.reference === null ? null : notificationIdOfReference(report.reference);
    let target = byReference === null ? undefined : await db.selectFrom('notifications').select(['id', 'appointment_id', 'user_id', 'agent_id', 'event', 'territory_id']).where('id', '=', byReference).executeTakeFirst();
    let reference = byReference === null ? null : report.reference;
    if (target === undefined && report.providerMessageId !== null) {
      const sent = await db
        .selectFrom('notification_receipts')
        .select(['notification_id', 'reference'])
        .where('provider', '=', input.provider)
        .where('provider_message_id', '=', report.providerMessageId)
        .where('result', 'in', ['sent', 'processed'])
        .executeTakeFirst();
      if (sent?.notification_id !== null && sent?.notification_id !== undefined) {
        target = await db.selectFrom('notifications').select(['id', 'appointment_id', 'user_id', 'agent_id', 'event', 'territory_id']).where('id', '=', sent.notification_id).executeTakeFirst();
        reference = sent.reference;
      }
    }
    if (target === undefined || target.territory_id === null || target.territory_id !== input.territoryId) continue;
    const receipt: NewReceipt = {
      notificationId: target.id,
      appointmentId: target.appointment_id === null ? null : target.appointment_id,
      userId: target.user_id === null ? null : target.user_id,
      agentId: target.agent_id === null ? null : target.agent_id,
      territoryId: input.territoryId,
      channel: 'sms',
      event: target.event,
      result: report.outcome,
      provider: input.provider,
      providerMessageId: report.providerMessageId ?? reference,
      error: report.outcome === 'failure' ? (report.detail ?? 'non distribué').slice(0, 200) : null,
      attempt: null,
      segments: null,
      reference,
      createdAt: input.now,
    };
    const inserted = await insertReceipts(db, [receipt]);
    recorded += inserted;
    // It reached the provider: a message left in doubt by a stopped worker was sent.
    if (inserted > 0) await setStatus(db, [target.id], ['in_doubt'], 'sent', { lastError: null, sentAt: input.now });
  }
  return recorded;
}
