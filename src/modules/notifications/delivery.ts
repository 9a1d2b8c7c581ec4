/**
 * Delivery: the worker claims due notifications (status `sending`, committed with a lease before
 * anything leaves), renders each from the database as it is now, sends it by e-mail or through
 * the territory's SMS provider, and records one receipt per attempt and the outcome. Retries wait
 * (1 min → 3 h) after transient errors only; a bad number or bad credentials fail at once.
 *
 * Nothing personal is logged: log lines carry notification ids, channels, providers and error
 * kinds. Message bodies are built in memory and never stored, except account e-mails (encrypted,
 * erased once sent).
 */
import type { Kysely } from 'kysely';
import { issueAppointmentAccessTokens, type AppointmentLinkTarget } from '../access-tokens/index.js';
import type { Database } from '../../platform/db/schema.js';
import { InvalidMailMessageError, MailDeliveryError, type Mailer, type MailMessage } from '../../platform/mailer/index.js';
import { decryptSecret, SecretDecryptionError, type SecretKeyring } from '../../platform/security/index.js';
import { parseFrenchPhone } from '../../shared/text/phone.js';
import { countSegments } from './domain/gsm7.js';
import { attemptReference } from './domain/references.js';
import { renderMail } from './domain/mail-templates.js';
import type { AppointmentEvent, AppointmentMessageFacts } from './domain/message-facts.js';
import { isDaytime, nextAttemptAt, nextDaytime } from './domain/reminder-schedule.js';
import { renderSms } from './domain/sms-templates.js';
import {
  claimDueNotifications,
  findAgentContacts,
  findAppointmentsForNotification,
  findParticipationsOf,
  findSmsSettings,
  findTerritoryMailSettings,
  findUserContacts,
  insertReceipts,
  recordOutcomes,
  type AgentContact,
  type AppointmentForNotification,
  type ClaimedNotification,
  type NewReceipt,
  type NotificationOutcome,
  type ParticipationForNotification,
  type UserContact,
} from './notifications.repository.js';
import { reportUrlOf } from './reports.js';
import { createSmsProvider } from './sms/create-sms-provider.js';
import { SmsProviderError, type SmsAccepted, type SmsProvider, type SmsProviderName } from './sms/sms-provider.js';

export interface DeliveryLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface DeliveryDependencies {
  readonly db: Kysely<Database>;
  readonly mailer: Mailer;
  readonly keyring: SecretKeyring;
  /** BASE_URL: links in messages. */
  readonly baseUrl: string;
  /** The address of MAIL_FROM: the ICS organiser when the territory has no sender of its own. */
  readonly mailFromAddress: string;
  readonly production: boolean;
  /** SECRETS_ENCRYPTION_KEY: derives the delivery-report URL of each territory. */
  readonly reportSecret: string;
  readonly log: DeliveryLog;
  /** Injected for tests and the benchmark (loopback stubs); defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

export interface DeliveryOptions {
  readonly now: Date;
  /** Notifications claimed at once; every claimed one is `sending` until its outcome is written. */
  readonly batchSize?: number;
  /** Messages in flight at once. */
  readonly concurrency?: number;
  /** How long a claim lasts before another worker may consider the message in doubt. */
  readonly leaseSeconds?: number;
  /** Only these notifications (a request sending its own account e-mail). */
  readonly ids?: readonly number[];
}

export const DEFAULT_LEASE_SECONDS = 300;

/** Associated data binding an account e-mail's ciphertext to its row. */
export function accountMailAssociatedData(idempotencyKey: string): string {
  return `notifications.content_encrypted:${idempotencyKey}`;
}

export function smsCredentialsAssociatedData(territoryId: number, which: 'primary' | 'fallback'): string {
  return `territory_sms_settings:${String(territoryId)}:${which}`;
}

interface Loaded {
  readonly appointments: Map<number, AppointmentForNotification>;
  readonly participations: ReadonlyMap<number, ParticipationForNotification[]>;
  readonly users: Map<number, UserContact>;
  readonly agents: Map<number, AgentContact>;
  readonly territoryMail: Map<number, { mailFrom: string | null; mailReplyTo: string | null }>;
}

