// Partner invitations (RDV-Insertion and the like): a link for one usager that opens the funnel
// on a motif category and some organisations, including motifs reserved to invited usagers.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { refuse, type Refusal } from '../../shared/refusal.js';
import { consumeAccessToken, hashAccessToken, isWellFormedAccessToken, issueAccessToken } from '../access-tokens/index.js';
import { matchesLastNamePrefix } from '../../shared/text/person-name.js';
import {
  claimInvitationAttempt,
  findInvitationByTokenHash,
  findMotifCategoryId,
  findReferentIds,
  insertInvitation,
  markInvitationRevoked,
  refundInvitationAttempt,
  type InvitationRow,
} from './invitations.repository.js';

export interface InvitationScope {
  readonly userId: number;
  /** Which invitation (its token's id, never the token): a session remembers the one it proved. */
  readonly accessTokenId: number;
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

/** Wrong answers to the last-name question before an invitation locks (as for appointment links). */
export const MAX_INVITATION_ATTEMPTS = 5;

type InvitationRefusal = 'INVALID_TOKEN' | 'EXPIRED' | 'LOCKED' | 'REVOKED';

/** The invitation behind a link, if it is still usable: the token is valid and unexpired, the invitation neither revoked nor locked. */
async function usableInvitation(db: Kysely<Database>, token: string, now: Date): Promise<{ userId: number; invitation: InvitationRow } | Refusal<InvitationRefusal>> {
  if (!isWellFormedAccessToken(token)) return refuse('INVALID_TOKEN');
  const consumed = await consumeAccessToken(db, { token, purpose: 'invitation', now });
  if (!consumed.ok) return refuse(consumed.reason === 'ALREADY_USED' ? 'INVALID_TOKEN' : consumed.reason);
  const invitation = await findInvitationByTokenHash(db, hashAccessToken(token));
  if (invitation === undefined) return refuse('INVALID_TOKEN');
  if (invitation.revokedAt !== null) return refuse('REVOKED');
  if (invitation.failedAttempts >= MAX_INVITATION_ATTEMPTS) return refuse('LOCKED');
  return { userId: consumed.userId, invitation };
}

async function scopeOf(db: Kysely<Database>, userId: number, invitation: InvitationRow): Promise<InvitationScope> {
  const referentAgentIds = await findReferentIds(db, userId);
  return { userId, accessTokenId: invitation.accessTokenId, motifCategoryId: invitation.motifCategoryId, organisationIds: invitation.organisationIds, referentAgentIds };
}

/**
 * Checks an invitation link without revealing anything about the invited person: whether it is
 * usable, and which invitation it is (to recognise a session that already proved it, or the
 * signed-in invitee). The scope may be used only once the person proved who they are.
 */
export async function openInvitation(
  db: Kysely<Database>,
  request: { token: string; now: Date },
): Promise<{ ok: true; invitation: InvitationScope } | Refusal<InvitationRefusal>> {
  const usable = await usableInvitation(db, request.token, request.now);
  if (!('userId' in usable)) return usable;
  return { ok: true, invitation: await scopeOf(db, usable.userId, usable.invitation) };
}

/**
 * The invited person proves who they are with the first letters of their last name (like
 * appointment links): each answer claims an attempt first, atomically, so concurrent guesses
 * compare at most five answers; a right answer gives its attempt back.
 */
export async function verifyInvitation(
  db: Kysely<Database>,
  request: { token: string; lastNamePrefix: string; now: Date },
): Promise<{ ok: true; invitation: InvitationScope } | Refusal<InvitationRefusal> | { ok: false; reason: 'NAME_MISMATCH'; attemptsLeft: number }> {
  const usable = await usableInvitation(db, request.token, request.now);
  if (!('userId' in usable)) return usable;
  const { invitation } = usable;
  const claimed = await claimInvitationAttempt(db, invitation.accessTokenId, MAX_INVITATION_ATTEMPTS);
  if (claimed === null) return refuse('LOCKED');
  if (!matchesLastNamePrefix(invitation.lastName, request.lastNamePrefix)) {
    const attemptsLeft = MAX_INVITATION_ATTEMPTS - claimed;
    return attemptsLeft === 0 ? refuse('LOCKED') : { ok: false, reason: 'NAME_MISMATCH', attemptsLeft };
  }
  await refundInvitationAttempt(db, invitation.accessTokenId);
  return { ok: true, invitation: await scopeOf(db, usable.userId, invitation) };
}

/** Revokes an invitation (the partner withdrew it, or it was sent to the wrong person): its link stops working. */
export async function revokeInvitation(db: Kysely<Database>, request: { token: string; now: Date }): Promise<{ ok: true } | Refusal<'INVALID_TOKEN' | 'ALREADY_REVOKED'>> {
  if (!isWellFormedAccessToken(request.token)) return refuse('INVALID_TOKEN');
  const invitation = await findInvitationByTokenHash(db, hashAccessToken(request.token));
  if (invitation === undefined) return refuse('INVALID_TOKEN');
  return (await markInvitationRevoked(db, invitation.accessTokenId, request.now)) ? { ok: true } : refuse('ALREADY_REVOKED');
}
