/**
 * Kysely types of the mailer's table (migrations/0002_sessions_and_outbox_mail.sql). Kept here
 * until platform/db/schema.ts lists them; `db.withTables<MailerTables>()` adds them to a handle.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** One attachment as stored in `dev_outbox_emails.attachments` (jsonb). */
export interface StoredAttachment {
  filename: string;
  contentType: string;
  contentBase64: string;
}

// Type aliases, not interfaces: `withTables` needs types with an implicit index signature.
export type DevOutboxEmailsTable = {
  id: Generated<number>;
  message_id: string;
  sender: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** Written as a JSON string, read back as the parsed array. */
  attachments: ColumnType<StoredAttachment[], string, string>;
  created_at: Timestamp;
};

export type MailerTables = {
  dev_outbox_emails: DevOutboxEmailsTable;
};
