-- Platform tables that let any number of app processes share state through PostgreSQL
-- (docs/architecture.md, "Scale"): HTTP sessions, rate-limit counters, and the development
-- e-mail outbox. Owned by src/platform/security and src/platform/mailer.

-- Server-side sessions. The cookie carries the signed session id; only its SHA-256 is stored, so
-- a copy of this table cannot be replayed as cookies.
CREATE TABLE http_sessions (
  session_id_hash  text PRIMARY KEY,
  data             jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL,
  -- idle timeout: pushed forward on each request of the session
  expires_at       timestamptz NOT NULL,
  CONSTRAINT http_session_id_hash_is_sha256_hex CHECK (session_id_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT http_session_expires_after_creation CHECK (expires_at > created_at)
);
-- purgeExpiredSessions scans by expiry
CREATE INDEX http_sessions_expires_at_idx ON http_sessions (expires_at);

-- Fixed-window request counters for rate limiting. The key (route + client address or account)
-- is stored as a keyed hash, never in clear: IP and e-mail addresses are personal data.
CREATE TABLE rate_limit_hits (
  key_hash        text PRIMARY KEY,
  hits            integer NOT NULL,
  window_ends_at  timestamptz NOT NULL,
  CONSTRAINT rate_limit_hits_are_positive CHECK (hits > 0)
);
CREATE INDEX rate_limit_hits_window_ends_at_idx ON rate_limit_hits (window_ends_at);

-- E-mails "sent" in development when no SMTP server is configured, readable on /dev/outbox.
-- Never used in production (the mailer refuses to start without SMTP_URL there).
CREATE TABLE dev_outbox_emails (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id   text NOT NULL,
  sender       text NOT NULL,
  recipient    text NOT NULL,
  subject      text NOT NULL,
  text_body    text NOT NULL,
  html_body    text,
  -- [{ "filename", "contentType", "contentBase64" }]
  attachments  jsonb NOT NULL DEFAULT '[]',
  created_at   timestamptz NOT NULL,
  CONSTRAINT dev_outbox_email_message_id_is_unique UNIQUE (message_id),
  CONSTRAINT dev_outbox_email_attachments_is_array CHECK (jsonb_typeof(attachments) = 'array')
);
