-- Accounts, links and limits (ADR 0013): password-reset links, the password chosen at sign-up
-- kept as pending on its confirmation link, and per-account sign-in throttling.

-- A new single-use purpose: the link e-mailed by "mot de passe oublié".
ALTER TABLE access_tokens DROP CONSTRAINT access_token_purpose_is_known;
ALTER TABLE access_tokens ADD CONSTRAINT access_token_purpose_is_known
  CHECK (purpose IN ('appointment_access', 'passwordless_sign_in', 'email_confirmation', 'invitation', 'password_reset'));

-- The password typed at sign-up waits here, on its confirmation link, and becomes the account's
-- password only when that link is used: nobody who has not read the mailbox can set it.
ALTER TABLE access_tokens ADD COLUMN pending_password_hash text;
ALTER TABLE access_tokens ADD CONSTRAINT access_token_pending_password_only_on_confirmation
  CHECK (pending_password_hash IS NULL OR purpose = 'email_confirmation');

-- Failed sign-ins per e-mail address (keyed hash, never the address): a progressive delay, then
-- a temporary lock. Counted by one atomic upsert per attempt, cleared by a successful sign-in.
CREATE TABLE sign_in_throttles (
  key_hash        text PRIMARY KEY,
  failures        integer NOT NULL,
  window_ends_at  timestamptz NOT NULL,
  -- no attempt is checked before this instant (delay after 5 failures, lock after 10)
  blocked_until   timestamptz,
  CONSTRAINT sign_in_throttle_key_is_hmac_hex CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT sign_in_throttle_failures_are_positive CHECK (failures > 0)
);
CREATE INDEX sign_in_throttles_window_ends_at_idx ON sign_in_throttles (window_ends_at);
