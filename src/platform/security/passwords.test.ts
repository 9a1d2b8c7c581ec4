import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordHashNeedsRehash, verifyPassword } from './passwords.js';

describe('password hashing', () => {
  it('hashes with Argon2id and the OWASP parameters, with a fresh salt each time', async () => {
    const first = await hashPassword('cheval agrafe batterie correcte');
    const second = await hashPassword('cheval agrafe batterie correcte');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$/);
    expect(first).not.toBe(second);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('cheval agrafe batterie correcte');
    expect(await verifyPassword(stored, 'cheval agrafe batterie correcte')).toBe(true);
    expect(await verifyPassword(stored, 'cheval agrafe batterie correctE')).toBe(false);
  });

  it('verifies a password typed with decomposed accents (Unicode normalisation)', async () => {
    const stored = await hashPassword('été à la plage de Saint-Gilles');
    expect(await verifyPassword(stored, 'e\u0301te\u0301 a\u0300 la plage de Saint-Gilles')).toBe(true);
  });

  it('answers false, without throwing, for a missing or malformed hash', async () => {
    expect(await verifyPassword(null, 'n’importe quoi du tout')).toBe(false);
    expect(await verifyPassword('$argon2id$garbage', 'n’importe quoi du tout')).toBe(false);
    expect(await verifyPassword('bcrypt-or-whatever', 'n’importe quoi du tout')).toBe(false);
  });

  it('asks for a rehash of hashes made with weaker parameters', async () => {
    expect(passwordHashNeedsRehash(await hashPassword('cheval agrafe batterie correcte'))).toBe(false);
    const weak = await hash('cheval agrafe batterie correcte', { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(passwordHashNeedsRehash(weak)).toBe(true);
    expect(passwordHashNeedsRehash('not a hash')).toBe(true);
  });
});
