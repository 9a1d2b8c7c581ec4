import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_BYTES, accessTokenProblem, hashAccessToken, isSingleUsePurpose, isWellFormedAccessToken, MAX_FAILED_NAME_ATTEMPTS } from './access-token.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const LATER = new Date('2026-11-25T09:00:00Z');

describe('access tokens', () => {
  it('recognises 43-character (standard) and 22-character (short, for SMS) base64url tokens only', () => {
    expect(isWellFormedAccessToken('A'.repeat(43))).toBe(true);
    expect(isWellFormedAccessToken(`${'A'.repeat(42)}=`)).toBe(false);
    expect(isWellFormedAccessToken('A'.repeat(44))).toBe(false);
    expect(isWellFormedAccessToken('Zk3vQ9xLmP0aBcDe-_HiJw')).toBe(true);
    expect(isWellFormedAccessToken(`${'A'.repeat(21)}=`)).toBe(false);
    for (const length of [0, 1, 21, 23, 30, 42]) expect([length, isWellFormedAccessToken('A'.repeat(length))]).toEqual([length, false]);
  });
  it('draws 32 random bytes for a standard token and 16 (still 128 bits) for a short one', () => {
    expect(ACCESS_TOKEN_BYTES).toEqual({ standard: 32, short: 16 });
  });
  it('hashes with SHA-256 in hex, deterministically', () => {
    expect(hashAccessToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('spends only sign-in, confirmation and password-reset links', () => {
    expect(isSingleUsePurpose('passwordless_sign_in')).toBe(true);
    expect(isSingleUsePurpose('email_confirmation')).toBe(true);
    expect(isSingleUsePurpose('password_reset')).toBe(true);
    expect(isSingleUsePurpose('appointment_access')).toBe(false);
    expect(isSingleUsePurpose('invitation')).toBe(false);
  });
  it('says why a stored token cannot serve: purpose, lock, expiry, use', () => {
    const fresh = { purpose: 'appointment_access' as const, expiresAt: LATER, usedAt: null, failedAttempts: 0 };
    expect(accessTokenProblem(fresh, 'appointment_access', NOW)).toBeNull();
    expect(accessTokenProblem(fresh, 'invitation', NOW)).toBe('INVALID_TOKEN');
    expect(accessTokenProblem({ ...fresh, failedAttempts: MAX_FAILED_NAME_ATTEMPTS }, 'appointment_access', NOW)).toBe('LOCKED');
    expect(accessTokenProblem(fresh, 'appointment_access', LATER)).toBe('EXPIRED');
    const used = { purpose: 'email_confirmation' as const, expiresAt: LATER, usedAt: NOW, failedAttempts: 0 };
    expect(accessTokenProblem(used, 'email_confirmation', NOW)).toBe('ALREADY_USED');
    expect(accessTokenProblem({ ...fresh, usedAt: NOW }, 'appointment_access', NOW)).toBeNull();
  });
});