async function loadBatch(db: Kysely<Database>, claimed: readonly ClaimedNotification[]): Promise<Loaded> {
  const appointmentIds = claimed.flatMap((notification) => (notification.appointmentId === null ? [] : [notification.appointmentId]));
  const appointments = await findAppointmentsForNotification(db, appointmentIds);
  const participations = new Map<number, ParticipationForNotification[]>();
  for (const participation of await findParticipationsOf(db, [...appointments.keys()])) {
    const list = participations.get(participation.appointmentId);
    if (list === undefined) participations.set(participation.appointmentId, [participation]);
    else list.push(participation);
  }
  const users = await findUserContacts(db, claimed.flatMap((notification) => (notification.userId === null ? [] : [notification.userId])));
  const agentIds = new Set<number>();
  for (const notification of claimed) if (notification.agentId !== null) agentIds.add(notification.agentId);
  for (const appointment of appointments.values()) for (const id of appointment.agentIds) agentIds.add(id);
  const agents = await findAgentContacts(db, [...agentIds]);
  const territoryMail = new Map<number, { mailFrom: string | null; mailReplyTo: string | null }>();
  for (const territoryId of new Set(claimed.flatMap((notification) => (notification.territoryId === null ? [] : [notification.territoryId])))) {
    const settings = await findTerritoryMailSettings(db, territoryId);
    if (settings !== undefined) territoryMail.set(territoryId, settings);
  }
  return { appointments, participations, users, agents, territoryMail };
}

/** Why a message is no longer worth sending, or null. */
function obsolescence(notification: ClaimedNotification, appointment: AppointmentForNotification | undefined, now: Date): string | null {
  if (notification.notAfter !== null && now.getTime() >= notification.notAfter.getTime()) return 'rendez-vous commencé';
  if (notification.event === 'account') return null;
  if (appointment === undefined) return 'rendez-vous supprimé';
  if (now.getTime() >= appointment.startsAt.getTime()) return 'rendez-vous commencé';
  if (appointment.visibility === 'invisible') return 'motif sans notification';
  if (notification.event === 'reminder' || notification.event === 'waitlist_offer') {
    if (appointment.cancelled) return 'rendez-vous annulé';
    if (notification.event === 'reminder' && notification.details.startsAt !== appointment.startsAt.toISOString()) return 'rendez-vous déplacé';
  }
  return null;
}

type Prepared =
  | { readonly kind: 'skip'; readonly reason: string }
  /** Ready but for the usager's link, issued for the whole batch at once. */
  | { readonly kind: 'needs-link'; readonly target: AppointmentLinkTarget; readonly complete: (link: string) => Prepared }
  | { readonly kind: 'later'; readonly at: Date }
  | { readonly kind: 'mail'; readonly message: MailMessage }
  | { readonly kind: 'sms'; readonly to: string; readonly text: string; readonly segments: number };

