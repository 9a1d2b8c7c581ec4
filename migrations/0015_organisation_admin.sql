-- Organisation administration (issue 11 §1, src/modules/organisation-admin, ADR 0028): what a
-- place tells a visitor about getting in (step-free access, lift, parking, hearing loop…), shown
-- in the public funnel next to the address. Free text typed by the organisation's admins.
ALTER TABLE places ADD COLUMN accessibility_notes text;
ALTER TABLE places ADD CONSTRAINT place_accessibility_notes_are_short
  CHECK (accessibility_notes IS NULL OR char_length(accessibility_notes) <= 1000);
