// Token links (SMS, e-mail): issue, then verify. An appointment link opens the appointment only
// to whoever also types the first three letters of the beneficiary's last name; five wrong
// answers lock the link. Only the token's SHA-256 is stored. Every guard (the lock, single use)
// is checked by the same SQL statement that counts or spends (access-tokens.repository.ts).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { refuse, type Refusal } from '../../shared/refusal.js';
import { matchesLastNamePrefix } from '../../shared/text/person-name.js';
import {
  claimNameAttempt,
  findAccessTokenByHash,
  findParticipationTarget,
  findPendingPassword,
  forgetPendingPassword,
  insertAccessTokenRow,
  refundNameAttempt,
  revokeUserTokens,
  spendAccessToken,
} from './access-tokens.repository.js';
import {
  ACCESS_TOKEN_BYTES,
  DEFAULT_TOKEN_TTL_MINUTES,
  MAX_FAILED_NAME_ATTEMPTS,
  accessTokenProblem,
  hashAccessToken,
  isSingleUsePurpose,
  isWellFormedAccessToken,
  SINGLE_USE_PURPOSES,
  type AccessTokenLength,
  type AccessTokenPurpose,
  type AccessTokenRefusalReason,
  type SingleUsePurpose,
} from './domain/access-token.js';

export interface IssueAccessTokenRequest {
  readonly purpose: AccessTokenPurpose;
  /** Required for every purpose; derived from the participation for `appointment_access`. */
  readonly userId?: number | null;
  /** Required for `appointment_access`. */
  readonly participationId?: number | null;
  readonly appointmentId?: number | null;
  /** Lifetime; defaults per purpose (DEFAULT_TOKEN_TTL_MINUTES). */
  readonly ttlMinutes?: number;
  /** `email_confirmation` only: the password chosen at sign-up, applied when the link is used. */
  readonly pendingPasswordHash?: string | null;
  /** `short` (22 characters) for a link sent by SMS; `standard` (43) by default. */
  readonly length?: AccessTokenLength;
  readonly now: Date;
}

export interface IssuedAccessToken {
  /** 32 (or, `short`, 16) random bytes, base64url: put it in the link, never in a log. */
  readonly token: string;
  readonly tokenId: number;
  readonly expiresAt: Date;
}

/** Thrown for a request the caller should never make (missing target, non-positive lifetime). */
export class InvalidAccessTokenRequestError extends Error {
  override name = 'InvalidAccessTokenRequestError';
}

/** Creates a link token and stores its hash. */
export async function issueAccessToken(database: Kysely<Database>, request: IssueAccessTokenRequest): Promise<IssuedAccessToken> {
  const db = database;
  const ttlMinutes = request.ttlMinutes ?? DEFAULT_TOKEN_TTL_MINUTES[request.purpose];
  if (!Number.isFinite(ttlMinutes) || ttlMinutes <= 0) throw new InvalidAccessTokenRequestError('Durée de validité invalide');
  let userId = request.userId ?? null;
  let appointmentId = request.appointmentId ?? null;
  const participationId = request.participationId ?? null;
  if (participationId !== null) {
    const target = await findParticipationTarget(db, participationId);
    if (target === undefined) throw new InvalidAccessTokenRequestError(`Participation ${String(participationId)} introuvable`);
    userId ??= target.userId;
    appointmentId ??= target.appointmentId;
    if (userId !== target.userId || appointmentId !== target.appointmentId) {
      throw new InvalidAccessTokenRequestError('La participation ne correspond pas à l’usager ou au rendez-vous');
    }
  }
  if (request.purpose === 'appointment_access' && participationId === null) {
    throw new InvalidAccessTokenRequestError('Un lien de rendez-vous désigne une participation');
  }
  if (userId === null) throw new InvalidAccessTokenRequestError('Un lien désigne un usager');
  const pendingPasswordHash = request.pendingPasswordHash ?? null;
  if (pendingPasswordHash !== null && request.purpose !== 'email_confirmation') {
    throw new InvalidAccessTokenRequestError('Seul un lien de confirmation porte un mot de passe en attente');
  }
  const token = randomBytes(ACCESS_TOKEN_BYTES[request.length ?? 'standard']).toString('base64url');
  const expiresAt = new Date(request.now.getTime() + ttlMinutes * 60_000);
  const tokenId = await insertAccessTokenRow(db, {
    tokenHash: hashAccessToken(token),
    purpose: request.purpose,
    userId,
    participationId,
    appointmentId,
    pendingPasswordHash,
    createdAt: request.now,
    expiresAt,
  });
  return { token, tokenId, expiresAt };
}

