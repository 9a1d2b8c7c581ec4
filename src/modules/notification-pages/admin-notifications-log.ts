/**
 * The notifications log of the admin pages (issue 9 §2): which messages were planned and sent
 * for an organisation's appointments (and, for a territorial admin, the territory's account
 * e-mails), with their latest receipt; and the admin's « Renvoyer » of a failed or doubtful one.
 *
 * Scope (ADR 0015): an organisation admin sees the notifications of the organisation's
 * appointments; a territorial admin of the organisation's territory also sees those without an
 * appointment (account e-mails) of the territory. Anything else is unknown (404 by the routes).
 * Recipients are shown by name only: never an address or a phone number.
 */
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import type { Database, NotificationChannel, NotificationEvent, NotificationStatus } from '../../platform/db/schema.js';
import { addDays, epochMinutesToDate, localToEpochMinutes, parseIsoDate } from '../../shared/time/index.js';
import { canManageOrganisation, canManageTerritory, roleIn, type AgentPrincipal } from '../agents/index.js';

/** Rows per page of the log. */
export const LOG_PAGE_SIZE = 50;

/** What the signed-in agent may see of the log of one organisation; undefined: nothing (404). */
export interface LogScope {
  readonly organisationId: number;
  readonly territoryId: number;
  readonly timeZone: string;
  /** Whether account (no appointment) notifications of the territory are included. */
  readonly includesTerritory: boolean;
}

/** The scope of the log for this principal, or undefined when the page is not theirs. */
export function logScopeOf(principal: AgentPrincipal, organisationId: number): LogScope | undefined {
  const role = roleIn(principal, organisationId);
  if (role === undefined) return undefined;
  const territorial = canManageTerritory(principal, role.territoryId);
  if (!territorial && !canManageOrganisation(principal, organisationId)) return undefined;
  return { organisationId, territoryId: role.territoryId, timeZone: role.timeZone, includesTerritory: territorial };
}

export interface LogFilters {
  readonly status?: NotificationStatus;
  readonly channel?: NotificationChannel;
  readonly event?: NotificationEvent;
  /** Instants bounding `created_at`: [from, to). */
  readonly from?: Date;
  readonly to?: Date;
  /** Keyset: only ids below this one (the next page). */
  readonly before?: number;
}

export interface LogRow {
  readonly id: number;
  readonly createdAt: Date;
  readonly event: NotificationEvent;
  readonly channel: NotificationChannel;
  readonly status: NotificationStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly appointmentId: number | null;
  /** « Prénom Nom » of the usager or agent; null when the row names nobody (deleted person). */
  readonly recipientName: string | null;
  readonly recipientKind: 'usager' | 'agent' | null;
  readonly provider: string | null;
  readonly segments: number | null;
  /** Whether « Renvoyer » is offered (failed or in doubt, not an account e-mail). */
  readonly canResend: boolean;
}

export interface LogPage {
  readonly rows: readonly LogRow[];
  /** The keyset of the next page, when there is one. */
  readonly nextBefore: number | null;
}

/** Whether a notification in this state may be put back to pending by an admin. */
export function isResendable(notification: { readonly status: NotificationStatus; readonly event: NotificationEvent }): boolean {
  return (notification.status === 'failed' || notification.status === 'in_doubt') && notification.event !== 'account';
}

function scopedNotifications(db: Kysely<Database>, scope: LogScope) {
  return db
    .selectFrom('notifications as n')
    .leftJoin('appointments as a', 'a.id', 'n.appointment_id')
    .where((eb) =>
      eb.or([
        eb('a.organisation_id', '=', scope.organisationId),
        ...(scope.includesTerritory ? [eb.and([eb('n.appointment_id', 'is', null), eb('n.territory_id', '=', scope.territoryId)])] : []),
      ]),
    );
}

