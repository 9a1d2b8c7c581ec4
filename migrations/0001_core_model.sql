-- Core data model of Créneau. Names follow docs/glossary.md; constraints are named by intent
-- so that a violation tells the reader which rule of the domain was broken.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ---------------------------------------------------------------------------------------------
-- Territories, organisations, services
-- ---------------------------------------------------------------------------------------------

CREATE TABLE territories (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  departement_number text NOT NULL,
  name               text NOT NULL,
  -- date-holidays region code used for public holidays (e.g. 'FR' + region 'GF'); see availability module.
  holiday_region     text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT territory_departement_number_is_unique UNIQUE (departement_number),
  CONSTRAINT territory_departement_number_is_well_formed CHECK (departement_number ~ '^([0-9]{2}|2A|2B|9[78][0-9]|[A-Z]{2,3})$')
);

CREATE TABLE organisations (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  territory_id       bigint NOT NULL REFERENCES territories (id),
  name               text NOT NULL,
  slug               text NOT NULL,
  external_id        text,
  time_zone          text NOT NULL DEFAULT 'Europe/Paris',
  phone_number       text,
  email              text,
  website            text,
  -- date-holidays keys of public holidays on which this organisation stays open (e.g. Whit Monday).
  open_on_holidays   text[] NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organisation_slug_is_unique UNIQUE (slug),
  CONSTRAINT organisation_external_id_is_unique_in_territory UNIQUE (territory_id, external_id),
  CONSTRAINT organisation_time_zone_is_iana CHECK (time_zone ~ '^[A-Za-z]+(/[A-Za-z0-9_+-]+)+$|^UTC$')
);
CREATE INDEX organisations_territory_idx ON organisations (territory_id);

CREATE TABLE services (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL,
  short_name    text NOT NULL,
  -- members of a secretariat service see every agenda of their organisations
  is_secretariat boolean NOT NULL DEFAULT false,
  CONSTRAINT service_name_is_unique UNIQUE (name),
  CONSTRAINT service_short_name_is_unique UNIQUE (short_name)
);

CREATE TABLE territory_services (
  territory_id bigint NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
  service_id   bigint NOT NULL REFERENCES services (id),
  PRIMARY KEY (territory_id, service_id)
);

CREATE TABLE motif_categories (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL,
  short_name text NOT NULL,
  CONSTRAINT motif_category_short_name_is_unique UNIQUE (short_name)
);

-- ---------------------------------------------------------------------------------------------
-- Places and appointment types (motifs)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE places (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id bigint NOT NULL REFERENCES organisations (id),
  name            text NOT NULL,
  address         text NOT NULL,
  latitude        double precision,
  longitude       double precision,
  time_zone       text NOT NULL DEFAULT 'Europe/Paris',
  phone_number    text,
  status          text NOT NULL DEFAULT 'enabled',
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT place_status_is_known CHECK (status IN ('enabled', 'disabled', 'single_use')),
  CONSTRAINT place_coordinates_are_valid CHECK (
    (latitude IS NULL AND longitude IS NULL)
    OR (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180)),
  CONSTRAINT place_time_zone_is_iana CHECK (time_zone ~ '^[A-Za-z]+(/[A-Za-z0-9_+-]+)+$|^UTC$')
);
CREATE INDEX places_organisation_idx ON places (organisation_id);

