import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { insertOutboxEmail } from './dev-outbox.repository.js';
import { assertSendable, type Mailer, type MailMessage, type SentMail } from './mailer.js';

export interface DevOutboxMailerOptions {
  db: Kysely<Database>;
  from: string;
  now: () => Date;
}

/**
 * The development adapter: messages are stored in `dev_outbox_emails` instead of being sent, so
 * a developer reads them on /dev/outbox (sign-in links, confirmations, ICS files).
 */
export function createDevOutboxMailer(options: DevOutboxMailerOptions): Mailer {
  return {
    async send(message: MailMessage): Promise<SentMail> {
      assertSendable(message);
      const messageId = `<${randomUUID()}@dev-outbox.creneau>`;
      await insertOutboxEmail(options.db, {
        messageId,
        sender: options.from,
        recipient: message.to,
        subject: message.subject,
        textBody: message.text,
        htmlBody: message.html ?? null,
        attachments: (message.attachments ?? []).map((attachment) => ({
          filename: attachment.filename,
          contentType: attachment.contentType,
          contentBase64: Buffer.from(attachment.content).toString('base64'),
        })),
        createdAt: options.now(),
      });
      return { messageId };
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
