// Token links sent by SMS and e-mail. The token is 32 random bytes in base64url (43 characters),
// or 16 (22 characters, still 128 bits) for links that must fit one SMS segment; only its SHA-256
// is stored. Checks are pure: the use case loads the stored record and asks these functions.

import { createHash } from 'node:crypto';

export type AccessTokenPurpose = 'appointment_access' | 'passwordless_sign_in' | 'email_confirmation' | 'invitation' | 'password_reset';

/** Wrong answers to the last-name question before an appointment link locks. */
export const MAX_FAILED_NAME_ATTEMPTS = 5;

/** Default lifetimes, in minutes. Appointment links live as long as RDV-Solidarités' (12 weeks). */
export const DEFAULT_TOKEN_TTL_MINUTES: Readonly<Record<AccessTokenPurpose, number>> = {
  appointment_access: 12 * 7 * 24 * 60,
  passwordless_sign_in: 15,
  email_confirmation: 3 * 24 * 60,
  invitation: 4 * 7 * 24 * 60,
  password_reset: 60,
};

/** Purposes of links that prove who reads a mailbox: each serves once. */
export const SINGLE_USE_PURPOSES = ['passwordless_sign_in', 'email_confirmation', 'password_reset'] as const satisfies readonly AccessTokenPurpose[];

export type SingleUsePurpose = (typeof SINGLE_USE_PURPOSES)[number];

/** Purposes a link can serve only once. */
export function isSingleUsePurpose(purpose: AccessTokenPurpose): purpose is SingleUsePurpose {
  return (SINGLE_USE_PURPOSES as readonly AccessTokenPurpose[]).includes(purpose);
}

/**
 * `standard`: 32 random bytes (43 characters). `short`: 16 random bytes (22 characters), for SMS
 * links — a reminder with its link must fit one segment; 128 bits still cannot be guessed, and
 * an appointment link also asks for the last name's first letters with five tries.
 */
export type AccessTokenLength = 'standard' | 'short';

/** Random bytes of a token of each length. */
export const ACCESS_TOKEN_BYTES: Readonly<Record<AccessTokenLength, number>> = { standard: 32, short: 16 };

/** 32 bytes in base64url without padding are 43 characters; 16 bytes are 22. */
export function isWellFormedAccessToken(token: string): boolean {
  return /^(?:[A-Za-z0-9_-]{22}|[A-Za-z0-9_-]{43})$/.test(token);
}

/** SHA-256 (hex) of the token: what the database stores and looks up. */
export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface StoredAccessToken {
  readonly purpose: AccessTokenPurpose;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly failedAttempts: number;
}

export type AccessTokenProblem = 'INVALID_TOKEN' | 'EXPIRED' | 'LOCKED' | 'ALREADY_USED';

/** Why a stored token cannot serve `purpose` at `now`, or null. */
export function accessTokenProblem(stored: StoredAccessToken, purpose: AccessTokenPurpose, now: Date): AccessTokenProblem | null {
  if (stored.purpose !== purpose) return 'INVALID_TOKEN';
  if (stored.failedAttempts >= MAX_FAILED_NAME_ATTEMPTS) return 'LOCKED';
  if (stored.expiresAt.getTime() <= now.getTime()) return 'EXPIRED';
  if (isSingleUsePurpose(purpose) && stored.usedAt !== null) return 'ALREADY_USED';
  return null;
}

/** Why a token link is refused. */
export type AccessTokenRefusalReason = 'INVALID_TOKEN' | 'EXPIRED' | 'LOCKED' | 'NAME_MISMATCH' | 'ALREADY_USED';
