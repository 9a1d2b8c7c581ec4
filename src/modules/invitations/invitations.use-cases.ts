// Partner invitations (RDV-Insertion and the like): a link for one usager that opens the funnel
// on a motif category and some organisations, including motifs reserved to invited usagers.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { refuse, type Refusal } from '../../shared/refusal.js';
import { consumeAccessToken, hashAccessToken, isWellFormedAccessToken, issueAccessToken } from '../access-tokens/index.js';
import { findInvitationByTokenHash, findMotifCategoryId, findReferentIds, insertInvitation } from './invitations.repository.js';

export interface InvitationScope {
  readonly userId: number;
  readonly motifCategoryId: number;
  readonly organisationIds: readonly number[];
  /** The usager's referent agents (follow-up motifs are booked with them only). */
  readonly referentAgentIds: readonly number[];
}

/** Creates an invitation for a usager and returns the token of its link (valid 4 weeks by default). */
export async function createInvitation(
  db: Kysely<Database>,
  request: { userId: number; motifCategoryShortName: string; organisationIds: readonly number[]; partner: string; ttlMinutes?: number; now: Date },
): Promise<{ ok: true; token: string } | Refusal<'UNKNOWN_MOTIF_CATEGORY' | 'NO_ORGANISATION'>> {
  if (request.organisationIds.length === 0) return refuse('NO_ORGANISATION');
  const motifCategoryId = await findMotifCategoryId(db, request.motifCategoryShortName);
  if (motifCategoryId === undefined) return refuse('UNKNOWN_MOTIF_CATEGORY');
  // The token and its invitation are written together, or not at all.
  return db.transaction().execute(async (trx) => {
    const issued = await issueAccessToken(trx, {
      purpose: 'invitation',
      userId: request.userId,
      now: request.now,
      ...(request.ttlMinutes === undefined ? {} : { ttlMinutes: request.ttlMinutes }),
    });
    await insertInvitation(trx, {
      accessTokenId: issued.tokenId,
      motifCategoryId,
      organisationIds: request.organisationIds,
      partner: request.partner,
      createdAt: request.now,
    });
    return { ok: true as const, token: issued.token };
  });
}

/** Opens an invitation link: the usager and the funnel filter it carries. */
export async function openInvitation(
  db: Kysely<Database>,
  request: { token: string; now: Date },
): Promise<{ ok: true; invitation: InvitationScope } | Refusal<'INVALID_TOKEN' | 'EXPIRED' | 'LOCKED' | 'ALREADY_USED'>> {
  if (!isWellFormedAccessToken(request.token)) return refuse('INVALID_TOKEN');
  const consumed = await consumeAccessToken(db, { token: request.token, purpose: 'invitation', now: request.now });
  if (!consumed.ok) return refuse(consumed.reason);
  const invitation = await findInvitationByTokenHash(db, hashAccessToken(request.token));
  if (invitation === undefined) return refuse('INVALID_TOKEN');
  const referentAgentIds = await findReferentIds(db, consumed.userId);
  return { ok: true, invitation: { userId: consumed.userId, ...invitation, referentAgentIds } };
}