function dateDetail(details: Readonly<Record<string, unknown>>, key: string): Date | null {
  const value = details[key];
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function uidDomainOf(baseUrl: string): string {
  return new URL(baseUrl).hostname;
}

function prepare(deps: DeliveryDependencies, notification: ClaimedNotification, loaded: Loaded, now: Date): Prepared {
  const appointment = notification.appointmentId === null ? undefined : loaded.appointments.get(notification.appointmentId);
  const obsolete = obsolescence(notification, appointment, now);
  if (obsolete !== null) return { kind: 'skip', reason: obsolete };

  if (notification.event === 'account') {
    if (notification.contentEncrypted === null) return { kind: 'skip', reason: 'message effacé' };
    try {
      const message = JSON.parse(decryptSecret(notification.contentEncrypted, deps.keyring, accountMailAssociatedData(notification.idempotencyKey))) as MailMessage;
      return { kind: 'mail', message: { ...message, messageId: `<notification-${String(notification.id)}@${uidDomainOf(deps.baseUrl)}>` } };
    } catch (error) {
      if (error instanceof SecretDecryptionError || error instanceof SyntaxError) return { kind: 'skip', reason: 'message illisible (clé de chiffrement changée ?)' };
      throw error;
    }
  }
  if (appointment === undefined) return { kind: 'skip', reason: 'rendez-vous supprimé' };
  const event: AppointmentEvent = notification.event;

  if (event === 'reminder' && !isDaytime(now, appointment.timeZone)) {
    const at = nextDaytime(now, appointment.timeZone);
    return at.getTime() < appointment.startsAt.getTime() ? { kind: 'later', at } : { kind: 'skip', reason: 'hors des heures d’envoi' };
  }

  const own = loaded.participations.get(appointment.id) ?? [];
  let audience: 'user' | 'agent';
  let link: string | null;
  let beneficiaryFirstNames: string[] = [];
  let to: string;
  if (notification.userId !== null) {
    audience = 'user';
    const contact = loaded.users.get(notification.userId);
    if (contact === undefined || contact.deleted) return { kind: 'skip', reason: 'usager supprimé' };
    const theirs = own.filter((participation) => (participation.responsibleId ?? participation.userId) === contact.userId);
    if (event === 'reminder' && !theirs.some((participation) => participation.sendReminderNotification && participation.status !== 'excused' && participation.status !== 'revoked')) {
      return { kind: 'skip', reason: 'participation annulée ou sans rappel' };
    }
    beneficiaryFirstNames = theirs.filter((participation) => participation.userId !== contact.userId).map((participation) => participation.firstName);
    if (notification.channel === 'mail') {
      if (!contact.notifyByEmail || contact.email === null || contact.email === '') return { kind: 'skip', reason: 'pas d’adresse e-mail ou e-mails refusés' };
      to = contact.email;
    } else {
      const phone = contact.phoneE164 === null ? null : parseFrenchPhone(contact.phoneE164);
      if (!contact.notifyBySms || phone === null || !phone.isMobile) return { kind: 'skip', reason: 'pas de numéro de mobile ou SMS refusés' };
      to = phone.e164;
    }
    const forLink = theirs.find((participation) => participation.status !== 'excused' && participation.status !== 'revoked') ?? theirs[0];
    link = null;
    if (forLink !== undefined) {
      const target = { participationId: forLink.participationId, userId: forLink.userId, appointmentId: appointment.id };
      const recipient = to;
      const names = beneficiaryFirstNames;
      return { kind: 'needs-link', target, complete: (issued) => render(deps, notification, loaded, appointment, { audience: 'user', link: issued, to: recipient, beneficiaryFirstNames: names }, now) };
    }
  } else if (notification.agentId !== null) {
    audience = 'agent';
    const agent = loaded.agents.get(notification.agentId);
    if (agent === undefined || !agent.active || agent.email === null || agent.email === '') return { kind: 'skip', reason: 'agent sans adresse e-mail' };
    to = agent.email;
    link = `${deps.baseUrl}/agents/organisations/${String(appointment.organisationId)}/rdv/${String(appointment.id)}`;
  } else {
    return { kind: 'skip', reason: 'destinataire inconnu' };
  }

  return render(deps, notification, loaded, appointment, { audience, link, to, beneficiaryFirstNames }, now);
}

function render(
  deps: DeliveryDependencies,
  notification: ClaimedNotification,
  loaded: Loaded,
  appointment: AppointmentForNotification,
  recipient: { readonly audience: 'user' | 'agent'; readonly link: string | null; readonly to: string; readonly beneficiaryFirstNames: readonly string[] },
  now: Date,
): Prepared {
  const { audience, link, to, beneficiaryFirstNames } = recipient;
  const event = notification.event === 'account' ? 'appointment_created' : notification.event;
  const facts: AppointmentMessageFacts = {
    event,
    audience,
    publicId: appointment.publicId,
    uidDomain: uidDomainOf(deps.baseUrl),
    sequence: appointment.revision,
    startsAt: appointment.startsAt,
    endsAt: appointment.endsAt,
    timeZone: appointment.timeZone,
    previousStartsAt: dateDetail(notification.details, 'previousStartsAt'),
    offeredStartsAt: dateDetail(notification.details, 'offeredStartsAt'),
    serviceShortName: appointment.serviceShortName,
    motifName: appointment.motifName,
    organisationName: appointment.organisationName,
    organisationPhone: appointment.organisationPhone,
    locationType: appointment.locationType,
    place: appointment.locationType === 'public_office' ? appointment.place : null,
    beneficiaryFirstNames,
    agentNames: appointment.agentIds.flatMap((id) => {
      const agent = loaded.agents.get(id);
      return agent === undefined ? [] : [agent.displayName];
    }),
    collectiveTitle: appointment.isCollective ? appointment.title : null,
    link,
    cancelledByUser: notification.details.cancelledByUser === true,
    instructions: appointment.instructions,
  };

  if (notification.channel === 'sms') {
    const text = renderSms(facts);
    return { kind: 'sms', to, text, segments: countSegments(text).segments };
  }
  const territoryMail = notification.territoryId === null ? undefined : loaded.territoryMail.get(notification.territoryId);
  const fromAddress = territoryMail?.mailFrom ?? null;
  const rendered = renderMail(facts, { stampedAt: now, organizerAddress: fromAddress ?? deps.mailFromAddress, recipientAddress: to });
  return {
    kind: 'mail',
    message: {
      to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      // The same Message-ID on every attempt: a message sent again after a crash shows once.
      messageId: `<notification-${String(notification.id)}@${uidDomainOf(deps.baseUrl)}>`,
      ...(fromAddress === null ? {} : { from: { name: appointment.organisationName, address: fromAddress } }),
      ...(territoryMail?.mailReplyTo === null || territoryMail?.mailReplyTo === undefined ? {} : { replyTo: { address: territoryMail.mailReplyTo } }),
      ...(rendered.ics === null ? {} : { calendar: { method: rendered.ics.method, content: rendered.ics.content } }),
    },
  };
}

/** The SMS providers of a territory, primary first, built once per batch. */
interface SmsRoute {
  readonly sender: string;
  readonly providers: readonly SmsProvider[];
}

const DEVELOPMENT_SENDER = 'Creneau';

async function smsRouteOf(deps: DeliveryDependencies, territoryId: number | null): Promise<SmsRoute | string> {
  const settings = territoryId === null ? undefined : await findSmsSettings(deps.db, territoryId);
  const options = {
    ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
    logger: deps.log,
    ...(settings?.reportTokenHash === null || settings === undefined ? {} : { deliveryReportUrl: reportUrlOf(deps.baseUrl, deps.reportSecret, settings.territoryId) }),
  };
  if (settings === undefined) {
    if (deps.production) return 'aucun fournisseur SMS configuré pour ce territoire';
    return { sender: DEVELOPMENT_SENDER, providers: [createSmsProvider('log', {}, options)] };
  }
  const providers: SmsProvider[] = [];
  const add = (provider: SmsProviderName, encrypted: string | null, which: 'primary' | 'fallback') => {
    const credentials = encrypted === null ? {} : (JSON.parse(decryptSecret(encrypted, deps.keyring, smsCredentialsAssociatedData(settings.territoryId, which))) as Record<string, string>);
    providers.push(createSmsProvider(provider, credentials, options));
  };
  try {
    add(settings.provider, settings.credentialsEncrypted, 'primary');
    if (settings.fallbackProvider !== null) add(settings.fallbackProvider, settings.fallbackCredentialsEncrypted, 'fallback');
  } catch (error) {
    for (const provider of providers) await provider.close();
    if (error instanceof SecretDecryptionError || error instanceof SyntaxError) return 'identifiants SMS illisibles (clé de chiffrement changée ?)';
    if (error instanceof SmsProviderError) return `paramètres SMS du territoire incomplets : ${error.message}`;
    throw error;
  }
  return { sender: settings.sender, providers };
}

interface Attempted {
  readonly outcome: NotificationOutcome;
  readonly receipts: NewReceipt[];
  /** Credits left reported by the provider that sent it, for the low-credit alert. */
  readonly credits: { readonly territoryId: number; readonly remaining: number } | null;
  readonly noCredit: number | null;
}

function transientOutcome(notification: ClaimedNotification, now: Date, error: string): NotificationOutcome {
  const at = nextAttemptAt(now, notification.attempts);
  if (at === null || (notification.notAfter !== null && at.getTime() >= notification.notAfter.getTime())) {
    return { id: notification.id, status: 'failed', lastError: error, forgetContent: true };
  }
  return { id: notification.id, status: 'pending', notBefore: at, lastError: error, forgetContent: false };
}

function describeMailError(error: unknown): { message: string; retry: boolean } {
  if (error instanceof MailDeliveryError) return { message: error.message, retry: error.isRetryable };
  if (error instanceof InvalidMailMessageError) return { message: error.message, retry: false };
  return { message: error instanceof Error ? error.name : 'erreur inconnue', retry: true };
}

async function attempt(deps: DeliveryDependencies, notification: ClaimedNotification, prepared: Prepared, routes: Map<number, Promise<SmsRoute | string>>, now: Date): Promise<Attempted> {
  const base = {
    notificationId: notification.id,
    appointmentId: notification.appointmentId,
    userId: notification.userId,
    agentId: notification.agentId,
    territoryId: notification.territoryId,
    channel: notification.channel,
    event: notification.event,
    attempt: notification.attempts,
    createdAt: now,
  };
  const reference = attemptReference(notification.id, notification.attempts);
  switch (prepared.kind) {
    case 'needs-link':
      throw new Error('lien non émis');
    case 'skip':
      return { outcome: { id: notification.id, status: 'cancelled', lastError: prepared.reason, forgetContent: true }, receipts: [], credits: null, noCredit: null };
    case 'later':
      return { outcome: { id: notification.id, status: 'pending', notBefore: prepared.at, lastError: null, forgetContent: false }, receipts: [], credits: null, noCredit: null };
    case 'mail': {
      try {
        const sent = await deps.mailer.send(prepared.message);
        return {
          outcome: { id: notification.id, status: 'sent', lastError: null, forgetContent: true },
          receipts: [{ ...base, result: 'sent', provider: 'smtp', providerMessageId: sent.messageId, error: null, segments: null, reference }],
          credits: null,
          noCredit: null,
        };
      } catch (error) {
        const described = describeMailError(error);
        const outcome: NotificationOutcome = described.retry ? transientOutcome(notification, now, described.message) : { id: notification.id, status: 'failed', lastError: described.message, forgetContent: true };
        return { outcome, receipts: [{ ...base, result: 'failure', provider: 'smtp', providerMessageId: null, error: described.message, segments: null, reference }], credits: null, noCredit: null };
      }
    }
    case 'sms': {
      const key = notification.territoryId ?? 0;
      let routePromise = routes.get(key);
      if (routePromise === undefined) {
        routePromise = smsRouteOf(deps, notification.territoryId);
        routes.set(key, routePromise);
      }
      const route = await routePromise;
      if (typeof route === 'string') {
        return {
          outcome: { id: notification.id, status: 'failed', lastError: route, forgetContent: true },
          receipts: [{ ...base, result: 'failure', provider: null, providerMessageId: null, error: route, segments: prepared.segments, reference }],
          credits: null,
          noCredit: null,
        };
      }
      const receipts: NewReceipt[] = [];
      let noCredit: number | null = null;
      for (const provider of route.providers) {
        try {
          const accepted: SmsAccepted = await provider.send({ to: prepared.to, text: prepared.text, sender: route.sender, reference });
          receipts.push({ ...base, result: accepted.result, provider: provider.name, providerMessageId: accepted.providerMessageId, error: null, segments: accepted.segments ?? prepared.segments, reference });
          return {
            outcome: { id: notification.id, status: 'sent', lastError: null, forgetContent: true },
            receipts,
            credits: accepted.remainingCredits === null || notification.territoryId === null ? null : { territoryId: notification.territoryId, remaining: accepted.remainingCredits },
            noCredit,
          };
        } catch (error) {
          const smsError = error instanceof SmsProviderError ? error : null;
          const message = smsError === null ? (error instanceof Error ? error.name : 'erreur inconnue') : smsError.message;
          receipts.push({ ...base, result: 'failure', provider: provider.name, providerMessageId: null, error: smsError?.providerCode === null || smsError === null ? message : `${message} (${smsError.providerCode})`, segments: prepared.segments, reference });
          if (smsError?.kind === 'no_credit') {
            noCredit = notification.territoryId;
            continue; // the fallback provider, if any
          }
          if (smsError?.kind === 'recipient' || smsError?.kind === 'configuration') {
            return { outcome: { id: notification.id, status: 'failed', lastError: message, forgetContent: true }, receipts, credits: null, noCredit };
          }
          return { outcome: transientOutcome(notification, now, message), receipts, credits: null, noCredit };
        }
      }
      return { outcome: transientOutcome(notification, now, 'crédit SMS épuisé'), receipts, credits: null, noCredit };
    }
  }
}

async function inParallel<Item, Result>(items: readonly Item[], limit: number, work: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = new Array<Result>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index] as Item;
      results[index] = await work(item);
    }
  });
  await Promise.all(runners);
  return results;
}

