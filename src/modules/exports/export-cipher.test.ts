import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretKeyring } from '../../platform/security/index.js';
import { ChunkDecryptionError, chunkKeysOf, decryptChunk, encryptChunk } from './export-cipher.js';

const SECRET = 'a-test-secret-of-at-least-32-characters-long';
const OTHER = 'another-test-secret-of-at-least-32-characters';

describe('export chunk encryption', () => {
  const keys = chunkKeysOf(createSecretKeyring(SECRET));

  it('round-trips a chunk for its export and position, and never stores the plain bytes', () => {
    const plain = randomBytes(5000);
    const stored = encryptChunk(plain, keys, 12, 3);
    expect(stored.includes(plain.subarray(0, 64))).toBe(false);
    expect(decryptChunk(stored, keys, 12, 3).equals(plain)).toBe(true);
  });

  it('refuses a chunk moved to another export or position, altered, or made with an unknown key', () => {
    const stored = encryptChunk(Buffer.from('PK données'), keys, 12, 0);
    expect(() => decryptChunk(stored, keys, 13, 0)).toThrow(ChunkDecryptionError);
    expect(() => decryptChunk(stored, keys, 12, 1)).toThrow(ChunkDecryptionError);
    const altered = Buffer.from(stored);
    altered[altered.length - 1] = (altered.at(-1) ?? 0) ^ 1;
    expect(() => decryptChunk(altered, keys, 12, 0)).toThrow(ChunkDecryptionError);
    expect(() => decryptChunk(stored, chunkKeysOf(createSecretKeyring(OTHER)), 12, 0)).toThrow(ChunkDecryptionError);
    expect(() => decryptChunk(Buffer.from([1, 2, 3]), keys, 12, 0)).toThrow(ChunkDecryptionError);
  });

  it('still reads chunks of the previous key during a rotation', () => {
    const stored = encryptChunk(Buffer.from('avant la rotation'), chunkKeysOf(createSecretKeyring(OTHER)), 5, 0);
    const rotated = chunkKeysOf(createSecretKeyring(SECRET, [OTHER]));
    expect(decryptChunk(stored, rotated, 5, 0).toString('utf8')).toBe('avant la rotation');
  });
});
