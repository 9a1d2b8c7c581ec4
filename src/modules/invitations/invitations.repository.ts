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

/** The filter of the invitation whose token has this hash. */
export async function findInvitationByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<{ motifCategoryId: number; organisationIds: number[] } | undefined> {
  const row = await db
    .selectFrom('invitations as i')
    .innerJoin('access_tokens as t', 't.id', 'i.access_token_id')
    .select(['i.motif_category_id', 'i.organisation_ids'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row === undefined ? undefined : { motifCategoryId: row.motif_category_id, organisationIds: row.organisation_ids };
}

/** The usager's referent agents. */
export async function findReferentIds(db: Kysely<Database>, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('referent_assignations').select('agent_id').where('user_id', '=', userId).execute();
  return rows.map((row) => row.agent_id);
}