export interface DeliveryReport {
  readonly claimed: number;
  readonly sent: number;
  readonly failed: number;
  readonly retried: number;
  readonly skipped: number;
  /** Territories whose provider reported credits left, and those that ran out. */
  readonly credits: readonly { readonly territoryId: number; readonly remaining: number }[];
  readonly outOfCredit: readonly number[];
}

/** Claims and delivers one batch of due notifications. `claimed: 0` means nothing is due. */
export async function deliverDue(deps: DeliveryDependencies, options: DeliveryOptions): Promise<DeliveryReport> {
  const { now } = options;
  const claimed = await claimDueNotifications(deps.db, { now, limit: options.batchSize ?? 50, leaseSeconds: options.leaseSeconds ?? DEFAULT_LEASE_SECONDS, ...(options.ids === undefined ? {} : { ids: options.ids }) });
  if (claimed.length === 0) return { claimed: 0, sent: 0, failed: 0, retried: 0, skipped: 0, credits: [], outOfCredit: [] };
  const routes = new Map<number, Promise<SmsRoute | string>>();
  let attempts: Attempted[];
  try {
    const loaded = await loadBatch(deps.db, claimed);
    const failed = (notification: ClaimedNotification, error: unknown): Attempted => {
      // A bug or the database failing while preparing: retried later, never lost.
      deps.log.error({ notification: notification.id, error: error instanceof Error ? error.name : 'unknown' }, 'notification non préparée');
      return { outcome: transientOutcome(notification, now, 'erreur interne'), receipts: [], credits: null, noCredit: null };
    };
    const prepared = claimed.map((notification): Prepared | Attempted => {
      try {
        return prepare(deps, notification, loaded, now);
      } catch (error) {
        return failed(notification, error);
      }
    });
    // The usagers' links of the whole batch in one INSERT.
    const needing = prepared.flatMap((item, index) => ('kind' in item && item.kind === 'needs-link' ? [{ index, item }] : []));
    const tokens = await issueAppointmentAccessTokens(deps.db, { targets: needing.map(({ item }) => item.target), now, length: 'short' });
    needing.forEach(({ index, item }, position) => {
      const notification = claimed[index];
      if (notification === undefined) return;
      try {
        prepared[index] = item.complete(`${deps.baseUrl}/r/${tokens[position] ?? ''}`);
      } catch (error) {
        prepared[index] = failed(notification, error);
      }
    });
    attempts = await inParallel(claimed.map((notification, index) => ({ notification, item: prepared[index] })), options.concurrency ?? 16, async ({ notification, item }) => {
      if (item === undefined) return failed(notification, new Error('absent'));
      if (!('kind' in item)) return item;
      try {
        return await attempt(deps, notification, item, routes, now);
      } catch (error) {
        return failed(notification, error);
      }
    });
  } finally {
    for (const route of routes.values()) {
      const resolved = await route.catch(() => 'closed');
      if (typeof resolved !== 'string') for (const provider of resolved.providers) await provider.close();
    }
  }
  await deps.db.transaction().execute(async (trx) => {
    await recordOutcomes(trx, attempts.map((done) => done.outcome), now);
    await insertReceipts(trx, attempts.flatMap((done) => done.receipts));
  });
  const count = (status: string) => attempts.filter((done) => done.outcome.status === status).length;
  const credits = new Map<number, number>();
  for (const done of attempts) if (done.credits !== null) credits.set(done.credits.territoryId, Math.min(done.credits.remaining, credits.get(done.credits.territoryId) ?? Infinity));
  const outOfCredit = [...new Set(attempts.flatMap((done) => (done.noCredit === null ? [] : [done.noCredit])))];
  const report: DeliveryReport = {
    claimed: claimed.length,
    sent: count('sent'),
    failed: count('failed'),
    retried: count('pending'),
    skipped: count('cancelled'),
    credits: [...credits].map(([territoryId, remaining]) => ({ territoryId, remaining })),
    outOfCredit,
  };
  if (report.failed > 0 || report.retried > 0) deps.log.warn({ claimed: report.claimed, failed: report.failed, retried: report.retried }, 'notifications en échec');
  return report;
}
