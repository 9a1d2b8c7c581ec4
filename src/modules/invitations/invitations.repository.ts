// SQL of partner invitations.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

/** Id of a motif category by its national short name ('rsa_orientation'). */
export async function findMotifCategoryId(db: Kysely<Database>, shortName: string): Promise<number | undefined> {
  const row = await db.selectFrom('motif_categories').select('id').where('short_name', '=', shortName).executeTakeFirst();
  return row?.id;
}

/** Records the filter an invitation token carries. */
export async function insertInvitation(
  trx: Transaction<Database>,
  invitation: { accessTokenId: number; motifCategoryId: number; organisationIds: readonly number[]; partner: string; createdAt: Date },
): Promise<void> {
  await trx
    .insertInto('invitations')
    .values({
      access_token_id: invitation.accessTokenId,
      motif_category_id: invitation.motifCategoryId,
      organisation_ids: [...invitation.organisationIds],
      partner: invitation.partner,
      created_at: invitation.createdAt,
    })
    .execute();
}

export interface InvitationRow {
  readonly accessTokenId: number;
  readonly motifCategoryId: number;
  readonly organisationIds: number[];
  readonly failedAttempts: number;
  readonly revokedAt: Date | null;
  /** The invited usager's last name, compared with the letters they type (never shown). */
  readonly lastName: string;
}

/** The invitation whose token has this hash, with what its checks need. */
export async function findInvitationByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<InvitationRow | undefined> {
  const row = await db
    .selectFrom('invitations as i')
    .innerJoin('access_tokens as t', 't.id', 'i.access_token_id')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['i.access_token_id', 'i.motif_category_id', 'i.organisation_ids', 'i.failed_attempts', 'i.revoked_at', 'u.last_name'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        accessTokenId: row.access_token_id,
        motifCategoryId: row.motif_category_id,
        organisationIds: row.organisation_ids,
        failedAttempts: row.failed_attempts,
        revokedAt: row.revoked_at,
        lastName: row.last_name,
      };
}

/**
 * Claims one answer to the last-name question, atomically: the count goes up only while under the
 * limit, so concurrent guesses can never compare more than `limit` answers. Returns the attempts
 * claimed so far, or null when the invitation is locked.
 */
export async function claimInvitationAttempt(db: Kysely<Database>, accessTokenId: number, limit: number): Promise<number | null> {
  const row = await db
    .updateTable('invitations')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('access_token_id', '=', accessTokenId)
    .where('failed_attempts', '<', limit)
    .returning('failed_attempts')
    .executeTakeFirst();
  return row === undefined ? null : row.failed_attempts;
}

/** Gives back a claimed attempt whose answer was right. */
export async function refundInvitationAttempt(db: Kysely<Database>, accessTokenId: number): Promise<void> {
  await db
    .updateTable('invitations')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '-', 1) }))
    .where('access_token_id', '=', accessTokenId)
    .where('failed_attempts', '>', 0)
    .execute();
}

/** Revokes the invitation; false when there is no such invitation or it was already revoked. */
export async function markInvitationRevoked(db: Kysely<Database>, accessTokenId: number, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('access_token_id', '=', accessTokenId)
    .where('revoked_at', 'is', null)
    .returning('access_token_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The usager's referent agents. */
export async function findReferentIds(db: Kysely<Database>, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('referent_assignations').select('agent_id').where('user_id', '=', userId).execute();
  return rows.map((row) => row.agent_id);
}
