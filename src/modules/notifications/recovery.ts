/**
 * Messages left `sending` by a worker that stopped (crash, kill -9, lost machine) once their lease
 * ran out. Nobody knows whether they left. Exactly once is kept this way (ADR 0018):
 * - an e-mail is sent again with the same Message-ID (mail clients show one message);
 * - an SMS whose provider quoted our reference in a delivery report did leave: it is marked sent;
 * - an SMS through a provider that reports deliveries, with no report after `reportWaitSeconds`,
 *   never reached the provider: it is sent again;
 * - an SMS through a provider without reports (mail2SMS, Clever, Orange, log) stays `in_doubt`
 *   for an admin to look at and resend: a doubled SMS costs and worries, a missing one is shown.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { attemptReference } from './domain/references.js';
import { findExpiredLeases, findReportedAttempts, findSmsSettings, setStatus } from './notifications.repository.js';
import { PROVIDERS_WITH_REPORTS } from './reports.js';

export interface RecoveryReport {
  readonly resent: number;
  readonly confirmed: number;
  readonly inDoubt: number;
}

export async function recoverExpiredLeases(db: Kysely<Database>, options: { readonly now: Date; readonly reportWaitSeconds: number; readonly limit?: number }): Promise<RecoveryReport> {
  const expired = await findExpiredLeases(db, options.now, options.limit ?? 1000);
  if (expired.length === 0) return { resent: 0, confirmed: 0, inDoubt: 0 };
  const reported = await findReportedAttempts(db, expired.map((row) => attemptReference(row.id, row.attempts)));
  const withReports = new Map<number, boolean>();
  const resend: number[] = [];
  const confirmed: number[] = [];
  const waiting: number[] = [];
  const doubtful: number[] = [];
  for (const row of expired) {
    if (reported.has(attemptReference(row.id, row.attempts))) {
      confirmed.push(row.id);
      continue;
    }
    if (row.channel === 'mail') {
      resend.push(row.id);
      continue;
    }
    const territoryId = row.territoryId ?? 0;
    let reports = withReports.get(territoryId);
    if (reports === undefined) {
      const settings = row.territoryId === null ? undefined : await findSmsSettings(db, row.territoryId);
      reports = settings !== undefined && PROVIDERS_WITH_REPORTS.has(settings.provider) && settings.reportTokenHash !== null;
      withReports.set(territoryId, reports);
    }
    if (reports) waiting.push(row.id);
    else doubtful.push(row.id);
  }
  await setStatus(db, confirmed, ['sending'], 'sent', { lastError: null, sentAt: options.now });
  await setStatus(db, resend, ['sending'], 'pending', { lastError: 'renvoi après l’arrêt d’un worker', notBefore: options.now });
  // No report yet: wait for one (the lease is extended), then send again.
  if (waiting.length > 0) {
    const overdue = await db
      .selectFrom('notifications')
      .select('id')
      .where('id', 'in', waiting)
      .where('locked_until', '<', new Date(options.now.getTime() - options.reportWaitSeconds * 1000))
      .execute();
    await setStatus(db, overdue.map((row) => row.id), ['sending'], 'pending', { lastError: 'aucun accusé du fournisseur : renvoi', notBefore: options.now });
  }
  await setStatus(db, doubtful, ['sending'], 'in_doubt', { lastError: 'envoi interrompu : à vérifier' });
  return { resent: resend.length, confirmed: confirmed.length, inDoubt: doubtful.length };
}
