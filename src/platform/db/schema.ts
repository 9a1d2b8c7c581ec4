/**
 * Kysely table types, written by hand to match migrations/*.sql. `Generated` marks columns with
 * a database default; `tstzrange` columns travel as their text form ('["2026-01-05 09:00:00+00","…")').
 * A test (schema.int.test.ts) compares these declarations with the migrated database.
 */
import type { ColumnType, Generated } from 'kysely';
import type { MailerTables } from '../mailer/mailer.tables.js';
import type { SecurityTables } from '../security/security.tables.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** 'YYYY-MM-DD' */
type DateString = string;
/** 'HH:MM:SS' */
type TimeString = string;
type Id = Generated<number>;

export type LocationType = 'public_office' | 'phone' | 'home' | 'visio';
export type AppointmentStatus = 'unknown' | 'seen' | 'excused' | 'revoked' | 'noshow';
export type AccessLevel = 'admin' | 'basic' | 'intervenant';
export type CreatedByType = 'agent' | 'user' | 'prescripteur' | 'waitlist' | 'api_client';
export type BookableBy = 'agents' | 'agents_and_prescripteurs' | 'agents_and_prescripteurs_and_invited_users' | 'everyone';
export type SectorisationLevel = 'departement' | 'organisation' | 'agent';
export type PlaceStatus = 'enabled' | 'disabled' | 'single_use';

export interface TerritoriesTable {
  id: Id;
  departement_number: string;
  name: string;
  holiday_region: string | null;
  created_at: Timestamp;
  /** Sender and reply-to of the territory's e-mails (0011); null: MAIL_FROM, no reply-to. */
  mail_from: string | null;
  mail_reply_to: string | null;
  /** Whose usagers an agent finds in the directory (0012). */
  users_search_scope: Generated<UsersSearchScope>;
  /** Whether opening a user page or exporting asks for a reason (0012). */
  read_reason_required: Generated<boolean>;
  /** The optional social fields enabled in this territory (0012). */
  user_fields: Generated<UserField[]>;
}

export type UsersSearchScope = 'organisation' | 'territory';
/** The optional social fields a territory may enable (`notes` lives on `user_profiles`). */
export const USER_FIELDS = ['caisse_affiliation', 'affiliation_number', 'family_situation', 'number_of_children', 'housing', 'case_number', 'notes'] as const;
export type UserField = (typeof USER_FIELDS)[number];

export interface OrganisationsTable {
  id: Id;
  territory_id: number;
  name: string;
  slug: string;
  external_id: string | null;
  time_zone: Generated<string>;
  phone_number: string | null;
  email: string | null;
  website: string | null;
  open_on_holidays: Generated<string[]>;
  created_at: Timestamp;
}

export interface ServicesTable {
  id: Id;
  name: string;
  short_name: string;
  is_secretariat: Generated<boolean>;
}

export interface TerritoryServicesTable {
  territory_id: number;
  service_id: number;
}

export interface MotifCategoriesTable {
  id: Id;
  name: string;
  short_name: string;
}

/** A local closure of every organisation of a territory, on whole local days (0017). */
export interface TerritoryClosuresTable {
  id: Id;
  territory_id: number;
  first_day: DateString;
  last_day: DateString;
  label: string;
  created_at: Timestamp;
}

/** The motif categories a territory enables (0017). */
export interface TerritoryMotifCategoriesTable {
  territory_id: number;
  motif_category_id: number;
}

export interface PlacesTable {
  id: Id;
  organisation_id: number;
  name: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  time_zone: Generated<string>;
  phone_number: string | null;
  status: Generated<PlaceStatus>;
  created_at: Timestamp;
  /** Access for visitors (step-free, lift, parking…), at most 1 000 characters (0015). */
  accessibility_notes: string | null;
}

