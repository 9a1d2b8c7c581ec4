-- Super admin back office (issue 11 §3, ADR 0032): the TOTP second factor of super admins, the
-- impersonations (« se connecter en tant que ») and the impersonator of audit entries.

-- One TOTP secret per super admin, encrypted at rest (AES-256-GCM, platform/security/secrets.ts,
-- associated data `agent_second_factors.secret:<agent id>`). `confirmed_at` is NULL while the
-- enrolment waits for its first code. `last_used_step` is the RFC 6238 time step of the last
-- accepted code: a code of that step or an earlier one is refused (no replay).
CREATE TABLE agent_second_factors (
  agent_id         bigint PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
  secret_encrypted text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  confirmed_at     timestamptz,
  last_used_step   bigint,
  CONSTRAINT second_factor_step_is_positive CHECK (last_used_step IS NULL OR last_used_step > 0)
);

-- A super admin acting as an agent, for a limited time and a stated reason.
CREATE TABLE impersonations (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  super_admin_agent_id bigint NOT NULL REFERENCES agents (id),
  agent_id             bigint NOT NULL REFERENCES agents (id),
  reason               text NOT NULL,
  started_at           timestamptz NOT NULL,
  expires_at           timestamptz NOT NULL,
  ended_at             timestamptz,
  end_reason           text,
  CONSTRAINT impersonation_reason_is_short CHECK (length(reason) BETWEEN 1 AND 500),
  CONSTRAINT impersonation_ends_after_start CHECK (expires_at > started_at),
  CONSTRAINT impersonation_is_of_another_agent CHECK (agent_id <> super_admin_agent_id),
  CONSTRAINT impersonation_end_is_complete CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
  CONSTRAINT impersonation_end_reason_is_known CHECK (end_reason IS NULL OR end_reason IN ('returned', 'expired', 'signed_out', 'agent_unavailable'))
);
CREATE INDEX impersonations_super_admin_idx ON impersonations (super_admin_agent_id, started_at DESC);
CREATE INDEX impersonations_agent_idx ON impersonations (agent_id, started_at DESC);

-- Every request made during an impersonation: the route's pattern (ids are in the path, never a
-- query string, which may hold a searched name), the method and the instant.
CREATE TABLE impersonation_requests (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  impersonation_id bigint NOT NULL REFERENCES impersonations (id) ON DELETE CASCADE,
  occurred_at      timestamptz NOT NULL,
  method           text NOT NULL,
  path             text NOT NULL,
  CONSTRAINT impersonation_request_path_is_short CHECK (length(path) <= 1024)
);
CREATE INDEX impersonation_requests_impersonation_idx ON impersonation_requests (impersonation_id, occurred_at);

-- Audit entries written while a super admin acts as an agent: the actor is the agent, this
-- column is the super admin (filled by platform/audit's query plugin, whichever module writes).
ALTER TABLE audit_log ADD COLUMN impersonator_agent_id bigint REFERENCES agents (id);
CREATE INDEX audit_log_impersonator_idx ON audit_log (impersonator_agent_id) WHERE impersonator_agent_id IS NOT NULL;
