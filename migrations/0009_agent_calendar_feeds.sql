-- Personal calendar feeds of agents (issue 8, part 6): a secret URL an agent gives to their
-- calendar application. The URL's token is the only credential, so only its SHA-256 is stored;
-- a revoked feed keeps its row (when it was created, last used and revoked). At most one active
-- feed per agent.
CREATE TABLE agent_calendar_feeds (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_id     bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  token_hash   text NOT NULL,
  -- what the events say of the appointments beyond "Rendez-vous" and the place
  detail_level text NOT NULL DEFAULT 'minimal',
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  last_used_at timestamptz,
  CONSTRAINT agent_calendar_feed_hash_is_sha256_hex CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT agent_calendar_feed_hash_is_unique UNIQUE (token_hash),
  CONSTRAINT agent_calendar_feed_detail_level_is_known CHECK (detail_level IN ('minimal', 'motif', 'initials', 'motif_and_initials'))
);
CREATE UNIQUE INDEX agent_calendar_feed_one_active_per_agent ON agent_calendar_feeds (agent_id) WHERE revoked_at IS NULL;