export interface AppointmentAccess {
  readonly ok: true;
  readonly appointmentId: number;
  readonly publicId: string;
  readonly participationId: number;
  /** The beneficiary: act as this usager for this appointment only. */
  readonly userId: number;
}

/**
 * Opens an appointment link: the token must exist, serve `appointment_access`, be unexpired and
 * unlocked, and `lastNamePrefix` must match the beneficiary's last name (accents, case, ’ and -
 * ignored). Each answer is counted before it is compared, by the statement that checks the lock
 * (a right answer gets its count back): concurrent guesses cannot get more than five compared.
 * The fifth wrong answer locks the link (`LOCKED`).
 */
export async function verifyAppointmentAccess(
  database: Kysely<Database>,
  request: { token: string; lastNamePrefix: string; now: Date },
): Promise<AppointmentAccess | Refusal<Exclude<AccessTokenRefusalReason, 'ALREADY_USED'>>> {
  if (!isWellFormedAccessToken(request.token)) return refuse('INVALID_TOKEN');
  const db = database;
  const tokenHash = hashAccessToken(request.token);
  const claimed = await claimNameAttempt(db, { tokenHash, now: request.now, limit: MAX_FAILED_NAME_ATTEMPTS });
  if (claimed === undefined) {
    // Nothing was counted: say why (unknown, other purpose, expired or already locked).
    const stored = await findAccessTokenByHash(db, tokenHash);
    if (stored === undefined) return refuse('INVALID_TOKEN');
    const problem = accessTokenProblem(stored, 'appointment_access', request.now);
    return refuse(problem === null || problem === 'ALREADY_USED' ? 'INVALID_TOKEN' : problem);
  }
  const target = claimed.participationId === null ? undefined : await findParticipationTarget(db, claimed.participationId);
  if (claimed.participationId === null || target === undefined) return refuse('INVALID_TOKEN');
  if (!matchesLastNamePrefix(target.lastName, request.lastNamePrefix)) {
    return refuse(claimed.attempts >= MAX_FAILED_NAME_ATTEMPTS ? 'LOCKED' : 'NAME_MISMATCH');
  }
  await refundNameAttempt(db, claimed.id);
  return { ok: true, appointmentId: target.appointmentId, publicId: target.publicId, participationId: claimed.participationId, userId: target.userId };
}

export interface ConsumedAccessToken {
  readonly ok: true;
  readonly userId: number;
  readonly tokenId: number;
  /** The password chosen at sign-up, carried by an `email_confirmation` link (null otherwise). */
  readonly pendingPasswordHash: string | null;
}

/**
 * Uses a link of a single-use purpose (passwordless sign-in, e-mail confirmation, password reset)
 * or checks an invitation link. A single-use link is spent by one statement that also checks its
 * purpose, expiry and previous use: it works once, even under concurrent clicks.
 */
