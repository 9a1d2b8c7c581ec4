import { describe, expect, it } from 'vitest';
import { createSecretKeyring, decryptSecret, encryptSecret, isEncryptedWithCurrentKey, SecretDecryptionError } from './secrets.js';

const KEY_2025 = 'clé-de-chiffrement-2025-au-moins-32-caractères';
const KEY_2026 = 'clé-de-chiffrement-2026-au-moins-32-caractères';

function flipCharacter(text: string, index: number): string {
  const char = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + char + text.slice(index + 1);
}

describe('secrets encrypted at rest', () => {
  const keyring = createSecretKeyring(KEY_2026);

  it('round-trips a secret, with a fresh IV each time', () => {
    const first = encryptSecret('sms-factor-token-é€', keyring, 'territories.sms_credentials:77');
    const second = encryptSecret('sms-factor-token-é€', keyring, 'territories.sms_credentials:77');
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(first).not.toBe(second);
    expect(decryptSecret(first, keyring, 'territories.sms_credentials:77')).toBe('sms-factor-token-é€');
  });

  it('never contains the plaintext', () => {
    expect(encryptSecret('whsec_visible', keyring)).not.toContain('whsec');
  });

  it('detects a ciphertext altered in its body, tag or IV', () => {
    const encrypted = encryptSecret('whsec_0123456789', keyring);
    const [version, keyId, iv, body, tag] = encrypted.split('.') as [string, string, string, string, string];
    for (const altered of [
      [version, keyId, iv, flipCharacter(body, 0), tag],
      [version, keyId, iv, body, flipCharacter(tag, 3)],
      [version, keyId, flipCharacter(iv, 2), body, tag],
    ]) {
      expect(() => decryptSecret(altered.join('.'), keyring)).toThrow(SecretDecryptionError);
    }
  });

  it('refuses a value moved to another row (associated data differs)', () => {
    const encrypted = encryptSecret('whsec_0123456789', keyring, 'webhook_endpoints.secret:1');
    expect(() => decryptSecret(encrypted, keyring, 'webhook_endpoints.secret:2')).toThrow(SecretDecryptionError);
  });

  it('refuses unknown formats and unknown keys', () => {
    expect(() => decryptSecret('whsec_in_clear', keyring)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(encryptSecret('x', keyring).replace(/^v1/, 'v9'), keyring)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(encryptSecret('x', createSecretKeyring(KEY_2025)), keyring)).toThrow(/clé inconnue/);
  });

  it('decrypts values of the previous key during a rotation and flags them for re-encryption', () => {
    const old = encryptSecret('ancien', createSecretKeyring(KEY_2025));
    const rotated = createSecretKeyring(KEY_2026, [KEY_2025]);
    expect(decryptSecret(old, rotated)).toBe('ancien');
    expect(isEncryptedWithCurrentKey(old, rotated)).toBe(false);
    expect(isEncryptedWithCurrentKey(encryptSecret('nouveau', rotated), rotated)).toBe(true);
  });

  it('refuses a key shorter than 32 characters', () => {
    expect(() => createSecretKeyring('trop-courte')).toThrow(/32 caractères/);
  });
});
