// The super admins' second factor (ADR 0032): RFC 6238 TOTP, 6 digits, 30-second steps, SHA-1
// (what every authenticator app reads from an otpauth URI), a window of one step either side,
// and no replay: a code is accepted only for a time step after the last accepted one.
// Pure: the instant and the last used step are parameters.
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted before and after the current one (clock drift of the phone). */
export const TOTP_WINDOW_STEPS = 1;
const ISSUER = 'Créneau';

/** A new secret: 20 random bytes (160 bits), base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The secret as shown for typing by hand: groups of four characters. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/** The otpauth URI an authenticator app scans (issuer Créneau, the agent's e-mail as label). */
export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret, period: TOTP_PERIOD_SECONDS, digits: 6, algorithm: 'sha1' });
}

/** The RFC 6238 time step of an instant. */
export function timeStepOf(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** A code as typed: spaces and dashes ignored; six digits, else undefined. */
export function normaliseTotpCode(typed: string | undefined): string | undefined {
  const code = (typed ?? '').replace(/[\s-]/g, '');
  return /^\d{6}$/.test(code) ? code : undefined;
}

export type TotpCheck = { readonly ok: true; readonly timeStep: number } | { readonly ok: false; readonly reason: 'WRONG_CODE' | 'REPLAYED' };

/**
 * Checks a code at `now`: right for the current step or one either side, and for a step after
 * `lastUsedStep` (a code seen once, or an older one, is refused as a replay).
 */
export function checkTotpCode(request: { secret: string; code: string; now: Date; lastUsedStep: number | null }): TotpCheck {
  const epoch = Math.floor(request.now.getTime() / 1000);
  const result = verifySync({ secret: request.secret, token: request.code, epoch, epochTolerance: TOTP_WINDOW_STEPS * TOTP_PERIOD_SECONDS, period: TOTP_PERIOD_SECONDS });
  // A TOTP result carries its time step (an HOTP one, never returned here, would not).
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'WRONG_CODE' };
  if (request.lastUsedStep !== null && result.timeStep <= request.lastUsedStep) return { ok: false, reason: 'REPLAYED' };
  return { ok: true, timeStep: result.timeStep };
}

/** The code of a secret at an instant (tests, and the development notes). */
export function totpCodeAt(secret: string, at: Date): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000), period: TOTP_PERIOD_SECONDS });
}
