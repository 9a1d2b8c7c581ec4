-- Territory administration (issue 11 §2, ADR 0030): local closures of a territory, and the motif
-- categories a territory offers.

-- A day or a range of days on which every organisation of the territory is closed, like a public
-- holiday: no slot is offered, the agenda shows the closure. Local days (each organisation's zone).
CREATE TABLE territory_closures (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  territory_id bigint NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
  first_day    date NOT NULL,
  last_day     date NOT NULL,
  label        text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT territory_closure_ends_after_it_starts CHECK (last_day >= first_day),
  CONSTRAINT territory_closure_lasts_at_most_a_year CHECK (last_day - first_day <= 366),
  CONSTRAINT territory_closure_label_is_bounded CHECK (char_length(label) BETWEEN 1 AND 200)
);
CREATE INDEX territory_closures_territory_idx ON territory_closures (territory_id, last_day);

-- Motif categories are global (invitations name them); each territory enables those it uses.
CREATE TABLE territory_motif_categories (
  territory_id      bigint NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
  motif_category_id bigint NOT NULL REFERENCES motif_categories (id) ON DELETE CASCADE,
  PRIMARY KEY (territory_id, motif_category_id)
);

-- The categories the territories' motifs already use stay enabled.
INSERT INTO territory_motif_categories (territory_id, motif_category_id)
SELECT DISTINCT o.territory_id, t.motif_category_id
  FROM appointment_types t
  JOIN organisations o ON o.id = t.organisation_id
 WHERE t.motif_category_id IS NOT NULL;
