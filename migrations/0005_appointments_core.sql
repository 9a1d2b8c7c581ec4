-- The appointments core (src/modules/appointments, ADR 0014): a revision counter that every
-- change visible to the usager increments (the ICS file's SEQUENCE, RFC 5545 §3.8.7.4), and API
-- clients as actors of the audit log and creators of appointments.

ALTER TABLE appointments ADD COLUMN revision integer NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD CONSTRAINT appointment_revision_is_not_negative CHECK (revision >= 0);

ALTER TABLE audit_log DROP CONSTRAINT audit_actor_type_is_known;
ALTER TABLE audit_log ADD CONSTRAINT audit_actor_type_is_known
  CHECK (actor_type IN ('agent', 'user', 'prescripteur', 'api_client', 'system', 'super_admin'));

ALTER TABLE appointments DROP CONSTRAINT appointment_created_by_is_known;
ALTER TABLE appointments ADD CONSTRAINT appointment_created_by_is_known
  CHECK (created_by_type IN ('agent', 'user', 'prescripteur', 'waitlist', 'api_client'));
ALTER TABLE participations DROP CONSTRAINT participation_created_by_is_known;
ALTER TABLE participations ADD CONSTRAINT participation_created_by_is_known
  CHECK (created_by_type IN ('agent', 'user', 'prescripteur', 'waitlist', 'api_client'));

-- Agent choice counts each candidate's booked minutes on the day: by agent, then by time.
-- (appointment_agents already has a GiST index on (agent_id, during) through its exclusion constraint.)
