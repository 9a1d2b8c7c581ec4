import { describe, expect, it } from 'vitest';
import { checkTotpCode, groupSecret, newTotpSecret, normaliseTotpCode, timeStepOf, totpCodeAt, totpUri } from './totp.js';

const NOW = new Date('2026-11-24T09:00:10Z');

describe('TOTP second factor', () => {
  const secret = newTotpSecret();

  it('makes 160-bit base32 secrets, shown in groups of four', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });

  it('names Créneau and the agent in the otpauth URI', () => {
    expect(totpUri(secret, 'hélène@exemple.fr')).toBe(`otpauth://totp/Cr%C3%A9neau:h%C3%A9l%C3%A8ne%40exemple.fr?secret=${secret}&issuer=Cr%C3%A9neau`);
  });

  it('accepts the current step and one either side, not two', () => {
    for (const offset of [-30_000, 0, 30_000]) {
      const result = checkTotpCode({ secret, code: totpCodeAt(secret, new Date(NOW.getTime() + offset)), now: NOW, lastUsedStep: null });
      expect(result, String(offset)).toEqual({ ok: true, timeStep: timeStepOf(new Date(NOW.getTime() + offset)) });
    }
    for (const offset of [-60_000, 60_000]) {
      expect(checkTotpCode({ secret, code: totpCodeAt(secret, new Date(NOW.getTime() + offset)), now: NOW, lastUsedStep: null }).ok, String(offset)).toBe(false);
    }
  });

  it('refuses a code of the last used step or an earlier one (replay)', () => {
    const step = timeStepOf(NOW);
    expect(checkTotpCode({ secret, code: totpCodeAt(secret, NOW), now: NOW, lastUsedStep: step })).toEqual({ ok: false, reason: 'REPLAYED' });
    expect(checkTotpCode({ secret, code: totpCodeAt(secret, new Date(NOW.getTime() - 30_000)), now: NOW, lastUsedStep: step })).toEqual({ ok: false, reason: 'REPLAYED' });
    expect(checkTotpCode({ secret, code: totpCodeAt(secret, new Date(NOW.getTime() + 30_000)), now: NOW, lastUsedStep: step }).ok).toBe(true);
  });

  it('reads six digits with spaces or dashes, nothing else', () => {
    expect(normaliseTotpCode(' 123 456 ')).toBe('123456');
    expect(normaliseTotpCode('123-456')).toBe('123456');
    for (const typed of ['12345', '1234567', 'abcdef', '', undefined, '１２３４５６']) expect(normaliseTotpCode(typed)).toBeUndefined();
  });
});