CREATE TABLE appointment_types (
  id                           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id              bigint NOT NULL REFERENCES organisations (id),
  service_id                   bigint NOT NULL REFERENCES services (id),
  motif_category_id            bigint REFERENCES motif_categories (id),
  name                         text NOT NULL,
  color                        text NOT NULL DEFAULT '#000091',
  duration_minutes             integer NOT NULL,
  -- distance between two consecutive slot starts; NULL means "the duration"
  slot_step_minutes            integer,
  buffer_before_minutes        integer NOT NULL DEFAULT 0,
  buffer_after_minutes         integer NOT NULL DEFAULT 0,
  location_type                text NOT NULL DEFAULT 'public_office',
  bookable_by                  text NOT NULL DEFAULT 'agents',
  min_booking_notice_minutes   integer NOT NULL DEFAULT 30,
  max_booking_notice_minutes   integer NOT NULL DEFAULT 131400, -- 3 months
  is_collective                boolean NOT NULL DEFAULT false,
  is_follow_up_only            boolean NOT NULL DEFAULT false,
  visibility                   text NOT NULL DEFAULT 'visible_and_notified',
  sectorisation_level          text NOT NULL DEFAULT 'departement',
  restriction_for_booking      text,
  instruction_for_booking      text,
  cancel_deadline_minutes      integer NOT NULL DEFAULT 240,
  reschedule_deadline_minutes  integer NOT NULL DEFAULT 2880,
  archived_at                  timestamptz,
  created_at                   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT appointment_type_duration_is_positive CHECK (duration_minutes > 0 AND duration_minutes <= 1440),
  CONSTRAINT appointment_type_slot_step_is_positive CHECK (slot_step_minutes IS NULL OR slot_step_minutes > 0),
  CONSTRAINT appointment_type_buffers_are_not_negative CHECK (buffer_before_minutes >= 0 AND buffer_after_minutes >= 0),
  CONSTRAINT appointment_type_location_type_is_known CHECK (location_type IN ('public_office', 'phone', 'home', 'visio')),
  CONSTRAINT appointment_type_bookable_by_is_known CHECK (bookable_by IN ('agents', 'agents_and_prescripteurs', 'agents_and_prescripteurs_and_invited_users', 'everyone')),
  CONSTRAINT appointment_type_booking_notice_is_ordered CHECK (min_booking_notice_minutes >= 0 AND max_booking_notice_minutes > min_booking_notice_minutes),
  CONSTRAINT appointment_type_visibility_is_known CHECK (visibility IN ('visible_and_notified', 'visible_and_not_notified', 'invisible')),
  CONSTRAINT appointment_type_sectorisation_level_is_known CHECK (sectorisation_level IN ('departement', 'organisation', 'agent')),
  CONSTRAINT appointment_type_deadlines_are_not_negative CHECK (cancel_deadline_minutes >= 0 AND reschedule_deadline_minutes >= 0)
);
CREATE INDEX appointment_types_organisation_idx ON appointment_types (organisation_id);
CREATE INDEX appointment_types_name_idx ON appointment_types (name, location_type);

-- ---------------------------------------------------------------------------------------------
-- Agents
-- ---------------------------------------------------------------------------------------------

