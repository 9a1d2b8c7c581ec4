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

/** A mailbox with an optional display name, kept apart so a comma in the name is never an address list. */
export interface MailAddress {
  /** e.g. `Département de Seine-et-Marne, RDV` (may hold commas, quotes and accents). */
  name?: string;
  address: string;
}

/**
 * A calendar invitation, attached twice (RDV-Solidarités' recipe for Outlook, Gmail, Zimbra): as a
 * `text/calendar; method=…` alternative of the bodies, and as an `application/ics` attachment.
 */
export interface MailCalendarEvent {
  /** The iTIP method, which must match the file's METHOD line. */
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  /** RFC 5545 text (CRLF lines). */
  content: string;
  /** The attachment's name; default `invite.ics`. */
  filename?: string;
}

export interface MailMessage {
  /** One recipient address; notifications are sent per recipient. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** Overrides the adapter's From (MAIL_FROM), e.g. a territory's sender. */
  from?: MailAddress;
  /** Where answers go (a territory's mailbox), when not to From. */
  replyTo?: MailAddress;
  /**
   * A fixed Message-ID (`<id@domain>`), e.g. derived from the notification's idempotency key, so a
   * retried message keeps its id (and a client that received it twice shows it once). Default:
   * a fresh id per attempt.
   */
  messageId?: string;
  calendar?: MailCalendarEvent;
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
// Any control character in a display name (nodemailer encodes the rest).
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F]/;
// RFC 5322 msg-id: `<left@right>` without spaces, brackets or a second @.
const MESSAGE_ID_PATTERN = /^<[^\s<>@"\\]+@[^\s<>@"\\]+>$/;

function isSendableAddress(mailbox: MailAddress): boolean {
  return ADDRESS_PATTERN.test(mailbox.address) && (mailbox.name === undefined || (!CONTROL_CHARACTER.test(mailbox.name) && mailbox.name.length <= 200));
}

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
  if (message.from !== undefined && !isSendableAddress(message.from)) throw new InvalidMailMessageError('Adresse de l’expéditeur invalide');
  if (message.replyTo !== undefined && !isSendableAddress(message.replyTo)) throw new InvalidMailMessageError('Adresse de réponse invalide');
  if (message.messageId !== undefined && !MESSAGE_ID_PATTERN.test(message.messageId)) throw new InvalidMailMessageError('Identifiant de message invalide');
  if (message.calendar !== undefined) {
    const { method, filename, content } = message.calendar;
    const badFilename = filename !== undefined && (CONTROL_CHARACTER.test(filename) || filename.trim() === '');
    // The part's method parameter and the file's METHOD line must agree, or clients ignore it.
    if (!['REQUEST', 'CANCEL', 'PUBLISH'].includes(method) || badFilename || !content.includes(`\r\nMETHOD:${method}\r\n`)) {
      throw new InvalidMailMessageError('Invitation de calendrier invalide');
    }
  }
}

/** `Name <address>` of a mailbox, for storage and display (never for headers: nodemailer builds those). */
export function formatMailAddress(mailbox: MailAddress): string {
  return mailbox.name === undefined || mailbox.name === '' ? mailbox.address : `${mailbox.name} <${mailbox.address}>`;
}

/** The attachment name of a calendar invitation. */
export function calendarFilenameOf(calendar: MailCalendarEvent): string {
  return calendar.filename ?? 'invite.ics';
}
