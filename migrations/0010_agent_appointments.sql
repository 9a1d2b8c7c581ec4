-- Agent-side appointments (src/modules/appointments, ADR 0016): the commands of the agent
-- workspace carry an idempotency key too. An agent's request may create its participants in the
-- same transaction, so its key is held by the agent, not by a usager known beforehand.

ALTER TABLE booking_idempotency_keys ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE booking_idempotency_keys ADD COLUMN agent_id bigint REFERENCES agents (id) ON DELETE CASCADE;
ALTER TABLE booking_idempotency_keys ADD CONSTRAINT booking_idempotency_key_has_a_requester
  CHECK (user_id IS NOT NULL OR agent_id IS NOT NULL);

ALTER TABLE booking_idempotency_keys DROP CONSTRAINT booking_idempotency_operation_is_known;
ALTER TABLE booking_idempotency_keys ADD CONSTRAINT booking_idempotency_operation_is_known
  CHECK (operation IN ('book', 'join', 'reschedule', 'agent_create', 'agent_update'));
