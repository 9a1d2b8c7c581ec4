-- Agent workspace II (ADR 0019): the users directory, its read journal, the optional social
-- fields a territory enables, and XLSX exports produced in the background.

-- ---------------------------------------------------------------------------------------------
-- Territory settings of the directory
-- ---------------------------------------------------------------------------------------------

-- 'organisation': an agent finds the usagers known to their organisations (a profile or an
-- appointment there); 'territory': every usager known to an organisation of the territory.
ALTER TABLE territories ADD COLUMN users_search_scope text NOT NULL DEFAULT 'organisation';
ALTER TABLE territories ADD CONSTRAINT territory_users_search_scope_is_known
  CHECK (users_search_scope IN ('organisation', 'territory'));
-- When true, opening a user page or exporting asks the agent why (kept in the read journal).
ALTER TABLE territories ADD COLUMN read_reason_required boolean NOT NULL DEFAULT false;
-- The optional social fields shown and edited in this territory (keys of `users`' columns below).
ALTER TABLE territories ADD COLUMN user_fields text[] NOT NULL DEFAULT '{}';
ALTER TABLE territories ADD CONSTRAINT territory_user_fields_are_known
  CHECK (user_fields <@ ARRAY['caisse_affiliation', 'affiliation_number', 'family_situation', 'number_of_children', 'housing', 'case_number', 'notes']::text[]);

-- ---------------------------------------------------------------------------------------------
-- Optional social fields of a usager (shown only where the territory enables them)
-- ---------------------------------------------------------------------------------------------

ALTER TABLE users ADD COLUMN caisse_affiliation text;
ALTER TABLE users ADD CONSTRAINT user_caisse_affiliation_is_known CHECK (caisse_affiliation IS NULL OR caisse_affiliation IN ('caf', 'msa'));
ALTER TABLE users ADD COLUMN affiliation_number text;
ALTER TABLE users ADD CONSTRAINT user_affiliation_number_is_short CHECK (affiliation_number IS NULL OR length(affiliation_number) <= 30);
ALTER TABLE users ADD COLUMN family_situation text;
ALTER TABLE users ADD CONSTRAINT user_family_situation_is_known
  CHECK (family_situation IS NULL OR family_situation IN ('single', 'in_a_relationship', 'divorced', 'widowed'));
ALTER TABLE users ADD COLUMN number_of_children smallint;
ALTER TABLE users ADD CONSTRAINT user_number_of_children_is_plausible CHECK (number_of_children IS NULL OR number_of_children BETWEEN 0 AND 30);
ALTER TABLE users ADD COLUMN housing text;
ALTER TABLE users ADD CONSTRAINT user_housing_is_known
  CHECK (housing IS NULL OR housing IN ('tenant', 'owner', 'hosted', 'homeless', 'other'));
-- The usager's file number in the département's own software.
ALTER TABLE users ADD COLUMN case_number text;
ALTER TABLE users ADD CONSTRAINT user_case_number_is_short CHECK (case_number IS NULL OR length(case_number) <= 50);

-- ---------------------------------------------------------------------------------------------
-- Read journal: who looked at which usagers, when and why. Append-only: rows are never
-- updated; they are deleted only by the retention purge, which says so for its transaction
-- (SET LOCAL creneau.read_journal_purge = 'on').
-- ---------------------------------------------------------------------------------------------

CREATE TABLE read_journal (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at      timestamptz NOT NULL DEFAULT now(),
  territory_id     bigint NOT NULL REFERENCES territories (id),
  organisation_id  bigint REFERENCES organisations (id),
  agent_id         bigint NOT NULL REFERENCES agents (id),
  -- a user page opened, a search that returned usagers, an export
  kind             text NOT NULL,
  -- the usagers read (no foreign key: the journal outlives merges and erasures)
  user_ids         bigint[] NOT NULL DEFAULT '{}',
  -- what the agent gave as the reason, when the territory asks for one
  reason           text,
  -- ids and counts only (an export's id, a search's result count): never names or search text
  details          jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT read_journal_kind_is_known CHECK (kind IN ('user_view', 'user_search', 'export')),
  CONSTRAINT read_journal_reason_is_short CHECK (reason IS NULL OR length(reason) <= 500)
);
CREATE INDEX read_journal_territory_idx ON read_journal (territory_id, occurred_at DESC);
CREATE INDEX read_journal_agent_idx ON read_journal (agent_id, occurred_at DESC);
CREATE INDEX read_journal_user_ids_idx ON read_journal USING gin (user_ids);
CREATE INDEX read_journal_occurred_at_idx ON read_journal (occurred_at);

CREATE FUNCTION read_journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('creneau.read_journal_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'le journal des consultations ne se modifie pas (%)', TG_OP USING ERRCODE = '42501';
END;
$$;
CREATE TRIGGER read_journal_append_only BEFORE UPDATE OR DELETE ON read_journal
  FOR EACH ROW EXECUTE FUNCTION read_journal_is_append_only();

-- ---------------------------------------------------------------------------------------------
-- Exports: an agent asks, a background worker writes the XLSX in chunks, the same agent
-- downloads it until it expires. The file is stored encrypted (it holds personal data).
-- ---------------------------------------------------------------------------------------------

CREATE TABLE exports (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- opaque identifier for URLs; never the sequential id
  public_id        text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
  agent_id         bigint NOT NULL REFERENCES agents (id),
  organisation_id  bigint NOT NULL REFERENCES organisations (id),
  territory_id     bigint NOT NULL REFERENCES territories (id),
  kind             text NOT NULL,
  -- the list's filters, validated, as the export reads them
  filters          jsonb NOT NULL DEFAULT '{}',
  reason           text,
  status           text NOT NULL DEFAULT 'pending',
  rows_done        integer NOT NULL DEFAULT 0,
  rows_total       integer,
  attempts         integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  error            text,
  file_name        text,
  byte_size        bigint,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  expires_at       timestamptz NOT NULL,
  CONSTRAINT export_kind_is_known CHECK (kind IN ('appointments', 'participations')),
  CONSTRAINT export_status_is_known CHECK (status IN ('pending', 'running', 'done', 'failed')),
  CONSTRAINT export_reason_is_short CHECK (reason IS NULL OR length(reason) <= 500)
);
CREATE INDEX exports_agent_idx ON exports (agent_id, created_at DESC);
CREATE INDEX exports_due_idx ON exports (created_at) WHERE status IN ('pending', 'running');
CREATE INDEX exports_expires_idx ON exports (expires_at);

-- The file, in encrypted chunks of at most a few hundred kilobytes, in order.
CREATE TABLE export_chunks (
  export_id  bigint NOT NULL REFERENCES exports (id) ON DELETE CASCADE,
  position   integer NOT NULL,
  content    bytea NOT NULL,
  PRIMARY KEY (export_id, position)
);
