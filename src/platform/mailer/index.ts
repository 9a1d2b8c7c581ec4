export type { Mailer, MailMessage, MailAttachment, MailAddress, MailCalendarEvent, SentMail } from './mailer.js';
export { InvalidMailMessageError, MailDeliveryError, formatMailAddress } from './mailer.js';
export { createMailer, MailerConfigurationError, type MailerSettings } from './create-mailer.js';
export { createSmtpMailer, type SmtpMailerOptions } from './smtp-mailer.js';
export { createDevOutboxMailer, type DevOutboxMailerOptions } from './dev-outbox-mailer.js';
export { registerDevOutboxRoutes } from './dev-outbox.routes.js';
export type { MailerTables, DevOutboxEmailsTable, StoredAttachment } from './mailer.tables.js';
export { createMailQueue, mailQueueOf, type MailQueue, type MailQueueLog, type MailQueueOptions } from './mail-queue.js';