/** One page of the log, newest first (keyset on the id). */
export async function listNotificationsLog(db: Kysely<Database>, scope: LogScope, filters: LogFilters): Promise<LogPage> {
  let query = scopedNotifications(db, scope)
    .leftJoin('users as u', 'u.id', 'n.user_id')
    .leftJoin('agents as g', 'g.id', 'n.agent_id')
    .select((eb) => [
      'n.id',
      'n.created_at',
      'n.event',
      'n.channel',
      'n.status',
      'n.attempts',
      'n.last_error',
      'n.appointment_id',
      'n.user_id',
      'n.agent_id',
      'u.first_name as user_first_name',
      'u.last_name as user_last_name',
      'g.first_name as agent_first_name',
      'g.last_name as agent_last_name',
      eb.selectFrom('notification_receipts as r').select('r.provider').whereRef('r.notification_id', '=', 'n.id').orderBy('r.id', 'desc').limit(1).as('provider'),
      eb
        .selectFrom('notification_receipts as r')
        .select('r.segments')
        .whereRef('r.notification_id', '=', 'n.id')
        .where('r.segments', 'is not', null)
        .orderBy('r.id', 'desc')
        .limit(1)
        .as('segments'),
    ]);
  if (filters.status !== undefined) query = query.where('n.status', '=', filters.status);
  if (filters.channel !== undefined) query = query.where('n.channel', '=', filters.channel);
  if (filters.event !== undefined) query = query.where('n.event', '=', filters.event);
  if (filters.from !== undefined) query = query.where('n.created_at', '>=', filters.from);
  if (filters.to !== undefined) query = query.where('n.created_at', '<', filters.to);
  if (filters.before !== undefined) query = query.where('n.id', '<', filters.before);
  const found = await query.orderBy('n.id', 'desc').limit(LOG_PAGE_SIZE + 1).execute();
  const rows = found.slice(0, LOG_PAGE_SIZE).map((row): LogRow => {
    const recipientKind = row.user_id !== null ? 'usager' : row.agent_id !== null ? 'agent' : null;
    const first = recipientKind === 'usager' ? row.user_first_name : row.agent_first_name;
    const last = recipientKind === 'usager' ? row.user_last_name : row.agent_last_name;
    return {
      id: row.id,
      createdAt: new Date(row.created_at),
      event: row.event,
      channel: row.channel,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      appointmentId: row.appointment_id,
      recipientName: first === null || last === null ? null : `${first} ${last}`,
      recipientKind,
      provider: row.provider ?? null,
      segments: row.segments ?? null,
      canResend: isResendable(row),
    };
  });
  const last = rows.at(-1);
  return { rows, nextBefore: found.length > LOG_PAGE_SIZE && last !== undefined ? last.id : null };
}

export type ResendResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'NOT_RESENDABLE' | 'TOO_LATE' };

/**
 * Puts a failed or doubtful notification back to pending, due now. The status is checked in the
 * UPDATE itself, so that concurrent clicks resend it once; the audit entry is written in the same
 * transaction. Account e-mails are refused (their content was erased once given up).
 */
export async function resendNotification(
  db: Kysely<Database>,
  input: { readonly scope: LogScope; readonly agentId: number; readonly notificationId: number; readonly now: Date },
): Promise<ResendResult> {
  const visible = await scopedNotifications(db, input.scope)
    .select(['n.id', 'n.status', 'n.event', 'n.not_after', 'n.territory_id'])
    .where('n.id', '=', input.notificationId)
    .executeTakeFirst();
  if (visible === undefined) return { ok: false, reason: 'NOT_FOUND' };
  if (!isResendable(visible)) return { ok: false, reason: 'NOT_RESENDABLE' };
  if (visible.not_after !== null && new Date(visible.not_after).getTime() <= input.now.getTime()) return { ok: false, reason: 'TOO_LATE' };
  return db.transaction().execute(async (trx): Promise<ResendResult> => {
    const updated = await trx
      .updateTable('notifications')
      .set({ status: 'pending', not_before: input.now, locked_until: null })
      .where('id', '=', input.notificationId)
      .where('status', 'in', ['failed', 'in_doubt'])
      .where('event', '<>', 'account')
      .returning('id')
      .executeTakeFirst();
    if (updated === undefined) return { ok: false, reason: 'NOT_RESENDABLE' };
    await insertAuditEntry(trx, {
      actor: { type: 'agent', agentId: input.agentId },
      action: 'update',
      subjectType: 'notification',
      subjectId: input.notificationId,
      territoryId: visible.territory_id ?? input.scope.territoryId,
      details: { operation: 'resend', previousStatus: visible.status },
    });
    return { ok: true };
  });
}

