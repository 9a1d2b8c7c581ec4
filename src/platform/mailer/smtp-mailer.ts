import nodemailer from 'nodemailer';
import { assertSendable, calendarFilenameOf, MailDeliveryError, type Mailer, type MailMessage, type SentMail } from './mailer.js';

export interface SmtpMailerOptions {
  /**
   * `smtp://user:password@host:587` (STARTTLS when offered; add `?requireTLS=true` to insist) or
   * `smtps://user:password@host:465` (TLS from the first byte).
   */
  smtpUrl: string;
  /** The From header, e.g. `Créneau <ne-pas-repondre@creneau.example>`. */
  from: string;
}

/** The fields of a nodemailer error that carry no personal data. */
interface NodemailerFailure {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

/**
 * Rebuilds a transport error without its text: an SMTP server's answer may quote the recipient
 * ("550 <jeanne@example.fr>: user unknown") and errors end up in logs.
 */
function toDeliveryError(error: unknown): MailDeliveryError {
  const failure: NodemailerFailure = typeof error === 'object' && error !== null ? error : {};
  const code = typeof failure.code === 'string' ? failure.code : 'EUNKNOWN';
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  const command = typeof failure.command === 'string' ? failure.command.split(' ')[0] : undefined;
  const parts = [`Envoi SMTP en échec (${code}`, responseCode === undefined ? '' : `, réponse ${responseCode}`, command === undefined ? '' : `, commande ${command}`, ')'];
  return new MailDeliveryError(parts.join(''), {
    // RFC 5321 §4.2.1: 5yz replies are permanent; 4yz and network errors are transient.
    isRetryable: responseCode === undefined || responseCode < 500,
    smtpResponseCode: responseCode,
  });
}

/** The SMTP adapter: a small pool of connections to the relay given by SMTP_URL. */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: 3,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Nodemailer's logger would print envelopes (recipients) and, in debug, bodies.
    logger: false,
    debug: false,
    // Attachments are always given as content: never let a field be read as a path or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    async send(message: MailMessage): Promise<SentMail> {
      assertSendable(message);
      try {
        const info = await transport.sendMail({
          // Mailboxes as objects: nodemailer then encodes the name and never splits it on a comma.
          from: message.from === undefined ? options.from : { name: message.from.name ?? '', address: message.from.address },
          ...(message.replyTo === undefined ? {} : { replyTo: { name: message.replyTo.name ?? '', address: message.replyTo.address } }),
          ...(message.messageId === undefined ? {} : { messageId: message.messageId }),
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html === undefined ? {} : { html: message.html }),
          attachments: (message.attachments ?? []).map((attachment) => ({
            filename: attachment.filename,
            content: typeof attachment.content === 'string' ? attachment.content : Buffer.from(attachment.content),
            contentType: attachment.contentType,
          })),
          // Nodemailer adds it as a text/calendar; method=… alternative and an application/ics attachment.
          ...(message.calendar === undefined
            ? {}
            : { icalEvent: { method: message.calendar.method, content: message.calendar.content, filename: calendarFilenameOf(message.calendar) } }),
        });
        return { messageId: info.messageId };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    close(): Promise<void> {
      transport.close();
      return Promise.resolve();
    },
  };
}