export interface AppointmentTypesTable {
  id: Id;
  organisation_id: number;
  service_id: number;
  motif_category_id: number | null;
  name: string;
  color: Generated<string>;
  duration_minutes: number;
  slot_step_minutes: number | null;
  buffer_before_minutes: Generated<number>;
  buffer_after_minutes: Generated<number>;
  location_type: Generated<LocationType>;
  bookable_by: Generated<BookableBy>;
  min_booking_notice_minutes: Generated<number>;
  max_booking_notice_minutes: Generated<number>;
  is_collective: Generated<boolean>;
  is_follow_up_only: Generated<boolean>;
  visibility: Generated<'visible_and_notified' | 'visible_and_not_notified' | 'invisible'>;
  sectorisation_level: Generated<SectorisationLevel>;
  restriction_for_booking: string | null;
  instruction_for_booking: string | null;
  cancel_deadline_minutes: Generated<number>;
  reschedule_deadline_minutes: Generated<number>;
  archived_at: Date | null;
  created_at: Timestamp;
  /** Minutes before the start; 48 h by default, at most two (0011). */
  reminder_offsets_minutes: Generated<number[]>;
}

export type AgentNotificationLevel = 'all' | 'others' | 'soon' | 'none';

export interface AgentsTable {
  id: Id;
  email: string | null;
  first_name: string;
  last_name: string;
  password_hash: string | null;
  is_super_admin: Generated<boolean>;
  created_at: Timestamp;
  deleted_at: Date | null;
  session_generation: Generated<number>;
  invitation_accepted_at: Date | null;
  notification_level: Generated<AgentNotificationLevel>;
}

export type AgentTokenPurpose = 'invitation' | 'password_reset';

export interface AgentTokensTable {
  id: Id;
  agent_id: number;
  purpose: AgentTokenPurpose;
  token_hash: string;
  created_by_agent_id: number | null;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  created_at: Timestamp;
}

export type CalendarFeedDetailLevel = 'minimal' | 'motif' | 'initials' | 'motif_and_initials';

