// Token links (SMS, e-mail): issue, then verify. An appointment link opens the appointment only
// to whoever also types the first three letters of the beneficiary's last name; five wrong
// answers lock the link. Only the token's SHA-256 is stored.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { refuse, type Refusal } from '../../shared/refusal.js';
import {
  findAccessTokenByHash,
  findParticipationTarget,
  insertAccessToken,
  markAccessTokenUsed,
  recordFailedAttempt,
} from './access-tokens.repository.js';
import { matchesLastNamePrefix } from '../../shared/text/person-name.js';
import {
  DEFAULT_TOKEN_TTL_MINUTES,
  MAX_FAILED_NAME_ATTEMPTS,
  accessTokenProblem,
  hashAccessToken,
  isSingleUsePurpose,
  isWellFormedAccessToken,
  type AccessTokenPurpose,
  type AccessTokenRefusalReason,
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
  readonly now: Date;
}

export interface IssuedAccessToken {
  /** 32 random bytes, base64url: put it in the link, never in a log. */
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
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(request.now.getTime() + ttlMinutes * 60_000);
  const tokenId = await insertAccessToken(db, {
    tokenHash: hashAccessToken(token),
    purpose: request.purpose,
    userId,
    participationId,
    appointmentId,
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
 * ignored). Each wrong name counts; the fifth locks the link (`LOCKED`).
 */
export async function verifyAppointmentAccess(
  database: Kysely<Database>,
  request: { token: string; lastNamePrefix: string; now: Date },
): Promise<AppointmentAccess | Refusal<Exclude<AccessTokenRefusalReason, 'ALREADY_USED'>>> {
  if (!isWellFormedAccessToken(request.token)) return refuse('INVALID_TOKEN');
  const db = database;
  const stored = await findAccessTokenByHash(db, hashAccessToken(request.token));
  if (stored === undefined) return refuse('INVALID_TOKEN');
  const problem = accessTokenProblem(stored, 'appointment_access', request.now);
  // appointment links are not single-use: ALREADY_USED cannot happen for them
  if (problem !== null) return refuse(problem === 'ALREADY_USED' ? 'INVALID_TOKEN' : problem);
  const participationId = stored.participationId;
  if (participationId === null) return refuse('INVALID_TOKEN');
  const target = await findParticipationTarget(db, participationId);
  if (target === undefined) return refuse('INVALID_TOKEN');
  if (!matchesLastNamePrefix(target.lastName, request.lastNamePrefix)) {
    const failures = await recordFailedAttempt(db, stored.id, MAX_FAILED_NAME_ATTEMPTS);
    return refuse(failures === null || failures >= MAX_FAILED_NAME_ATTEMPTS ? 'LOCKED' : 'NAME_MISMATCH');
  }
  return { ok: true, appointmentId: target.appointmentId, publicId: target.publicId, participationId, userId: target.userId };
}

/**
 * Uses a link of a single-use purpose (passwordless sign-in, e-mail confirmation) or checks an
 * invitation link; a single-use link works once, even under concurrent clicks.
 */
export async function consumeAccessToken(
  database: Kysely<Database>,
  request: { token: string; purpose: Exclude<AccessTokenPurpose, 'appointment_access'>; now: Date },
): Promise<{ readonly ok: true; readonly userId: number } | Refusal<Exclude<AccessTokenRefusalReason, 'NAME_MISMATCH'>>> {
  if (!isWellFormedAccessToken(request.token)) return refuse('INVALID_TOKEN');
  const db = database;
  const stored = await findAccessTokenByHash(db, hashAccessToken(request.token));
  if (stored?.userId === undefined || stored.userId === null) return refuse('INVALID_TOKEN');
  const problem = accessTokenProblem(stored, request.purpose, request.now);
  if (problem !== null) return refuse(problem);
  if (isSingleUsePurpose(request.purpose) && !(await markAccessTokenUsed(db, stored.id, request.now))) return refuse('ALREADY_USED');
  return { ok: true, userId: stored.userId };
}
