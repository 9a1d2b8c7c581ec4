// SQL of the access-tokens module (table access_tokens, migrations/0003).
import type { Kysely } from 'kysely';
import type { AccessTokenPurpose, Database } from '../../platform/db/schema.js';

type AccessTokensDb = Kysely<Database>;

export interface NewAccessToken {
  readonly tokenHash: string;
  readonly purpose: AccessTokenPurpose;
  readonly userId: number | null;
  readonly participationId: number | null;
  readonly appointmentId: number | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export async function insertAccessToken(db: AccessTokensDb, token: NewAccessToken): Promise<number> {
  const row = await db
    .insertInto('access_tokens')
    .values({
      token_hash: token.tokenHash,
      purpose: token.purpose,
      user_id: token.userId,
      participation_id: token.participationId,
      appointment_id: token.appointmentId,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

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

/** Counts one wrong answer, atomically; returns the new count, or null when already at the limit. */
export async function recordFailedAttempt(db: AccessTokensDb, tokenId: number, limit: number): Promise<number | null> {
  const row = await db
    .updateTable('access_tokens')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', tokenId)
    .where('failed_attempts', '<', limit)
    .returning('failed_attempts')
    .executeTakeFirst();
  return row === undefined ? null : row.failed_attempts;
}

/** Marks a single-use token used; false when another request consumed it first. */
export async function markAccessTokenUsed(db: AccessTokensDb, tokenId: number, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('access_tokens')
    .set({ used_at: now })
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
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
