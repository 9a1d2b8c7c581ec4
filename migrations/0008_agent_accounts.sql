-- Agent accounts (ADR 0015): invitation and password-reset links, and "sign out everywhere".

-- Each agent session remembers the generation it was opened in; raising it refuses every session
-- opened before (sign-out everywhere, password changed, account deactivated). A counter, not an
-- instant: no clock tie can keep a revoked session alive.
ALTER TABLE agents ADD COLUMN session_generation integer NOT NULL DEFAULT 0;
-- When the agent accepted the invitation (chose a password); NULL for intervenants and pending invitees.
ALTER TABLE agents ADD COLUMN invitation_accepted_at timestamptz;

-- Single-use links e-mailed to agents: the invitation (the invitee chooses a password) and the
-- password reset. Only the SHA-256 of the token is stored.
CREATE TABLE agent_tokens (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_id            bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  purpose             text NOT NULL,
  token_hash          text NOT NULL,
  created_by_agent_id bigint REFERENCES agents (id),
  expires_at          timestamptz NOT NULL,
  used_at             timestamptz,
  revoked_at          timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agent_token_purpose_is_known CHECK (purpose IN ('invitation', 'password_reset')),
  CONSTRAINT agent_token_hash_is_sha256_hex CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT agent_token_hash_is_unique UNIQUE (token_hash)
);
CREATE INDEX agent_tokens_agent_idx ON agent_tokens (agent_id);
