/**
 * Kysely types of the security tables (migrations/0002_sessions_and_outbox_mail.sql). Kept here
 * until platform/db/schema.ts lists them; `db.withTables<SecurityTables>()` adds them to a handle.
 * Type aliases, not interfaces: `withTables` needs types with an implicit index signature.
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type HttpSessionsTable = {
  session_id_hash: string;
  /** Written as a JSON string, read back parsed. */
  data: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
  expires_at: Timestamp;
};

export type RateLimitHitsTable = {
  key_hash: string;
  hits: number;
  window_ends_at: Timestamp;
};

export type SignInThrottlesTable = {
  key_hash: string;
  failures: number;
  window_ends_at: Timestamp;
  blocked_until: Date | null;
};

export type SecurityTables = {
  http_sessions: HttpSessionsTable;
  rate_limit_hits: RateLimitHitsTable;
  sign_in_throttles: SignInThrottlesTable;
};