export async function consumeAccessToken(
  database: Kysely<Database>,
  request: { token: string; purpose: Exclude<AccessTokenPurpose, 'appointment_access'>; now: Date },
): Promise<ConsumedAccessToken | Refusal<Exclude<AccessTokenRefusalReason, 'NAME_MISMATCH'>>> {
  if (!isWellFormedAccessToken(request.token)) return refuse('INVALID_TOKEN');
  const db = database;
  const tokenHash = hashAccessToken(request.token);
  if (isSingleUsePurpose(request.purpose)) {
    const spent = await spendAccessToken(db, { tokenHash, purpose: request.purpose, now: request.now });
    if (spent?.userId !== undefined && spent.userId !== null) {
      if (spent.pendingPasswordHash !== null) await forgetPendingPassword(db, spent.id);
      return { ok: true, userId: spent.userId, tokenId: spent.id, pendingPasswordHash: spent.pendingPasswordHash };
    }
  }
  // Not spent (or not single-use): read it to give the reason, or to accept an invitation.
  const stored = await findAccessTokenByHash(db, tokenHash);
  if (stored?.userId === undefined || stored.userId === null) return refuse('INVALID_TOKEN');
  const problem = accessTokenProblem(stored, request.purpose, request.now);
  if (problem !== null) return refuse(problem);
  if (isSingleUsePurpose(request.purpose)) return refuse('ALREADY_USED');
  return { ok: true, userId: stored.userId, tokenId: stored.id, pendingPasswordHash: null };
}

/**
 * The user a single-use link would serve, and the pending password it carries, without spending
 * it (to show the page that uses it, or to check the password typed there).
 */
export async function peekAccessToken(
  database: Kysely<Database>,
  request: { token: string; purpose: SingleUsePurpose; now: Date },
): Promise<{ readonly ok: true; readonly userId: number; readonly pendingPasswordHash: string | null } | Refusal<Exclude<AccessTokenRefusalReason, 'NAME_MISMATCH'>>> {
  if (!isWellFormedAccessToken(request.token)) return refuse('INVALID_TOKEN');
  const db = database;
  const tokenHash = hashAccessToken(request.token);
  const stored = await findAccessTokenByHash(db, tokenHash);
  if (stored?.userId === undefined || stored.userId === null) return refuse('INVALID_TOKEN');
  const problem = accessTokenProblem(stored, request.purpose, request.now);
  if (problem !== null) return refuse(problem);
  return { ok: true, userId: stored.userId, pendingPasswordHash: (await findPendingPassword(db, tokenHash)) ?? null };
}

/**
 * Revokes every unused link of a user that proves a mailbox (sign-in, confirmation, reset; or the
 * purposes given), with the pending passwords they carry: called once the mailbox was proven.
 */
export async function revokePendingAccessTokens(
  database: Kysely<Database>,
  request: { userId: number; now: Date; purposes?: readonly SingleUsePurpose[] },
): Promise<number> {
  return revokeUserTokens(database, { userId: request.userId, purposes: request.purposes ?? SINGLE_USE_PURPOSES, now: request.now });
}

export interface AppointmentLinkTarget {
  readonly participationId: number;
  readonly userId: number;
  readonly appointmentId: number;
}

/**
 * Appointment links for many participations at once (a batch of notifications): one INSERT.
 * The caller passes targets it has just read from `participations` (participation, its usager,
 * its appointment); tokens come back in the same order.
 */
export async function issueAppointmentAccessTokens(
  database: Kysely<Database>,
  request: { readonly targets: readonly AppointmentLinkTarget[]; readonly now: Date; readonly length?: AccessTokenLength },
): Promise<string[]> {
  if (request.targets.length === 0) return [];
  const expiresAt = new Date(request.now.getTime() + DEFAULT_TOKEN_TTL_MINUTES.appointment_access * 60_000);
  const tokens = request.targets.map(() => randomBytes(ACCESS_TOKEN_BYTES[request.length ?? 'standard']).toString('base64url'));
  await database
    .insertInto('access_tokens')
    .values(
      request.targets.map((target, index) => ({
        token_hash: hashAccessToken(tokens[index] ?? ''),
        purpose: 'appointment_access' as const,
        user_id: target.userId,
        participation_id: target.participationId,
        appointment_id: target.appointmentId,
        created_at: request.now,
        expires_at: expiresAt,
      })),
    )
    .execute();
  return tokens;
}