export interface AgentCalendarFeedsTable {
  id: Id;
  agent_id: number;
  token_hash: string;
  detail_level: Generated<CalendarFeedDetailLevel>;
  created_at: Timestamp;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface AgentRolesTable {
  agent_id: number;
  organisation_id: number;
  access_level: AccessLevel;
}

export interface AgentTerritorialRolesTable {
  agent_id: number;
  territory_id: number;
}

export interface AgentServicesTable {
  agent_id: number;
  service_id: number;
}

export interface TeamsTable {
  id: Id;
  territory_id: number;
  name: string;
}

export interface AgentTeamsTable {
  agent_id: number;
  team_id: number;
}

export interface UsersTable {
  id: Id;
  responsible_id: number | null;
  first_name: string;
  last_name: string;
  birth_name: string | null;
  birth_date: DateString | null;
  email: string | null;
  phone_number: string | null;
  phone_number_e164: string | null;
  address: string | null;
  password_hash: string | null;
  notify_by_sms: Generated<boolean>;
  notify_by_email: Generated<boolean>;
  created_through: Generated<'agent' | 'user_sign_up' | 'prescripteur' | 'franceconnect' | 'invitation' | 'seed'>;
  confirmed_at: Date | null;
  created_at: Timestamp;
  deleted_at: Date | null;
  /** Optional social fields (0012), shown where the territory enables them. */
  caisse_affiliation: 'caf' | 'msa' | null;
  affiliation_number: string | null;
  family_situation: 'single' | 'in_a_relationship' | 'divorced' | 'widowed' | null;
  number_of_children: number | null;
  housing: 'tenant' | 'owner' | 'hosted' | 'homeless' | 'other' | null;
  case_number: string | null;
}

export interface UserProfilesTable {
  user_id: number;
  organisation_id: number;
  notes: string | null;
  created_at: Timestamp;
}

export interface ReferentAssignationsTable {
  user_id: number;
  agent_id: number;
}

export interface AppointmentsTable {
  id: Id;
  public_id: Generated<string>;
  organisation_id: number;
  appointment_type_id: number;
  place_id: number | null;
  during: string;
  time_zone: string;
  status: Generated<AppointmentStatus>;
  is_collective: Generated<boolean>;
  max_participants: number | null;
  name: string | null;
  context: string | null;
  created_by_type: CreatedByType;
  created_by_agent_id: number | null;
  created_by_user_id: number | null;
  cancelled_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Incremented by every change the usager sees (time, place, status): the ICS SEQUENCE. */
  revision: Generated<number>;
}

export interface AppointmentAgentsTable {
  appointment_id: number;
  agent_id: number;
  /** copied from the appointment by a trigger */
  during: ColumnType<string, never, never>;
  is_active: ColumnType<boolean, never, never>;
  is_collective: ColumnType<boolean, never, never>;
  overlap_allowed: Generated<boolean>;
  overlap_allowed_by_agent_id: number | null;
  overlap_reason: string | null;
}

export interface ParticipationsTable {
  id: Id;
  appointment_id: number;
  user_id: number;
  status: Generated<AppointmentStatus>;
  send_lifecycle_notifications: Generated<boolean>;
  send_reminder_notification: Generated<boolean>;
  created_by_type: CreatedByType;
  created_by_agent_id: number | null;
  created_by_user_id: number | null;
  prescripteur: unknown;
  created_at: Timestamp;
}

export interface OpeningPeriodsTable {
  id: Id;
  organisation_id: number;
  agent_id: number;
  place_id: number | null;
  title: string;
  first_day: DateString;
  last_day: DateString | null;
  start_time: TimeString;
  end_time: TimeString;
  recurrence: string | null;
  excluded_dates: Generated<DateString[]>;
  active_days: ColumnType<string, never, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OpeningPeriodOverridesTable {
  opening_period_id: number;
  occurrence_date: DateString;
  start_time: TimeString;
  end_time: TimeString;
  place_id: number | null;
}

export interface OpeningPeriodAppointmentTypesTable {
  opening_period_id: number;
  appointment_type_id: number;
}

export interface AbsencesTable {
  id: Id;
  agent_id: number;
  organisation_id: number | null;
  title: string;
  first_day: DateString;
  start_time: TimeString;
  end_day: DateString;
  end_time: TimeString;
  last_day: DateString | null;
  time_zone: Generated<string>;
  recurrence: string | null;
  excluded_dates: Generated<DateString[]>;
  active_days: ColumnType<string, never, never>;
  created_at: Timestamp;
}

export interface SectorsTable {
  id: Id;
  territory_id: number;
  name: string;
  human_id: string;
}

export interface ZonesTable {
  id: Id;
  sector_id: number;
  level: 'city' | 'street';
  city_code: string;
  city_name: string;
  street_ban_id: string | null;
  street_name: string | null;
}

export interface SectorAttributionsTable {
  id: Id;
  sector_id: number;
  organisation_id: number;
  agent_id: number | null;
  level: 'organisation' | 'agent';
}

/** A zones CSV kept between its dry run and its confirmation (sectorisation-admin, ADR 0031). */
export interface SectorisationImportsTable {
  id: string;
  territory_id: number;
  agent_id: number;
  file_name: string;
  content: string;
  content_sha256: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  applied_at: Date | null;
}

export interface OutboxEventsTable {
  id: Id;
  topic: string;
  aggregate_id: number;
  payload: ColumnType<unknown, string | undefined, string>;
  created_at: Timestamp;
  processed_at: Date | null;
}

export type NotificationEvent = 'appointment_created' | 'appointment_updated' | 'appointment_cancelled' | 'reminder' | 'waitlist_offer' | 'account';
export type NotificationChannel = 'sms' | 'mail';
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'in_doubt';
export type SmsProviderName = 'smsfactor' | 'brevo' | 'netsize' | 'clever' | 'orange_contact_everyone' | 'sfr_mail2sms' | 'log';

export interface NotificationReceiptsTable {
  id: Id;
  appointment_id: number | null;
  user_id: number | null;
  agent_id: number | null;
  channel: NotificationChannel;
  event: NotificationEvent | 'other';
  result: 'processed' | 'sent' | 'delivered' | 'failure';
  provider: string | null;
  provider_message_id: string | null;
  error: string | null;
  created_at: Timestamp;
  notification_id: number | null;
  territory_id: number | null;
  attempt: number | null;
  segments: number | null;
  reference: string | null;
}

export interface NotificationsTable {
  id: Id;
  idempotency_key: string;
  event: NotificationEvent;
  channel: NotificationChannel;
  appointment_id: number | null;
  user_id: number | null;
  agent_id: number | null;
  territory_id: number | null;
  outbox_event_id: number | null;
  details: ColumnType<unknown, string | undefined, string>;
  content_encrypted: string | null;
  status: Generated<NotificationStatus>;
  attempts: Generated<number>;
  not_before: Timestamp;
  not_after: Date | null;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
}

export interface TerritorySmsSettingsTable {
  territory_id: number;
  provider: SmsProviderName;
  sender: string;
  credentials_encrypted: string | null;
  fallback_provider: SmsProviderName | null;
  fallback_credentials_encrypted: string | null;
  report_token_hash: string | null;
  low_credit_threshold: number | null;
  low_credit_alerted_at: Date | null;
  updated_at: Timestamp;
}

export interface WebhookEndpointsTable {
  id: Id;
  organisation_id: number;
  target_url: string;
  secret_encrypted: string;
  subscriptions: Generated<string[]>;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Id;
  occurred_at: Timestamp;
  actor_type: 'agent' | 'user' | 'prescripteur' | 'api_client' | 'system' | 'super_admin';
  actor_id: number | null;
  action: 'create' | 'update' | 'delete' | 'read' | 'export' | 'impersonate' | 'overbook';
  subject_type: string;
  subject_id: number | null;
  territory_id: number | null;
  details: ColumnType<unknown, string | undefined, string>;
  /** The super admin acting as the agent when the entry was written (migrations/0019_super_admin.sql). */
  impersonator_agent_id: number | null;
}

// Booking (migrations/0003_booking.sql). Type aliases: Kysely's `withTables` needs an implicit index signature.
export type IdempotentOperation = 'book' | 'join' | 'reschedule' | 'agent_create' | 'agent_update';
export type AccessTokenPurpose = 'appointment_access' | 'passwordless_sign_in' | 'email_confirmation' | 'invitation' | 'password_reset';

export type BookingIdempotencyKeysTable = {
  id: Id;
  key: string;
  operation: IdempotentOperation;
  /** The usager of a public request; null for an agent's request (migrations/0011). */
  user_id: number | null;
  request_fingerprint: string;
  appointment_id: number | null;
  created_at: Timestamp;
  /** The agent of an agent-side request (migrations/0011). */
  agent_id: number | null;
};

export type WaitlistEntriesTable = {
  id: Id;
  appointment_id: number;
  user_id: number;
  offers_sent: Generated<number>;
  last_offer_sent_at: Date | null;
  created_at: Timestamp;
};

export type AccessTokensTable = {
  id: Id;
  token_hash: string;
  purpose: AccessTokenPurpose;
  user_id: number | null;
  participation_id: number | null;
  appointment_id: number | null;
  created_at: ColumnType<Date, Date | string, Date | string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: Date | null;
  failed_attempts: Generated<number>;
  /** Argon2id hash of the password chosen at sign-up, applied when this confirmation link is used (0005). */
  pending_password_hash: Generated<string | null>;
};

export type InvitationsTable = {
  access_token_id: number;
  motif_category_id: number;
  organisation_ids: number[];
  partner: string;
  created_at: ColumnType<Date, Date | string, Date | string>;
  /** Wrong answers to the last-name question; the fifth locks the invitation. */
  failed_attempts: Generated<number>;
  revoked_at: Date | null;
};

// Users directory (migrations/0012_users_directory.sql).
export type ReadJournalKind = 'user_view' | 'user_search' | 'export';

/**
 * The directory's search terms per organisation that knows the usager (0014, ADR 0027): written
 * only by triggers on users and user_profiles, read by the search.
 */
export interface UserSearchTermsTable {
  organisation_id: number;
  /** A folded name (creneau_fold): last, first, birth, « first last », « last first ». */
  term: string;
  user_id: number;
}

export interface UserSearchNamesTable {
  organisation_id: number;
  user_id: number;
  /** creneau_user_names(first, last, birth): the typo phase's trigram text. */
  names: string;
}

/** Append-only: a trigger refuses UPDATE, and DELETE outside the retention purge. */
export interface ReadJournalTable {
  id: Id;
  occurred_at: Timestamp;
  territory_id: number;
  organisation_id: number | null;
  agent_id: number;
  kind: ReadJournalKind;
  user_ids: Generated<number[]>;
  reason: string | null;
  details: ColumnType<unknown, string | undefined, never>;
}

export type ExportKind = 'appointments' | 'participations';
export type ExportStatus = 'pending' | 'running' | 'done' | 'failed';

export interface ExportsTable {
  id: Id;
  public_id: Generated<string>;
  agent_id: number;
  organisation_id: number;
  territory_id: number;
  kind: ExportKind;
  filters: ColumnType<unknown, string | undefined, string>;
  reason: string | null;
  status: Generated<ExportStatus>;
  rows_done: Generated<number>;
  rows_total: number | null;
  attempts: Generated<number>;
  locked_until: Date | null;
  error: string | null;
  file_name: string | null;
  byte_size: ColumnType<number | null, number | null, number | null>;
  created_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface ExportChunksTable {
  export_id: number;
  position: number;
  content: Uint8Array;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  applied_at: Timestamp;
}

// Super admin back office (migrations/0019_super_admin.sql, ADR 0032).
export interface AgentSecondFactorsTable {
  agent_id: number;
  secret_encrypted: string;
  created_at: Generated<Date>;
  confirmed_at: Date | null;
  last_used_step: number | null;
}

export type ImpersonationEndReason = 'returned' | 'expired' | 'signed_out' | 'agent_unavailable';

export interface ImpersonationsTable {
  id: Id;
  super_admin_agent_id: number;
  agent_id: number;
  reason: string;
  started_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: ImpersonationEndReason | null;
}

export interface ImpersonationRequestsTable {
  id: Id;
  impersonation_id: number;
  occurred_at: Date;
  method: string;
  path: string;
}

export interface Database extends SecurityTables, MailerTables {
  territories: TerritoriesTable;
  organisations: OrganisationsTable;
  services: ServicesTable;
  territory_services: TerritoryServicesTable;
  motif_categories: MotifCategoriesTable;
  territory_closures: TerritoryClosuresTable;
  territory_motif_categories: TerritoryMotifCategoriesTable;
  places: PlacesTable;
  appointment_types: AppointmentTypesTable;
  agents: AgentsTable;
  agent_roles: AgentRolesTable;
  agent_tokens: AgentTokensTable;
  agent_calendar_feeds: AgentCalendarFeedsTable;
  agent_territorial_roles: AgentTerritorialRolesTable;
  agent_services: AgentServicesTable;
  teams: TeamsTable;
  agent_teams: AgentTeamsTable;
  users: UsersTable;
  user_profiles: UserProfilesTable;
  referent_assignations: ReferentAssignationsTable;
  appointments: AppointmentsTable;
  appointment_agents: AppointmentAgentsTable;
  participations: ParticipationsTable;
  opening_periods: OpeningPeriodsTable;
  opening_period_overrides: OpeningPeriodOverridesTable;
  opening_period_appointment_types: OpeningPeriodAppointmentTypesTable;
  absences: AbsencesTable;
  sectors: SectorsTable;
  zones: ZonesTable;
  sector_attributions: SectorAttributionsTable;
  sectorisation_imports: SectorisationImportsTable;
  outbox_events: OutboxEventsTable;
  notification_receipts: NotificationReceiptsTable;
  notifications: NotificationsTable;
  territory_sms_settings: TerritorySmsSettingsTable;
  webhook_endpoints: WebhookEndpointsTable;
  audit_log: AuditLogTable;
  booking_idempotency_keys: BookingIdempotencyKeysTable;
  waitlist_entries: WaitlistEntriesTable;
  access_tokens: AccessTokensTable;
  invitations: InvitationsTable;
  read_journal: ReadJournalTable;
  user_search_terms: UserSearchTermsTable;
  user_search_names: UserSearchNamesTable;
  exports: ExportsTable;
  export_chunks: ExportChunksTable;
  schema_migrations: SchemaMigrationsTable;
  agent_second_factors: AgentSecondFactorsTable;
  impersonations: ImpersonationsTable;
  impersonation_requests: ImpersonationRequestsTable;
}
