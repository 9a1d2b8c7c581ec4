-- Users directory search within the scope (ADR 0027). The indexes of 0013 find the usagers of the
-- whole instance whose names match, and only then keep those the agent's organisation knows: a
-- short prefix (« mar ») fetched thousands of rows to keep a few hundred. Here the folded names
-- are kept per organisation that knows the usager (one row per user_profiles row), so that a
-- search reads only the organisation's usagers, in index order, and stops at its limit.
--
-- Kept by triggers on users and user_profiles, in the transaction of the change: no code path
-- (booking, agent creation, merge, import, erasure) can forget them.

-- The terms a usager is found by with a prefix or an exact name: last name, first name, birth
-- name, « first last », « last first », folded like creneau_fold (0013), without duplicates.
CREATE FUNCTION creneau_user_terms(first_name text, last_name text, birth_name text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT term), '{}') FROM unnest(ARRAY[
      public.creneau_fold(last_name),
      public.creneau_fold(first_name),
      public.creneau_fold(birth_name),
      public.creneau_fold(first_name || ' ' || last_name),
      public.creneau_fold(last_name || ' ' || first_name)
    ]) AS term WHERE term IS NOT NULL AND term <> ''
  $$;

-- Prefix and exact searches: one btree range per organisation of the scope. COLLATE "C": the
-- folded terms are [a-z0-9@ ] only, and a C-collated btree serves LIKE 'prefix%' directly.
CREATE TABLE user_search_terms (
  organisation_id bigint NOT NULL,
  term            text COLLATE "C" NOT NULL,
  user_id         bigint NOT NULL,
  PRIMARY KEY (organisation_id, term, user_id)
);

-- Typos: every typed word within a typo of the usager's names (word similarity, GIN over
-- trigrams). A GIN over the whole instance makes a misspelt name walk the posting lists of its
-- common trigrams for every usager of every département (100–200 ms over a million usagers), and
-- a second GIN column for the organisation is not used by the planner. So the table is split by
-- organisation (hash of its id, 32 parts): a search reads the GIN of its organisation's part only,
-- a thirtieth of the instance. The parts are fixed: no DDL when an organisation is created.
CREATE TABLE user_search_names (
  organisation_id bigint NOT NULL,
  user_id         bigint NOT NULL,
  names           text NOT NULL,
  PRIMARY KEY (organisation_id, user_id)
) PARTITION BY HASH (organisation_id);
DO $$
BEGIN
  FOR part IN 0..31 LOOP
    EXECUTE format('CREATE TABLE user_search_names_%s PARTITION OF user_search_names FOR VALUES WITH (MODULUS 32, REMAINDER %s)', part, part);
  END LOOP;
END $$;

-- The rows of one usager in one organisation (or in all their organisations when p_organisation_id
-- is null), from the users row; nothing for an erased usager.
CREATE FUNCTION creneau_user_search_insert(p_user_id bigint, p_organisation_id bigint) RETURNS void
  LANGUAGE sql
  AS $$
    INSERT INTO user_search_terms (organisation_id, term, user_id)
      SELECT up.organisation_id, t.term, u.id
      FROM users u
      JOIN user_profiles up ON up.user_id = u.id AND (p_organisation_id IS NULL OR up.organisation_id = p_organisation_id)
      CROSS JOIN LATERAL unnest(public.creneau_user_terms(u.first_name, u.last_name, u.birth_name)) AS t(term)
      WHERE u.id = p_user_id AND u.deleted_at IS NULL
      ON CONFLICT DO NOTHING;
    INSERT INTO user_search_names (organisation_id, user_id, names)
      SELECT up.organisation_id, u.id, public.creneau_user_names(u.first_name, u.last_name, u.birth_name)
      FROM users u
      JOIN user_profiles up ON up.user_id = u.id AND (p_organisation_id IS NULL OR up.organisation_id = p_organisation_id)
      WHERE u.id = p_user_id AND u.deleted_at IS NULL
      ON CONFLICT DO NOTHING;
  $$;

CREATE FUNCTION creneau_user_search_delete(p_user_id bigint, p_organisation_id bigint) RETURNS void
  LANGUAGE sql
  AS $$
    DELETE FROM user_search_terms WHERE user_id = p_user_id AND (p_organisation_id IS NULL OR organisation_id = p_organisation_id);
    DELETE FROM user_search_names WHERE user_id = p_user_id AND (p_organisation_id IS NULL OR organisation_id = p_organisation_id);
  $$;

-- A usager renamed, erased or restored: their rows in every organisation again.
CREATE FUNCTION users_search_terms_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM creneau_user_search_delete(NEW.id, NULL);
  PERFORM creneau_user_search_insert(NEW.id, NULL);
  RETURN NULL;
END $$;

CREATE TRIGGER users_search_terms_refresh
  AFTER UPDATE OF first_name, last_name, birth_name, deleted_at ON users
  FOR EACH ROW
  WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name OR OLD.last_name IS DISTINCT FROM NEW.last_name
        OR OLD.birth_name IS DISTINCT FROM NEW.birth_name OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
  EXECUTE FUNCTION users_search_terms_refresh();

-- An organisation gets to know a usager (profile created), forgets them (profile removed, usager
-- or organisation deleted), or a merge moves the profile to the kept usager.
CREATE FUNCTION user_profiles_search_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM creneau_user_search_delete(OLD.user_id, OLD.organisation_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM creneau_user_search_insert(NEW.user_id, NEW.organisation_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER user_profiles_search_terms
  AFTER INSERT OR DELETE OR UPDATE OF user_id, organisation_id ON user_profiles
  FOR EACH ROW EXECUTE FUNCTION user_profiles_search_terms();

-- Everything again from users and user_profiles, in two statements: the backfill below, and bulk
-- loads that ran with triggers off (bench/users).
CREATE FUNCTION creneau_rebuild_user_search() RETURNS void
  LANGUAGE sql
  AS $$
    DELETE FROM user_search_terms;
    DELETE FROM user_search_names;
    INSERT INTO user_search_terms (organisation_id, term, user_id)
      SELECT up.organisation_id, t.term, u.id
      FROM users u
      JOIN user_profiles up ON up.user_id = u.id
      CROSS JOIN LATERAL unnest(public.creneau_user_terms(u.first_name, u.last_name, u.birth_name)) AS t(term)
      WHERE u.deleted_at IS NULL
      ON CONFLICT DO NOTHING;
    INSERT INTO user_search_names (organisation_id, user_id, names)
      SELECT up.organisation_id, u.id, public.creneau_user_names(u.first_name, u.last_name, u.birth_name)
      FROM users u
      JOIN user_profiles up ON up.user_id = u.id
      WHERE u.deleted_at IS NULL;
  $$;

SELECT creneau_rebuild_user_search();

-- The secondary indexes after the backfill: built once rather than maintained row by row.
CREATE INDEX user_search_terms_user_idx ON user_search_terms (user_id);
CREATE INDEX user_search_names_trgm_idx ON user_search_names USING gin (names gin_trgm_ops);
CREATE INDEX user_search_names_user_idx ON user_search_names (user_id);

-- The instance-wide name indexes of 0013 no longer serve any query (the duplicates' identity index,
-- the e-mail and phone prefixes stay): six fewer indexes to maintain on every write to users.
DROP INDEX users_names_trgm_idx, users_last_name_fold_idx, users_first_name_fold_idx, users_birth_name_fold_idx, users_first_last_fold_idx, users_last_first_fold_idx;