CREATE TABLE agents (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- intervenants have an agenda but no login, hence no e-mail
  email         text,
  first_name    text NOT NULL,
  last_name     text NOT NULL,
  password_hash text,
  is_super_admin boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz
);
CREATE UNIQUE INDEX agent_email_is_unique ON agents (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE agent_roles (
  agent_id        bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  access_level    text NOT NULL,
  PRIMARY KEY (agent_id, organisation_id),
  CONSTRAINT agent_role_access_level_is_known CHECK (access_level IN ('admin', 'basic', 'intervenant'))
);
CREATE INDEX agent_roles_organisation_idx ON agent_roles (organisation_id);

CREATE TABLE agent_territorial_roles (
  agent_id     bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  territory_id bigint NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
  PRIMARY KEY (agent_id, territory_id)
);

CREATE TABLE agent_services (
  agent_id   bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  service_id bigint NOT NULL REFERENCES services (id),
  PRIMARY KEY (agent_id, service_id)
);

CREATE TABLE teams (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  territory_id bigint NOT NULL REFERENCES territories (id),
  name         text NOT NULL,
  CONSTRAINT team_name_is_unique_in_territory UNIQUE (territory_id, name)
);

CREATE TABLE agent_teams (
  agent_id bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  team_id  bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  PRIMARY KEY (agent_id, team_id)
);
CREATE INDEX agent_teams_team_idx ON agent_teams (team_id);

-- ---------------------------------------------------------------------------------------------
-- Users (usagers)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE users (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- a relative (child, parent) is a user whose responsible manages the account
  responsible_id      bigint REFERENCES users (id),
  first_name          text NOT NULL,
  last_name           text NOT NULL,
  birth_name          text,
  birth_date          date,
  email               text,
  phone_number        text,
  -- E.164 form, used for SMS (+33…, +262…, +590…)
  phone_number_e164   text,
  address             text,
  password_hash       text,
  notify_by_sms       boolean NOT NULL DEFAULT true,
  notify_by_email     boolean NOT NULL DEFAULT true,
  created_through     text NOT NULL DEFAULT 'agent',
  confirmed_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  CONSTRAINT user_is_not_own_responsible CHECK (responsible_id IS NULL OR responsible_id <> id),
  CONSTRAINT user_created_through_is_known CHECK (created_through IN ('agent', 'user_sign_up', 'prescripteur', 'franceconnect', 'invitation', 'seed')),
  CONSTRAINT user_phone_is_e164 CHECK (phone_number_e164 IS NULL OR phone_number_e164 ~ '^\+[1-9][0-9]{6,14}$')
);
CREATE UNIQUE INDEX user_email_is_unique_among_account_holders ON users (lower(email)) WHERE email IS NOT NULL AND responsible_id IS NULL AND deleted_at IS NULL;
CREATE INDEX users_responsible_idx ON users (responsible_id);
CREATE INDEX users_last_name_trgm_idx ON users USING gin (last_name gin_trgm_ops);

CREATE TABLE user_profiles (
  user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  notes           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX user_profiles_organisation_idx ON user_profiles (organisation_id);

CREATE TABLE referent_assignations (
  user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  agent_id bigint NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, agent_id)
);
CREATE INDEX referent_assignations_agent_idx ON referent_assignations (agent_id);

-- ---------------------------------------------------------------------------------------------
-- Appointments (rendez-vous)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE appointments (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- opaque identifier for URLs and the API; never the sequential id
  public_id            text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', ''),
  organisation_id      bigint NOT NULL REFERENCES organisations (id),
  appointment_type_id  bigint NOT NULL REFERENCES appointment_types (id),
  place_id             bigint REFERENCES places (id),
  during               tstzrange NOT NULL,
  -- the zone the appointment is shown in (its place's, or its organisation's)
  time_zone            text NOT NULL,
  status               text NOT NULL DEFAULT 'unknown',
  is_collective        boolean NOT NULL DEFAULT false,
  max_participants     integer,
  name                 text,
  context              text,
  created_by_type      text NOT NULL,
  created_by_agent_id  bigint REFERENCES agents (id),
  created_by_user_id   bigint REFERENCES users (id),
  cancelled_at         timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT appointment_public_id_is_unique UNIQUE (public_id),
  CONSTRAINT appointment_status_is_known CHECK (status IN ('unknown', 'seen', 'excused', 'revoked', 'noshow')),
  CONSTRAINT appointment_range_is_bounded_and_not_empty CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
  CONSTRAINT appointment_capacity_only_for_collective CHECK (
    (is_collective AND (max_participants IS NULL OR max_participants > 0)) OR (NOT is_collective AND max_participants IS NULL)),
  CONSTRAINT appointment_created_by_is_known CHECK (created_by_type IN ('agent', 'user', 'prescripteur', 'waitlist')),
  CONSTRAINT appointment_cancellation_matches_status CHECK ((status IN ('excused', 'revoked')) = (cancelled_at IS NOT NULL))
);
CREATE INDEX appointments_organisation_during_idx ON appointments USING gist (organisation_id, during);
CREATE INDEX appointments_place_during_idx ON appointments USING gist (place_id, during);
CREATE INDEX appointments_type_idx ON appointments (appointment_type_id);

-- One row per agent of an appointment. `during` and `is_active` copy the appointment (kept in
-- sync by triggers) so that the exclusion constraint can be expressed on this table alone.
CREATE TABLE appointment_agents (
  appointment_id   bigint NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
  agent_id         bigint NOT NULL REFERENCES agents (id),
  during           tstzrange NOT NULL,
  -- true while the appointment occupies the agent: not cancelled
  is_active        boolean NOT NULL,
  is_collective    boolean NOT NULL,
  -- deliberate, audited overbooking by an agent: the row leaves the exclusion constraint
  overlap_allowed  boolean NOT NULL DEFAULT false,
  overlap_allowed_by_agent_id bigint REFERENCES agents (id),
  overlap_reason   text,
  PRIMARY KEY (appointment_id, agent_id),
  CONSTRAINT appointment_agent_override_is_attributed CHECK (NOT overlap_allowed OR overlap_allowed_by_agent_id IS NOT NULL),
  CONSTRAINT agent_has_no_overlapping_individual_appointments
    EXCLUDE USING gist (agent_id WITH =, during WITH &&)
    WHERE (is_active AND NOT is_collective AND NOT overlap_allowed)
);
CREATE INDEX appointment_agents_agent_during_idx ON appointment_agents USING gist (agent_id, during) WHERE is_active;

CREATE FUNCTION appointment_agents_copy_appointment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT a.during, a.status NOT IN ('excused', 'revoked'), a.is_collective
    INTO NEW.during, NEW.is_active, NEW.is_collective
    FROM appointments a WHERE a.id = NEW.appointment_id;
  RETURN NEW;
END $$;

CREATE TRIGGER appointment_agents_copy_appointment
  BEFORE INSERT OR UPDATE ON appointment_agents
  FOR EACH ROW EXECUTE FUNCTION appointment_agents_copy_appointment();

CREATE FUNCTION appointments_propagate_to_agents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE appointment_agents SET during = NEW.during WHERE appointment_id = NEW.id;
  RETURN NEW;
END $$;

CREATE TRIGGER appointments_propagate_to_agents
  AFTER UPDATE OF during, status, is_collective ON appointments
  FOR EACH ROW EXECUTE FUNCTION appointments_propagate_to_agents();

CREATE TABLE participations (
  id                             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appointment_id                 bigint NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
  user_id                        bigint NOT NULL REFERENCES users (id),
  status                         text NOT NULL DEFAULT 'unknown',
  send_lifecycle_notifications   boolean NOT NULL DEFAULT true,
  send_reminder_notification     boolean NOT NULL DEFAULT true,
  created_by_type                text NOT NULL,
  created_by_agent_id            bigint REFERENCES agents (id),
  created_by_user_id             bigint REFERENCES users (id),
  -- the third party who booked for the user, when any
  prescripteur                   jsonb,
  created_at                     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT participation_user_is_unique_in_appointment UNIQUE (appointment_id, user_id),
  CONSTRAINT participation_status_is_known CHECK (status IN ('unknown', 'seen', 'excused', 'revoked', 'noshow')),
  CONSTRAINT participation_created_by_is_known CHECK (created_by_type IN ('agent', 'user', 'prescripteur', 'waitlist'))
);
CREATE INDEX participations_user_idx ON participations (user_id);

-- ---------------------------------------------------------------------------------------------
-- Opening periods (plages d'ouverture) and absences
-- ---------------------------------------------------------------------------------------------

-- Wall-clock times in the zone of the place. `recurrence` is an RFC 5545 RRULE value
-- (FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20271231) or NULL for a one-off period.
-- `last_day` is derived from UNTIL/COUNT at write time (NULL = no end) so that the
-- candidate periods of a window are found through the `active_days` GiST index.
CREATE TABLE opening_periods (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id  bigint NOT NULL REFERENCES organisations (id),
  agent_id         bigint NOT NULL REFERENCES agents (id),
  place_id         bigint REFERENCES places (id),
  title            text NOT NULL,
  first_day        date NOT NULL,
  last_day         date,
  start_time       time NOT NULL,
  end_time         time NOT NULL,
  recurrence       text,
  excluded_dates   date[] NOT NULL DEFAULT '{}',
  active_days      daterange GENERATED ALWAYS AS (daterange(first_day, last_day, '[]')) STORED,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT opening_period_ends_after_start CHECK (end_time > start_time),
  CONSTRAINT opening_period_last_day_not_before_first CHECK (last_day IS NULL OR last_day >= first_day),
  CONSTRAINT opening_period_one_off_has_one_day CHECK (recurrence IS NOT NULL OR last_day = first_day),
  CONSTRAINT opening_period_recurrence_is_rrule CHECK (recurrence IS NULL OR recurrence ~ '^FREQ=(WEEKLY|MONTHLY)(;[A-Z]+=[A-Z0-9,+-]+)*$')
);
CREATE INDEX opening_periods_active_days_idx ON opening_periods USING gist (organisation_id, active_days);
CREATE INDEX opening_periods_agent_days_idx ON opening_periods USING gist (agent_id, active_days);

-- One occurrence moved to other hours or another place.
CREATE TABLE opening_period_overrides (
  opening_period_id bigint NOT NULL REFERENCES opening_periods (id) ON DELETE CASCADE,
  occurrence_date   date NOT NULL,
  start_time        time NOT NULL,
  end_time          time NOT NULL,
  place_id          bigint REFERENCES places (id),
  PRIMARY KEY (opening_period_id, occurrence_date),
  CONSTRAINT opening_period_override_ends_after_start CHECK (end_time > start_time)
);

CREATE TABLE opening_period_appointment_types (
  opening_period_id   bigint NOT NULL REFERENCES opening_periods (id) ON DELETE CASCADE,
  appointment_type_id bigint NOT NULL REFERENCES appointment_types (id),
  PRIMARY KEY (opening_period_id, appointment_type_id)
);
CREATE INDEX opening_period_appointment_types_type_idx ON opening_period_appointment_types (appointment_type_id, opening_period_id);

-- An absence starts on first_day at start_time and ends on end_day at end_time (for a recurring
-- absence: each occurrence spans end_day - first_day days), in `time_zone`.
CREATE TABLE absences (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_id         bigint NOT NULL REFERENCES agents (id),
  organisation_id  bigint REFERENCES organisations (id),
  title            text NOT NULL,
  first_day        date NOT NULL,
  start_time       time NOT NULL,
  end_day          date NOT NULL,
  end_time         time NOT NULL,
  last_day         date,
  time_zone        text NOT NULL DEFAULT 'Europe/Paris',
  recurrence       text,
  excluded_dates   date[] NOT NULL DEFAULT '{}',
  active_days      daterange GENERATED ALWAYS AS (daterange(first_day, last_day, '[]')) STORED,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT absence_ends_after_start CHECK (end_day > first_day OR (end_day = first_day AND end_time > start_time)),
  CONSTRAINT absence_last_day_not_before_end CHECK (last_day IS NULL OR last_day >= end_day),
  CONSTRAINT absence_one_off_has_end CHECK (recurrence IS NOT NULL OR last_day = end_day),
  CONSTRAINT absence_recurrence_is_rrule CHECK (recurrence IS NULL OR recurrence ~ '^FREQ=(WEEKLY|MONTHLY)(;[A-Z]+=[A-Z0-9,+-]+)*$')
);
CREATE INDEX absences_agent_days_idx ON absences USING gist (agent_id, active_days);

-- ---------------------------------------------------------------------------------------------
-- Sectorisation
-- ---------------------------------------------------------------------------------------------

CREATE TABLE sectors (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  territory_id bigint NOT NULL REFERENCES territories (id),
  name         text NOT NULL,
  human_id     text NOT NULL,
  CONSTRAINT sector_human_id_is_unique_in_territory UNIQUE (territory_id, human_id)
);

CREATE TABLE zones (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sector_id     bigint NOT NULL REFERENCES sectors (id) ON DELETE CASCADE,
  level         text NOT NULL,
  city_code     text NOT NULL,
  city_name     text NOT NULL,
  street_ban_id text,
  street_name   text,
  CONSTRAINT zone_level_is_known CHECK (level IN ('city', 'street')),
  CONSTRAINT zone_city_code_is_insee CHECK (city_code ~ '^[0-9][0-9AB][0-9]{3}$'),
  CONSTRAINT zone_street_has_ban_id CHECK ((level = 'street') = (street_ban_id IS NOT NULL)),
  CONSTRAINT zone_is_unique_in_sector UNIQUE NULLS NOT DISTINCT (sector_id, city_code, street_ban_id)
);
CREATE INDEX zones_city_idx ON zones (city_code);
CREATE INDEX zones_street_idx ON zones (street_ban_id) WHERE street_ban_id IS NOT NULL;

CREATE TABLE sector_attributions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sector_id       bigint NOT NULL REFERENCES sectors (id) ON DELETE CASCADE,
  organisation_id bigint NOT NULL REFERENCES organisations (id),
  agent_id        bigint REFERENCES agents (id),
  level           text NOT NULL,
  CONSTRAINT sector_attribution_level_is_known CHECK (level IN ('organisation', 'agent')),
  CONSTRAINT sector_attribution_agent_matches_level CHECK ((level = 'agent') = (agent_id IS NOT NULL)),
  CONSTRAINT sector_attribution_is_unique UNIQUE NULLS NOT DISTINCT (sector_id, organisation_id, agent_id)
);

-- ---------------------------------------------------------------------------------------------
-- Side effects, integrations and traceability
-- ---------------------------------------------------------------------------------------------

-- Written in the same transaction as the change; delivered later by jobs, idempotently.
CREATE TABLE outbox_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic         text NOT NULL,
  aggregate_id  bigint NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz
);
CREATE INDEX outbox_events_pending_idx ON outbox_events (id) WHERE processed_at IS NULL;

