/**
 * Kysely types of the booking tables (migrations/0003_booking.sql), declared in
 * platform/db/schema.ts; `withBookingTables(db)` is kept as a typed view of the handle.
 */
import type { Kysely } from 'kysely';
import type {
  AccessTokenPurpose,
  AccessTokensTable,
  BookingIdempotencyKeysTable,
  Database,
  IdempotentOperation,
  WaitlistEntriesTable,
} from '../../platform/db/schema.js';

export type { AccessTokenPurpose, AccessTokensTable, BookingIdempotencyKeysTable, IdempotentOperation, WaitlistEntriesTable };

export type BookingTables = {
  booking_idempotency_keys: BookingIdempotencyKeysTable;
  waitlist_entries: WaitlistEntriesTable;
  access_tokens: AccessTokensTable;
};

export type BookingDatabase = Database & BookingTables;

/** The handle with the booking tables added (a no-op at run time). */
export function withBookingTables(db: Kysely<Database>): Kysely<BookingDatabase> {
  return db.withTables<BookingTables>();
}

/** The same handle seen through the core schema, for calls into other modules (availability). */
export function asCoreDatabase(db: Kysely<BookingDatabase>): Kysely<Database> {
  return db;
}
