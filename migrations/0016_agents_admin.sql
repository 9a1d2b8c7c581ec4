-- Agents administration and teams (issue 11 §1, ADR 0029).
--
-- An agent linked to an appointment holds a role in the appointment's organisation. The check
-- takes a KEY SHARE lock on that role row, so that it synchronises with the removal of an agent
-- from an organisation (organisation-agents), which locks the same row FOR UPDATE before it looks
-- for future appointments and deletes the role:
--  - a booking that linked the agent first holds the KEY SHARE lock until it commits: the removal
--    waits, then sees the appointment and is refused;
--  - a removal that locked the row first makes the booking wait; once the removal commits, the
--    role is gone and the booking is refused here (SQLSTATE 23503, constraint
--    appointment_agent_has_a_role_in_organisation), which the appointments core answers like a
--    slot taken meanwhile.
-- Key-share locks do not conflict with each other, nor with a change of access level (an UPDATE of
-- a non-key column): bookings never wait for each other or for an edit, only for a removal.
CREATE FUNCTION appointment_agent_has_a_role_in_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1
    FROM agent_roles r
    JOIN appointments a ON a.organisation_id = r.organisation_id
   WHERE a.id = NEW.appointment_id AND r.agent_id = NEW.agent_id
     FOR KEY SHARE OF r;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'agent % holds no role in the organisation of appointment %', NEW.agent_id, NEW.appointment_id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'appointment_agent_has_a_role_in_organisation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER appointment_agent_has_a_role_in_organisation
  BEFORE INSERT OR UPDATE OF agent_id, appointment_id ON appointment_agents
  FOR EACH ROW EXECUTE FUNCTION appointment_agent_has_a_role_in_organisation();

