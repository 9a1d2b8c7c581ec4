-- Notifications (src/modules/notifications, ADR 0018): every message to send is a row of
-- `notifications`, planned from the outbox (or by the reminder sweep) under a unique idempotency
-- key per (event, recipient, channel), then delivered by the worker. A receipt is written for each
-- attempt. Rows hold ids and instants only: addresses and phone numbers are read at sending time,
-- and the only stored message bodies (account e-mails, which carry a sign-in link) are encrypted.

-- What an agent wants to hear about appointments: all, changes made by others, others' changes
-- happening today or tomorrow, nothing.
ALTER TABLE agents ADD COLUMN notification_level text NOT NULL DEFAULT 'others';
ALTER TABLE agents ADD CONSTRAINT agent_notification_level_is_known
  CHECK (notification_level IN ('all', 'others', 'soon', 'none'));

-- Reminders per motif, in minutes before the start: 48 h by default, at most two.
ALTER TABLE appointment_types ADD COLUMN reminder_offsets_minutes integer[] NOT NULL DEFAULT '{2880}';
ALTER TABLE appointment_types ADD CONSTRAINT motif_reminders_are_few
  CHECK (cardinality(reminder_offsets_minutes) <= 2 AND 0 < ALL (reminder_offsets_minutes));

-- Sender and reply-to of the territory's e-mails (null: the instance's MAIL_FROM, no reply-to).
ALTER TABLE territories ADD COLUMN mail_from text;
ALTER TABLE territories ADD COLUMN mail_reply_to text;

CREATE TABLE territory_sms_settings (
  territory_id                    bigint PRIMARY KEY REFERENCES territories (id) ON DELETE CASCADE,
  provider                        text NOT NULL,
  sender                          text NOT NULL,
  -- AES-GCM ciphertexts (platform/security/secrets.ts) of the provider's credentials, as JSON
  credentials_encrypted           text,
  fallback_provider               text,
  fallback_credentials_encrypted  text,
  -- delivery reports come to a URL holding a random token; only its SHA-256 is kept
  report_token_hash               text,
  low_credit_threshold            integer,
  low_credit_alerted_at           timestamptz,
  updated_at                      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sms_provider_is_known CHECK (provider IN ('smsfactor', 'brevo', 'netsize', 'clever', 'orange_contact_everyone', 'sfr_mail2sms', 'log')),
  CONSTRAINT sms_fallback_is_known CHECK (fallback_provider IS NULL OR fallback_provider IN ('smsfactor', 'brevo', 'netsize', 'clever', 'orange_contact_everyone', 'sfr_mail2sms', 'log')),
  CONSTRAINT sms_sender_is_short CHECK (char_length(sender) BETWEEN 1 AND 11)
);

CREATE TABLE notifications (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- (event, recipient, channel): planning the same message twice is a no-op
  idempotency_key  text NOT NULL,
  event            text NOT NULL,
  channel          text NOT NULL,
  appointment_id   bigint REFERENCES appointments (id) ON DELETE CASCADE,
  user_id          bigint REFERENCES users (id) ON DELETE CASCADE,
  agent_id         bigint REFERENCES agents (id) ON DELETE CASCADE,
  territory_id     bigint REFERENCES territories (id) ON DELETE CASCADE,
  outbox_event_id  bigint,
  -- what the message describes besides the appointment's current state (previous start, offered
  -- slot, who made the change): ids and instants only
  details          jsonb NOT NULL DEFAULT '{}',
  -- account e-mails only: the whole message, encrypted (it holds a sign-in or reset link)
  content_encrypted text,
  status           text NOT NULL DEFAULT 'pending',
  attempts         integer NOT NULL DEFAULT 0,
  not_before       timestamptz NOT NULL,
  -- never sent after this instant (the appointment's start)
  not_after        timestamptz,
  locked_until     timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  CONSTRAINT notification_key_is_unique UNIQUE (idempotency_key),
  CONSTRAINT notification_event_is_known CHECK (event IN ('appointment_created', 'appointment_updated', 'appointment_cancelled', 'reminder', 'waitlist_offer', 'account')),
  CONSTRAINT notification_channel_is_known CHECK (channel IN ('mail', 'sms')),
  CONSTRAINT notification_status_is_known CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'in_doubt'))
);
CREATE INDEX notifications_due_idx ON notifications (not_before) WHERE status = 'pending';
CREATE INDEX notifications_sending_idx ON notifications (locked_until) WHERE status = 'sending';
CREATE INDEX notifications_appointment_idx ON notifications (appointment_id, created_at);
CREATE INDEX notifications_territory_idx ON notifications (territory_id, created_at);

ALTER TABLE notification_receipts ADD COLUMN notification_id bigint REFERENCES notifications (id) ON DELETE CASCADE;
ALTER TABLE notification_receipts ADD COLUMN territory_id bigint REFERENCES territories (id) ON DELETE SET NULL;
ALTER TABLE notification_receipts ADD COLUMN attempt integer;
ALTER TABLE notification_receipts ADD COLUMN segments integer;
-- our reference given to the provider (delivery reports may quote it back)
ALTER TABLE notification_receipts ADD COLUMN reference text;
ALTER TABLE notification_receipts DROP CONSTRAINT receipt_event_is_known;
ALTER TABLE notification_receipts ADD CONSTRAINT receipt_event_is_known
  CHECK (event IN ('appointment_created', 'appointment_updated', 'appointment_cancelled', 'reminder', 'waitlist_offer', 'account', 'other'));
-- one delivery report per message and outcome: a report received twice is written once
CREATE UNIQUE INDEX notification_receipts_report_idx ON notification_receipts (provider, provider_message_id, result)
  WHERE provider_message_id IS NOT NULL AND result IN ('delivered', 'failure');
CREATE INDEX notification_receipts_notification_idx ON notification_receipts (notification_id);
CREATE INDEX notification_receipts_territory_idx ON notification_receipts (territory_id, created_at);
