-- Invitations (src/modules/invitations, ADR 0014): the invited person proves who they are with the
-- first letters of their last name before the funnel shows anything about them; five wrong answers
-- lock the invitation; a partner or an agent can revoke it.
ALTER TABLE invitations ADD COLUMN failed_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE invitations ADD CONSTRAINT invitation_failed_attempts_within_limit CHECK (failed_attempts BETWEEN 0 AND 5);
ALTER TABLE invitations ADD COLUMN revoked_at timestamptz;
