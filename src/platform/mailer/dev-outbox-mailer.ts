import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { insertOutboxEmail } from './dev-outbox.repository.js';
import { assertSendable, calendarFilenameOf, formatMailAddress, type Mailer, type MailMessage, type SentMail } from './mailer.js';

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
      const messageId = message.messageId ?? `<${randomUUID()}@dev-outbox.creneau>`;
      // The calendar invitation is shown as the attachment it also is over SMTP. The table has no
      // Reply-To column (migration 0002): a territory's reply-to is not shown on /dev/outbox.
      const calendar =
        message.calendar === undefined
          ? []
          : [
              {
                filename: calendarFilenameOf(message.calendar),
                contentType: `text/calendar; charset=utf-8; method=${message.calendar.method}`,
                contentBase64: Buffer.from(message.calendar.content).toString('base64'),
              },
            ];
      await insertOutboxEmail(options.db, {
        messageId,
        sender: message.from === undefined ? options.from : formatMailAddress(message.from),
        recipient: message.to,
        subject: message.subject,
        textBody: message.text,
        htmlBody: message.html ?? null,
        attachments: (message.attachments ?? []).map((attachment) => ({
          filename: attachment.filename,
          contentType: attachment.contentType,
          contentBase64: Buffer.from(attachment.content).toString('base64'),
        })).concat(calendar),
        createdAt: options.now(),
      });
      return { messageId };
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
