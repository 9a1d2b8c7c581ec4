// Encryption of an export's chunks at rest: AES-256-GCM under the app's secrets keyring
// (SECRETS_ENCRYPTION_KEY, the one that protects SMS credentials, platform/security/secrets.ts),
// with a sub-key derived by HKDF for this use only. A chunk is binary:
//
//   0x01 | key id (8 ASCII bytes) | iv (12) | tag (16) | ciphertext
//
// The key id lets a rotation keep old chunks readable for their short life. The export's id
// and the chunk's position are authenticated (AAD): a chunk moved to another export or another
// place in the file fails to decrypt.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { createSecretKeyring, type SecretKeyring } from '../../platform/security/index.js';

const FORMAT = 1;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

/** A chunk that is not ours, altered, or made with a key the keyring no longer holds. */
export class ChunkDecryptionError extends Error {
  override name = 'ChunkDecryptionError';
}

/** The keys of export chunks: one per key of the secrets keyring. */
export interface ChunkKeys {
  readonly currentId: string;
  readonly byId: ReadonlyMap<string, Buffer>;
}

function subKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, 'creneau/export-chunks', 'aes-256-gcm export chunk v1', 32));
}

/** The chunk keys of a secrets keyring. */
export function chunkKeysOf(keyring: SecretKeyring): ChunkKeys {
  const byId = new Map<string, Buffer>();
  for (const [id, derived] of keyring.byId) byId.set(id, subKey(derived.key));
  return { currentId: keyring.current.id, byId };
}

const cache = new Map<string, ChunkKeys>();

/** The chunk keys of SECRETS_ENCRYPTION_KEY (derived once per process). */
export function chunkKeysFor(secret: string): ChunkKeys {
  let keys = cache.get(secret);
  if (keys === undefined) {
    keys = chunkKeysOf(createSecretKeyring(secret));
    cache.set(secret, keys);
  }
  return keys;
}

function additionalData(keyId: string, exportId: number, position: number): Buffer {
  return Buffer.from(`export_chunks.v${String(FORMAT)}.${keyId}.${String(exportId)}.${String(position)}`, 'utf8');
}

/** Encrypts the chunk at `position` of export `exportId`. */
export function encryptChunk(plain: Uint8Array, keys: ChunkKeys, exportId: number, position: number): Buffer {
  const key = keys.byId.get(keys.currentId);
  if (key === undefined) throw new Error('clé de chiffrement des exports absente');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(keys.currentId, exportId, position));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), Buffer.from(keys.currentId, 'ascii'), iv, cipher.getAuthTag(), ciphertext]);
}

/** Decrypts a chunk made by `encryptChunk` for the same export and position; ChunkDecryptionError otherwise. */
export function decryptChunk(stored: Uint8Array, keys: ChunkKeys, exportId: number, position: number): Buffer {
  const data = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  if (data.length < HEADER_BYTES || data[0] !== FORMAT) throw new ChunkDecryptionError('morceau d’export illisible');
  const keyId = data.subarray(1, 1 + KEY_ID_BYTES).toString('ascii');
  const key = keys.byId.get(keyId);
  if (key === undefined) throw new ChunkDecryptionError('morceau d’export chiffré avec une clé inconnue');
  const iv = data.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES);
  const tag = data.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(keyId, exportId, position));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new ChunkDecryptionError('morceau d’export altéré ou déplacé');
  }
}
