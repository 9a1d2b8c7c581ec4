import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { createDevOutboxMailer } from './dev-outbox-mailer.js';
import type { Mailer } from './mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

export interface MailerSettings {
  nodeEnv: 'development' | 'test' | 'production';
  /** SMTP_URL; undefined selects the development outbox. */
  smtpUrl: string | undefined;
  /** MAIL_FROM */
  mailFrom: string;
}

/** Thrown at boot when production has no SMTP relay: mail must never silently pile up in a table. */
export class MailerConfigurationError extends Error {
  override name = 'MailerConfigurationError';
}

/** Picks the adapter: SMTP when SMTP_URL is set, the database outbox otherwise (never in production). */
export function createMailer(settings: MailerSettings, dependencies: { db: Kysely<Database>; now: () => Date }): Mailer {
  if (settings.smtpUrl !== undefined) return createSmtpMailer({ smtpUrl: settings.smtpUrl, from: settings.mailFrom });
  if (settings.nodeEnv === 'production') {
    throw new MailerConfigurationError('Configuration invalide : SMTP_URL est obligatoire en production');
  }
  return createDevOutboxMailer({ db: dependencies.db, from: settings.mailFrom, now: dependencies.now });
}
