-- Users directory search (ADR 0020): accent- and case-insensitive, prefix and typo-tolerant
-- search of usagers by name, e-mail, phone or id, with trigram indexes.

-- unaccent() is only STABLE (it reads its dictionary through the search_path), so it cannot be
-- used in an index expression. Naming the dictionary and the function by schema makes the result
-- depend on the arguments only: the wrapper is IMMUTABLE, and the planner matches a query's
-- expression with the index's. The folded text is lower case, without accents, and every run of
-- punctuation (’ ' - . _) becomes one space, so « N’Guyen » is found by « nguyen » or « n guyen ».
CREATE FUNCTION creneau_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, value)), '[^a-z0-9@]+', ' ', 'g')) $$;

-- The names a usager is searched by: first name, last name, birth name, folded, in one string.
CREATE FUNCTION creneau_user_names(first_name text, last_name text, birth_name text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT public.creneau_fold(first_name || ' ' || last_name || ' ' || coalesce(birth_name, '')) $$;

-- Typos and partial names: word_similarity (<%) on the folded names, GIN over trigrams.
CREATE INDEX users_names_trgm_idx ON users USING gin (creneau_user_names(first_name, last_name, birth_name) gin_trgm_ops)
  WHERE deleted_at IS NULL;
-- Prefixes shorter than a trigram (« le », « du »): btree on each folded name.
CREATE INDEX users_last_name_fold_idx ON users (creneau_fold(last_name) text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX users_first_name_fold_idx ON users (creneau_fold(first_name) text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX users_birth_name_fold_idx ON users (creneau_fold(birth_name) text_pattern_ops) WHERE deleted_at IS NULL AND birth_name IS NOT NULL;
-- E-mail prefixes, any case (the unique index on lower(email) is partial and not for LIKE).
CREATE INDEX users_email_prefix_idx ON users (lower(email) text_pattern_ops) WHERE deleted_at IS NULL AND email IS NOT NULL;
-- Duplicate detection on save: same folded names and birth date.
CREATE INDEX users_identity_idx ON users (creneau_fold(last_name), creneau_fold(first_name), birth_date) WHERE deleted_at IS NULL;
-- Phone prefixes (« 06 12 34 ») and exact numbers, on the E.164 form.
CREATE INDEX users_phone_prefix_idx ON users (phone_number_e164 text_pattern_ops) WHERE deleted_at IS NULL AND phone_number_e164 IS NOT NULL;
-- Whole-name prefixes (« elodie lef », « lefevre el »): the exact/prefix phase of the search.
CREATE INDEX users_first_last_fold_idx ON users (creneau_fold(first_name || ' ' || last_name) text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX users_last_first_fold_idx ON users (creneau_fold(last_name || ' ' || first_name) text_pattern_ops) WHERE deleted_at IS NULL;
