// SQL of the access-tokens module (table access_tokens, migrations/0003).
import type { Kysely } from 'kysely';
import type { AccessTokenPurpose, Database } from '../../platform/db/schema.js';

type AccessTokensDb = Kysely<Database>;

export interface AccessTokenRow {
  readonly id: number;
  readonly purpose: AccessTokenPurpose;
  readonly userId: number | null;
  readonly participationId: number | null;
  readonly appointmentId: number | null;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly failedAttempts: number;
}

export async function findAccessTokenByHash(db: AccessTokensDb, tokenHash: string): Promise<AccessTokenRow | undefined> {
  const row = await db
    .selectFrom('access_tokens')
    .select(['id', 'purpose', 'user_id', 'participation_id', 'appointment_id', 'expires_at', 'used_at', 'failed_attempts'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    purpose: row.purpose,
    userId: row.user_id,
    participationId: row.participation_id,
    appointmentId: row.appointment_id,
    expiresAt: new Date(row.expires_at),
    usedAt: row.used_at === null ? null : new Date(row.used_at),
    failedAttempts: row.failed_attempts,
  };
}

export async function findParticipationTarget(
  db: AccessTokensDb,
  participationId: number,
): Promise<{ appointmentId: number; userId: number; publicId: string; lastName: string } | undefined> {
  const row = await db
    .selectFrom('participations as p')
    .innerJoin('appointments as a', 'a.id', 'p.appointment_id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.appointment_id', 'p.user_id', 'a.public_id', 'u.last_name'])
    .where('p.id', '=', participationId)
    .executeTakeFirst();
  return row === undefined ? undefined : { appointmentId: row.appointment_id, userId: row.user_id, publicId: row.public_id, lastName: row.last_name };
}

export async function deleteExpiredAccessTokens(db: AccessTokensDb, now: Date): Promise<number> {
  const result = await db.deleteFrom('access_tokens').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Checks that guard a limit are the WHERE clause of the one statement that counts or spends, so
// concurrent requests cannot slip past them (ADR 0013).

/** Stores a new token (its hash), with the pending password of a sign-up's confirmation link. */
export async function insertAccessTokenRow(
  db: AccessTokensDb,
  token: {
    tokenHash: string;
    purpose: AccessTokenPurpose;
    userId: number;
    participationId: number | null;
    appointmentId: number | null;
    pendingPasswordHash: string | null;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('access_tokens')
    .values({
      token_hash: token.tokenHash,
      purpose: token.purpose,
      user_id: token.userId,
      participation_id: token.participationId,
      appointment_id: token.appointmentId,
      pending_password_hash: token.pendingPasswordHash,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Counts one answer to an appointment link's last-name question before it is compared, in one
 * statement that also checks the lock: a row comes back only while fewer than `limit` answers
 * were counted, so at most `limit` answers are ever compared, however many arrive at once.
 */
export async function claimNameAttempt(
  db: AccessTokensDb,
  request: { tokenHash: string; now: Date; limit: number },
): Promise<{ id: number; participationId: number | null; attempts: number } | undefined> {
  const row = await db
    .updateTable('access_tokens')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('token_hash', '=', request.tokenHash)
    .where('purpose', '=', 'appointment_access')
    .where('expires_at', '>', request.now)
    .where('failed_attempts', '<', request.limit)
    .returning(['id', 'participation_id', 'failed_attempts'])
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, participationId: row.participation_id, attempts: row.failed_attempts };
}

/** Gives back the attempt counted for a right answer (only wrong answers stay counted). */
export async function refundNameAttempt(db: AccessTokensDb, tokenId: number): Promise<void> {
  await db
    .updateTable('access_tokens')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '-', 1) }))
    .where('id', '=', tokenId)
    .where('failed_attempts', '>', 0)
    .execute();
}

/** Spends a single-use token in one statement: unexpired, unused, of this purpose; undefined otherwise. */
export async function spendAccessToken(
  db: AccessTokensDb,
  request: { tokenHash: string; purpose: AccessTokenPurpose; now: Date },
): Promise<{ id: number; userId: number | null; pendingPasswordHash: string | null } | undefined> {
  const row = await db
    .updateTable('access_tokens')
    .set({ used_at: request.now })
    .where('token_hash', '=', request.tokenHash)
    .where('purpose', '=', request.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', request.now)
    .returning(['id', 'user_id', 'pending_password_hash'])
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, userId: row.user_id, pendingPasswordHash: row.pending_password_hash };
}

/** Marks every unused token of a user for these purposes as used, and drops their pending passwords. */
export async function revokeUserTokens(db: AccessTokensDb, request: { userId: number; purposes: readonly AccessTokenPurpose[]; now: Date }): Promise<number> {
  if (request.purposes.length === 0) return 0;
  const result = await db
    .updateTable('access_tokens')
    .set({ used_at: request.now, pending_password_hash: null })
    .where('user_id', '=', request.userId)
    .where('purpose', 'in', request.purposes)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Drops the pending password of a spent confirmation link once it was applied (no hash left behind). */
export async function forgetPendingPassword(db: AccessTokensDb, tokenId: number): Promise<void> {
  await db.updateTable('access_tokens').set({ pending_password_hash: null }).where('id', '=', tokenId).execute();
}

/** The pending password a confirmation link carries (null when none, undefined when no such link). */
export async function findPendingPassword(db: AccessTokensDb, tokenHash: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('access_tokens').select('pending_password_hash').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row?.pending_password_hash;
}
