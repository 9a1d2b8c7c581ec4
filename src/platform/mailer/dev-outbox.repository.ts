import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { MailerTables, StoredAttachment } from './mailer.tables.js';

type OutboxDb = Kysely<Database & MailerTables>;

function outboxDb(db: Kysely<Database>): OutboxDb {
  return db.withTables<MailerTables>();
}

export interface NewOutboxEmail {
  messageId: string;
  sender: string;
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  attachments: StoredAttachment[];
  createdAt: Date;
}

export interface OutboxEmailSummary {
  id: number;
  recipient: string;
  subject: string;
  attachmentCount: number;
  createdAt: Date;
}

export interface OutboxEmail {
  id: number;
  messageId: string;
  sender: string;
  recipient: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  attachments: StoredAttachment[];
  createdAt: Date;
}

/**
 * Stores one message of the development outbox; a message whose Message-ID is already stored (a
 * retry that kept its id) is not stored twice. Returns the row's id, or undefined for such a retry.
 */
export async function insertOutboxEmail(db: Kysely<Database>, email: NewOutboxEmail): Promise<number | undefined> {
  const row = await outboxDb(db)
    .insertInto('dev_outbox_emails')
    .values({
      message_id: email.messageId,
      sender: email.sender,
      recipient: email.recipient,
      subject: email.subject,
      text_body: email.textBody,
      html_body: email.htmlBody,
      attachments: JSON.stringify(email.attachments),
      created_at: email.createdAt,
    })
    .onConflict((conflict) => conflict.constraint('dev_outbox_email_message_id_is_unique').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The latest messages first. */
export async function listOutboxEmails(db: Kysely<Database>, limit = 200): Promise<OutboxEmailSummary[]> {
  const rows = await outboxDb(db)
    .selectFrom('dev_outbox_emails')
    .select(['id', 'recipient', 'subject', 'attachments', 'created_at'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    recipient: row.recipient,
    subject: row.subject,
    attachmentCount: row.attachments.length,
    createdAt: row.created_at,
  }));
}

/** One message, or undefined. */
export async function findOutboxEmail(db: Kysely<Database>, id: number): Promise<OutboxEmail | undefined> {
  const row = await outboxDb(db).selectFrom('dev_outbox_emails').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    messageId: row.message_id,
    sender: row.sender,
    recipient: row.recipient,
    subject: row.subject,
    textBody: row.text_body,
    htmlBody: row.html_body,
    attachments: row.attachments,
    createdAt: row.created_at,
  };
}
