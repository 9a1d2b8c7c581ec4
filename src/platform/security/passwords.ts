import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify } from '@node-rs/argon2';

/**
 * OWASP Password Storage Cheat Sheet, Argon2id: m = 19 MiB, t = 2, p = 1 (about 55 ms here).
 * The library draws a random 16-byte salt per hash (ANSSI: at least 128 bits) and uses Argon2id
 * by default (its `Algorithm` enum is an ambient const enum that isolatedModules cannot read; a
 * test checks the `$argon2id$` prefix).
 */
export const PASSWORD_HASH_PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// A hash of a random string, verified when the account does not exist so that a sign-in attempt
// takes as long for an unknown e-mail as for a known one (no account enumeration by timing).
let dummyHash: Promise<string> | undefined;

/**
 * Passwords are compared after NFKC normalisation (NIST SP 800-63B §5.1.1.2), so the same
 * password typed on two keyboards ("é" precomposed or not) verifies.
 */
function normalise(password: string): string {
  return password.normalize('NFKC');
}

/** Hashes a password with Argon2id; the result is a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`). */
export function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), PASSWORD_HASH_PARAMETERS);
}

/**
 * True when the password matches the hash. A missing or malformed hash gives false, after the
 * same work as a real verification.
 */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (passwordHash === null || passwordHash === undefined || !passwordHash.startsWith('$argon2')) {
    dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
    await verify(await dummyHash, normalise(password)).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    return false;
  }
}

/** True when the hash was made with other parameters than today's: rehash it after a successful sign-in. */
export function passwordHashNeedsRehash(passwordHash: string): boolean {
  if (!passwordHash.startsWith('$argon2id$')) return true;
  try {
    const options = parseOptions(passwordHash);
    return (
      options.memoryCost < PASSWORD_HASH_PARAMETERS.memoryCost ||
      options.timeCost < PASSWORD_HASH_PARAMETERS.timeCost ||
      options.parallelism !== PASSWORD_HASH_PARAMETERS.parallelism
    );
  } catch {
    return true;
  }
}
