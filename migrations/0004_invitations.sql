-- Invitations sent by a partner (e.g. RDV-Insertion) to one usager: the token (access_tokens,
-- purpose 'invitation') opens a funnel filtered to a motif category and some organisations, with
-- the motifs reserved to invited usagers and, for follow-up motifs, the usager's referents.
CREATE TABLE invitations (
  access_token_id    bigint PRIMARY KEY REFERENCES access_tokens (id) ON DELETE CASCADE,
  motif_category_id  bigint NOT NULL REFERENCES motif_categories (id),
  organisation_ids   bigint[] NOT NULL,
  partner            text NOT NULL,
  created_at         timestamptz NOT NULL,
  CONSTRAINT invitation_names_organisations CHECK (cardinality(organisation_ids) > 0),
  CONSTRAINT invitation_partner_is_named CHECK (partner ~ '^[a-z0-9_-]{2,50}$')
);
