/**
 * The mailer port: what the rest of the application knows about sending e-mail. Adapters:
 * SMTP (smtp-mailer.ts) when SMTP_URL is set, otherwise the development outbox
 * (dev-outbox-mailer.ts) stored in the database and shown on /dev/outbox.
 */

export interface MailAttachment {
  /** Shown to the recipient, e.g. `rendez-vous.ics`. */
  filename: string;
  content: string | Uint8Array;
  /** e.g. `text/calendar; charset=utf-8; method=REQUEST` */
  contentType: string;
}

export interface MailMessage {
  /** One recipient address; notifications are sent per recipient. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

export interface SentMail {
  /** The Message-ID header given to the message, for delivery receipts. */
  messageId: string;
}

export interface Mailer {
  /** Sends one message; rejects with a MailDeliveryError that carries no personal data. */
  send(message: MailMessage): Promise<SentMail>;
  /** Releases connections (graceful shutdown). */
  close(): Promise<void>;
}

/** A message that would be unsafe to send (header injection, missing recipient). */
export class InvalidMailMessageError extends Error {
  override name = 'InvalidMailMessageError';
}

/**
 * Sending failed. The message names the SMTP stage and code only — never the recipient or the
 * body, which the SMTP server's own text may echo — so it is safe to log.
 */
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
  /** 4xx answers and network errors are worth retrying; 5xx answers are not. */
  readonly isRetryable: boolean;
  readonly smtpResponseCode: number | undefined;
  constructor(message: string, options: { isRetryable: boolean; smtpResponseCode: number | undefined }) {
    super(message);
    this.isRetryable = options.isRetryable;
    this.smtpResponseCode = options.smtpResponseCode;
  }
}

// One address without display name; CR/LF anywhere would let a value inject headers.
const ADDRESS_PATTERN = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;
const LINE_BREAK = /[\r\n]/;

/** Refuses messages that a mail server could misread; called by every adapter. */
export function assertSendable(message: MailMessage): void {
  if (!ADDRESS_PATTERN.test(message.to)) throw new InvalidMailMessageError('Adresse du destinataire invalide');
  if (message.subject.trim() === '' || LINE_BREAK.test(message.subject)) {
    throw new InvalidMailMessageError('Objet du message vide ou sur plusieurs lignes');
  }
  for (const attachment of message.attachments ?? []) {
    if (LINE_BREAK.test(attachment.filename) || LINE_BREAK.test(attachment.contentType)) {
      throw new InvalidMailMessageError('Nom ou type de pièce jointe invalide');
    }
  }
}
