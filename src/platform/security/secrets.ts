/**
 * Secrets encrypted at rest (webhook signing secrets, SMS provider credentials): AES-256-GCM with
 * keys derived by HKDF-SHA256 from SECRETS_ENCRYPTION_KEY. The ciphertext is a versioned text
 *
 *   v1.<key id>.<iv>.<ciphertext>.<tag>        (base64url segments)
 *
 * The key id lets a keyring hold the previous keys during a rotation: new values are encrypted
 * with the current key, old ones still decrypt, and `isEncryptedWithCurrentKey` finds the rows
 * to re-encrypt. The format version, the key id and the caller's `associatedData` (e.g.
 * `webhook_endpoints.secret:42`) are authenticated, so a value copied to another row or another
 * column fails to decrypt.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_SECRET_LENGTH = 32;
const HKDF_SALT = 'creneau/secrets-at-rest';

interface DerivedKey {
  id: string;
  key: Buffer;
}

export interface SecretKeyring {
  readonly current: DerivedKey;
  readonly byId: ReadonlyMap<string, DerivedKey>;
}

/** The ciphertext is malformed, was made with an unknown key, or was altered. */
export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
}

function deriveKey(secret: string): DerivedKey {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`La clé de chiffrement doit contenir au moins ${MIN_SECRET_LENGTH} caractères`);
  }
  const key = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, 'aes-256-gcm key v1', 32));
  // The id is a hash of the derived key, not the key: it names the key without revealing it.
  const id = createHash('sha256').update('key id').update(key).digest('base64url').slice(0, 8);
  return { id, key };
}

/** Builds the keyring from SECRETS_ENCRYPTION_KEY and, during a rotation, the previous keys. */
export function createSecretKeyring(currentSecret: string, previousSecrets: readonly string[] = []): SecretKeyring {
  const current = deriveKey(currentSecret);
  const byId = new Map<string, DerivedKey>([[current.id, current]]);
  for (const secret of previousSecrets) {
    const previous = deriveKey(secret);
    if (!byId.has(previous.id)) byId.set(previous.id, previous);
  }
  return { current, byId };
}

function additionalData(keyId: string, associatedData: string): Buffer {
  return Buffer.from(`${FORMAT_VERSION}.${keyId}.${associatedData}`, 'utf8');
}

/** Encrypts a secret for storage; `associatedData` binds it to its place (table, column, row). */
export function encryptSecret(plaintext: string, keyring: SecretKeyring, associatedData = ''): string {
  const { id, key } = keyring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(id, associatedData));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT_VERSION, id, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Decrypts a value made by `encryptSecret` with the same `associatedData`; throws SecretDecryptionError otherwise. */
export function decryptSecret(encrypted: string, keyring: SecretKeyring, associatedData = ''): string {
  const parts = encrypted.split('.');
  const [version, keyId, ivText, ciphertextText, tagText] = parts;
  if (parts.length !== 5 || version !== FORMAT_VERSION || keyId === undefined || ivText === undefined || ciphertextText === undefined || tagText === undefined) {
    throw new SecretDecryptionError('Secret chiffré illisible (format inconnu)');
  }
  const derived = keyring.byId.get(keyId);
  if (derived === undefined) throw new SecretDecryptionError('Secret chiffré avec une clé inconnue');
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretDecryptionError('Secret chiffré illisible (format inconnu)');
  try {
    const decipher = createDecipheriv('aes-256-gcm', derived.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(keyId, associatedData));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError('Secret chiffré altéré ou associé à un autre emplacement');
  }
}

/** False for values encrypted with a previous key: re-encrypt them after a rotation. */
export function isEncryptedWithCurrentKey(encrypted: string, keyring: SecretKeyring): boolean {
  return encrypted.split('.')[1] === keyring.current.id;
}
