import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import type { Database } from './schema.js';

/**
 * Every column of every table, checked both ways: the compiler refuses a missing or unknown key
 * against the Kysely types, and the test compares the list with the migrated database.
 */
const COLUMNS: { [Table in keyof Database]: Record<keyof Database[Table], true> } = {
  dev_outbox_emails: { id: true, message_id: true, sender: true, recipient: true, subject: true, text_body: true, html_body: true, attachments: true, created_at: true },
  http_sessions: { session_id_hash: true, data: true, created_at: true, expires_at: true },
  rate_limit_hits: { key_hash: true, hits: true, window_ends_at: true },
  sign_in_throttles: { key_hash: true, failures: true, window_ends_at: true, blocked_until: true },
  access_tokens: { id: true, token_hash: true, purpose: true, user_id: true, participation_id: true, appointment_id: true, created_at: true, expires_at: true, used_at: true, failed_attempts: true, pending_password_hash: true },
  booking_idempotency_keys: { id: true, key: true, operation: true, user_id: true, request_fingerprint: true, appointment_id: true, created_at: true, agent_id: true },
  invitations: { access_token_id: true, motif_category_id: true, organisation_ids: true, partner: true, created_at: true, failed_attempts: true, revoked_at: true },
  waitlist_entries: { id: true, appointment_id: true, user_id: true, offers_sent: true, last_offer_sent_at: true, created_at: true },
  absences: { id: true, agent_id: true, organisation_id: true, title: true, first_day: true, start_time: true, end_day: true, end_time: true, last_day: true, time_zone: true, recurrence: true, excluded_dates: true, active_days: true, created_at: true },
  agent_roles: { agent_id: true, organisation_id: true, access_level: true },
  agent_services: { agent_id: true, service_id: true },
  agent_teams: { agent_id: true, team_id: true },
  agent_territorial_roles: { agent_id: true, territory_id: true },
  agents: { id: true, email: true, first_name: true, last_name: true, password_hash: true, is_super_admin: true, created_at: true, deleted_at: true, session_generation: true, invitation_accepted_at: true, notification_level: true },
  agent_calendar_feeds: { id: true, agent_id: true, token_hash: true, detail_level: true, created_at: true, revoked_at: true, last_used_at: true },
  agent_tokens: { id: true, agent_id: true, purpose: true, token_hash: true, created_by_agent_id: true, expires_at: true, used_at: true, revoked_at: true, created_at: true },
  appointment_agents: { appointment_id: true, agent_id: true, during: true, is_active: true, is_collective: true, overlap_allowed: true, overlap_allowed_by_agent_id: true, overlap_reason: true },
  appointment_types: { id: true, organisation_id: true, service_id: true, motif_category_id: true, name: true, color: true, duration_minutes: true, slot_step_minutes: true, buffer_before_minutes: true, buffer_after_minutes: true, location_type: true, bookable_by: true, min_booking_notice_minutes: true, max_booking_notice_minutes: true, is_collective: true, is_follow_up_only: true, visibility: true, sectorisation_level: true, restriction_for_booking: true, instruction_for_booking: true, cancel_deadline_minutes: true, reschedule_deadline_minutes: true, archived_at: true, created_at: true, reminder_offsets_minutes: true },
  appointments: { id: true, public_id: true, organisation_id: true, appointment_type_id: true, place_id: true, during: true, time_zone: true, status: true, is_collective: true, max_participants: true, name: true, context: true, created_by_type: true, created_by_agent_id: true, created_by_user_id: true, cancelled_at: true, created_at: true, updated_at: true, revision: true },
  read_journal: { id: true, occurred_at: true, territory_id: true, organisation_id: true, agent_id: true, kind: true, user_ids: true, reason: true, details: true },
  user_search_terms: { organisation_id: true, term: true, user_id: true },
  user_search_names: { organisation_id: true, user_id: true, names: true },
  exports: { id: true, public_id: true, agent_id: true, organisation_id: true, territory_id: true, kind: true, filters: true, reason: true, status: true, rows_done: true, rows_total: true, attempts: true, locked_until: true, error: true, file_name: true, byte_size: true, created_at: true, started_at: true, finished_at: true, expires_at: true },
  export_chunks: { export_id: true, position: true, content: true },
  audit_log: { id: true, occurred_at: true, actor_type: true, actor_id: true, action: true, subject_type: true, subject_id: true, territory_id: true, details: true, impersonator_agent_id: true },
  motif_categories: { id: true, name: true, short_name: true },
  notification_receipts: { id: true, appointment_id: true, user_id: true, agent_id: true, channel: true, event: true, result: true, provider: true, provider_message_id: true, error: true, created_at: true, notification_id: true, territory_id: true, attempt: true, segments: true, reference: true },
  notifications: { id: true, idempotency_key: true, event: true, channel: true, appointment_id: true, user_id: true, agent_id: true, territory_id: true, outbox_event_id: true, details: true, content_encrypted: true, status: true, attempts: true, not_before: true, not_after: true, locked_until: true, last_error: true, created_at: true, sent_at: true },
  opening_period_appointment_types: { opening_period_id: true, appointment_type_id: true },
  opening_period_overrides: { opening_period_id: true, occurrence_date: true, start_time: true, end_time: true, place_id: true },
  opening_periods: { id: true, organisation_id: true, agent_id: true, place_id: true, title: true, first_day: true, last_day: true, start_time: true, end_time: true, recurrence: true, excluded_dates: true, active_days: true, created_at: true, updated_at: true },
  organisations: { id: true, territory_id: true, name: true, slug: true, external_id: true, time_zone: true, phone_number: true, email: true, website: true, open_on_holidays: true, created_at: true },
  outbox_events: { id: true, topic: true, aggregate_id: true, payload: true, created_at: true, processed_at: true },
  participations: { id: true, appointment_id: true, user_id: true, status: true, send_lifecycle_notifications: true, send_reminder_notification: true, created_by_type: true, created_by_agent_id: true, created_by_user_id: true, prescripteur: true, created_at: true },
  places: { id: true, organisation_id: true, name: true, address: true, latitude: true, longitude: true, time_zone: true, phone_number: true, status: true, created_at: true, accessibility_notes: true },
  referent_assignations: { user_id: true, agent_id: true },
  schema_migrations: { version: true, name: true, applied_at: true },
  sector_attributions: { id: true, sector_id: true, organisation_id: true, agent_id: true, level: true },
  sectorisation_imports: { id: true, territory_id: true, agent_id: true, file_name: true, content: true, content_sha256: true, created_at: true, expires_at: true, applied_at: true },
  sectors: { id: true, territory_id: true, name: true, human_id: true },
  services: { id: true, name: true, short_name: true, is_secretariat: true },
  teams: { id: true, territory_id: true, name: true },
  territories: { id: true, departement_number: true, name: true, holiday_region: true, created_at: true, mail_from: true, mail_reply_to: true, users_search_scope: true, read_reason_required: true, user_fields: true },
  territory_sms_settings: { territory_id: true, provider: true, sender: true, credentials_encrypted: true, fallback_provider: true, fallback_credentials_encrypted: true, report_token_hash: true, low_credit_threshold: true, low_credit_alerted_at: true, updated_at: true },
  territory_services: { territory_id: true, service_id: true },
  territory_closures: { id: true, territory_id: true, first_day: true, last_day: true, label: true, created_at: true },
  territory_motif_categories: { territory_id: true, motif_category_id: true },
  user_profiles: { user_id: true, organisation_id: true, notes: true, created_at: true },
  users: { id: true, responsible_id: true, first_name: true, last_name: true, birth_name: true, birth_date: true, email: true, phone_number: true, phone_number_e164: true, address: true, password_hash: true, notify_by_sms: true, notify_by_email: true, created_through: true, confirmed_at: true, created_at: true, deleted_at: true, caisse_affiliation: true, affiliation_number: true, family_situation: true, number_of_children: true, housing: true, case_number: true },
  webhook_endpoints: { id: true, organisation_id: true, target_url: true, secret_encrypted: true, subscriptions: true, created_at: true },
  agent_second_factors: { agent_id: true, secret_encrypted: true, created_at: true, confirmed_at: true, last_used_step: true },
  impersonations: { id: true, super_admin_agent_id: true, agent_id: true, reason: true, started_at: true, expires_at: true, ended_at: true, end_reason: true },
  impersonation_requests: { id: true, impersonation_id: true, occurred_at: true, method: true, path: true },
  zones: { id: true, sector_id: true, level: true, city_code: true, city_name: true, street_ban_id: true, street_name: true },
};

describe('Kysely table types', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('declare exactly the tables and columns of the migrated database', async () => {
    const rows = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public'
        -- the parts of a partitioned table (user_search_names_0…) are the table itself
        AND table_name NOT IN (SELECT c.relname FROM pg_class c WHERE c.relispartition)
      ORDER BY table_name, ordinal_position`.execute(database.db);
    const actual: Record<string, string[]> = {};
    for (const row of rows.rows) (actual[row.table_name] ??= []).push(row.column_name);
    const declared = Object.fromEntries(Object.entries(COLUMNS).map(([table, columns]) => [table, Object.keys(columns)]));
    expect(actual).toEqual(declared);
  });
});
