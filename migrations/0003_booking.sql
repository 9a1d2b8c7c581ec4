-- Public booking (src/modules/booking): idempotency keys of booking requests, waitlist opt-ins and
-- hashed token links. Constraints are named by intent, as in 0001.

-- One row per accepted booking request (book, join a collective appointment, reschedule). The row
-- is inserted first in the request's transaction, so a concurrent retry with the same key waits on
-- the unique index and then replays the committed result instead of booking twice. Failed requests
-- roll back their row: the same key may then be used again.
CREATE TABLE booking_idempotency_keys (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key                  text NOT NULL,
  operation            text NOT NULL,
  -- the usager the request is for (the beneficiary)
  user_id              bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- SHA-256 (hex) of the canonical request: the same key with another request is refused
  request_fingerprint  text NOT NULL,
  -- set in the same transaction as the insert; NULL is never visible to another transaction
  appointment_id       bigint REFERENCES appointments (id) ON DELETE CASCADE,
  created_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT booking_idempotency_key_is_unique UNIQUE (key),
  CONSTRAINT booking_idempotency_key_is_well_formed CHECK (char_length(key) BETWEEN 16 AND 128),
  CONSTRAINT booking_idempotency_operation_is_known CHECK (operation IN ('book', 'join', 'reschedule')),
  CONSTRAINT booking_idempotency_fingerprint_is_sha256_hex CHECK (request_fingerprint ~ '^[0-9a-f]{64}$')
);
-- purge of old keys
CREATE INDEX booking_idempotency_keys_created_at_idx ON booking_idempotency_keys (created_at);

-- "Prévenez-moi si un créneau se libère plus tôt": a usager waiting for an earlier slot than the
-- appointment they hold.
CREATE TABLE waitlist_entries (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appointment_id      bigint NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
  user_id             bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  offers_sent         integer NOT NULL DEFAULT 0,
  last_offer_sent_at  timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT waitlist_entry_is_unique_per_appointment_and_user UNIQUE (appointment_id, user_id),
  CONSTRAINT waitlist_offers_sent_is_not_negative CHECK (offers_sent >= 0),
  CONSTRAINT waitlist_last_offer_matches_count CHECK ((offers_sent = 0) = (last_offer_sent_at IS NULL))
);
CREATE INDEX waitlist_entries_user_idx ON waitlist_entries (user_id);

-- Links sent by SMS or e-mail. Only the SHA-256 of the token is stored: a copy of this table
-- cannot be turned into working links.
CREATE TABLE access_tokens (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash        text NOT NULL,
  purpose           text NOT NULL,
  user_id           bigint REFERENCES users (id) ON DELETE CASCADE,
  participation_id  bigint REFERENCES participations (id) ON DELETE CASCADE,
  appointment_id    bigint REFERENCES appointments (id) ON DELETE CASCADE,
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  -- single-use purposes (passwordless sign-in, e-mail confirmation) are consumed once
  used_at           timestamptz,
  -- wrong answers to the "first three letters of the last name" question; locked at the limit
  failed_attempts   integer NOT NULL DEFAULT 0,
  CONSTRAINT access_token_hash_is_unique UNIQUE (token_hash),
  CONSTRAINT access_token_hash_is_sha256_hex CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT access_token_purpose_is_known CHECK (purpose IN ('appointment_access', 'passwordless_sign_in', 'email_confirmation', 'invitation')),
  CONSTRAINT access_token_targets_match_purpose CHECK (
    CASE purpose
      WHEN 'appointment_access' THEN participation_id IS NOT NULL AND appointment_id IS NOT NULL AND user_id IS NOT NULL
      ELSE user_id IS NOT NULL
    END),
  CONSTRAINT access_token_expires_after_creation CHECK (expires_at > created_at),
  CONSTRAINT access_token_failed_attempts_is_not_negative CHECK (failed_attempts >= 0)
);
CREATE INDEX access_tokens_expires_at_idx ON access_tokens (expires_at);
CREATE INDEX access_tokens_participation_idx ON access_tokens (participation_id) WHERE participation_id IS NOT NULL;
CREATE INDEX access_tokens_user_idx ON access_tokens (user_id);

-- Prescripteurs find the beneficiary by phone number then name (findOrCreateBeneficiary).
CREATE INDEX users_phone_number_e164_idx ON users (phone_number_e164) WHERE phone_number_e164 IS NOT NULL AND deleted_at IS NULL;