// ---------------------------------------------------------------------------------------------
// Filters of the log page (pure)
// ---------------------------------------------------------------------------------------------

export const STATUS_LABELS: Readonly<Record<NotificationStatus, string>> = {
  pending: 'En attente',
  sending: 'En cours d’envoi',
  sent: 'Envoyé',
  failed: 'Échec',
  cancelled: 'Annulé',
  in_doubt: 'À vérifier',
};

export const EVENT_LABELS: Readonly<Record<NotificationEvent, string>> = {
  appointment_created: 'Rendez-vous pris',
  appointment_updated: 'Rendez-vous modifié',
  appointment_cancelled: 'Rendez-vous annulé',
  reminder: 'Rappel',
  waitlist_offer: 'Créneau plus tôt proposé',
  account: 'Message de compte',
};

export const CHANNEL_LABELS: Readonly<Record<NotificationChannel, string>> = { sms: 'SMS', mail: 'E-mail' };

/** The filters as typed in the page's form (kept on a refused value). */
export interface LogFilterInput {
  readonly statut?: string | undefined;
  readonly canal?: string | undefined;
  readonly evenement?: string | undefined;
  readonly du?: string | undefined;
  readonly au?: string | undefined;
  readonly avant?: string | undefined;
}

export type LogFiltersCheck = { readonly ok: true; readonly filters: LogFilters } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

function keyOf<K extends string>(labels: Readonly<Record<K, string>>, value: string): K | undefined {
  return (Object.keys(labels) as K[]).find((key) => key === value);
}

/** Reads the query of the log page; the days are local days of the organisation's zone. */
export function parseLogFilters(input: LogFilterInput, timeZone: string): LogFiltersCheck {
  const errors: Record<string, string> = {};
  const filters: { -readonly [K in keyof LogFilters]: LogFilters[K] } = {};
  const text = (value: string | undefined): string => (value ?? '').trim();
  if (text(input.statut) !== '') {
    const status = keyOf(STATUS_LABELS, text(input.statut));
    if (status === undefined) errors.statut = 'Choisissez un statut dans la liste';
    else filters.status = status;
  }
  if (text(input.canal) !== '') {
    const channel = keyOf(CHANNEL_LABELS, text(input.canal));
    if (channel === undefined) errors.canal = 'Choisissez un canal dans la liste';
    else filters.channel = channel;
  }
  if (text(input.evenement) !== '') {
    const event = keyOf(EVENT_LABELS, text(input.evenement));
    if (event === undefined) errors.evenement = 'Choisissez un événement dans la liste';
    else filters.event = event;
  }
  const dayOf = (field: 'du' | 'au'): number | undefined => {
    const value = text(input[field]);
    if (value === '') return undefined;
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseIsoDate(value) : null;
    if (day === null) {
      errors[field] = 'Saisissez une date valide au format JJ/MM/AAAA';
      return undefined;
    }
    return day;
  };
  const from = dayOf('du');
  const to = dayOf('au');
  if (from !== undefined) filters.from = epochMinutesToDate(localToEpochMinutes(timeZone, from, 0));
  if (to !== undefined) filters.to = epochMinutesToDate(localToEpochMinutes(timeZone, addDays(to, 1), 0));
  if (from !== undefined && to !== undefined && to < from) errors.au = 'La date de fin doit être après la date de début';
  if (text(input.avant) !== '') {
    const before = /^[1-9]\d{0,9}$/.test(text(input.avant)) ? Number(text(input.avant)) : NaN;
    if (!Number.isSafeInteger(before) || before > 2_147_483_647) errors.avant = 'Page inconnue : revenez à la première page';
    else filters.before = before;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, filters };
}
