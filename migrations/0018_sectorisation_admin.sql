-- Sectorisation administration (issue 11 §2, ADR 0031): the zones CSV an admin uploaded and saw
-- in a dry run, kept server-side until they confirm it. The confirmation names the row by its
-- random id and carries the content's SHA-256; applying marks the row (applied_at) in the same
-- transaction as the zones it writes, so a replayed or concurrent confirmation applies nothing.
CREATE TABLE sectorisation_imports (
  id             text PRIMARY KEY,
  territory_id   bigint NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
  agent_id       bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  file_name      text NOT NULL,
  content        text NOT NULL,
  content_sha256 text NOT NULL,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  applied_at     timestamptz,
  CONSTRAINT sectorisation_import_id_is_random CHECK (id ~ '^[0-9a-f]{32}$'),
  CONSTRAINT sectorisation_import_sha256_is_hex CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  CONSTRAINT sectorisation_import_content_is_bounded CHECK (octet_length(content) <= 5242880),
  CONSTRAINT sectorisation_import_expires_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX sectorisation_imports_territory_idx ON sectorisation_imports (territory_id, expires_at);