CREATE TABLE notification_receipts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appointment_id  bigint REFERENCES appointments (id) ON DELETE SET NULL,
  user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
  agent_id        bigint REFERENCES agents (id) ON DELETE SET NULL,
  channel         text NOT NULL,
  event           text NOT NULL,
  result          text NOT NULL,
  provider        text,
  provider_message_id text,
  error           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT receipt_channel_is_known CHECK (channel IN ('sms', 'mail')),
  CONSTRAINT receipt_event_is_known CHECK (event IN ('appointment_created', 'appointment_updated', 'appointment_cancelled', 'reminder', 'waitlist_offer', 'other')),
  CONSTRAINT receipt_result_is_known CHECK (result IN ('processed', 'sent', 'delivered', 'failure'))
);
CREATE INDEX notification_receipts_appointment_idx ON notification_receipts (appointment_id);

CREATE TABLE webhook_endpoints (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id   bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  target_url        text NOT NULL,
  -- AES-GCM ciphertext of the signing secret (see docs/adr), never the secret itself
  secret_encrypted  text NOT NULL,
  subscriptions     text[] NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT webhook_target_is_https CHECK (target_url ~ '^https://')
);

CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  actor_type    text NOT NULL,
  actor_id      bigint,
  action        text NOT NULL,
  subject_type  text NOT NULL,
  subject_id    bigint,
  territory_id  bigint REFERENCES territories (id),
  details       jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT audit_actor_type_is_known CHECK (actor_type IN ('agent', 'user', 'prescripteur', 'system', 'super_admin')),
  CONSTRAINT audit_action_is_known CHECK (action IN ('create', 'update', 'delete', 'read', 'export', 'impersonate', 'overbook'))
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);
