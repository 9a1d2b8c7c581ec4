import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprintRequest, isWellFormedIdempotencyKey } from './request-fingerprint.js';

describe('request fingerprints', () => {
  it('do not depend on the order of keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
    expect(fingerprintRequest({ a: 1, b: 2 })).toBe(fingerprintRequest({ b: 2, a: 1 }));
  });
  it('differ for different requests', () => {
    expect(fingerprintRequest({ startsAt: '2026-12-01T09:00:00.000Z' })).not.toBe(fingerprintRequest({ startsAt: '2026-12-01T09:30:00.000Z' }));
    expect(fingerprintRequest({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
  it('accept UUIDs and long random keys as idempotency keys, nothing short or odd', () => {
    expect(isWellFormedIdempotencyKey('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(isWellFormedIdempotencyKey('abc')).toBe(false);
    expect(isWellFormedIdempotencyKey('a'.repeat(129))).toBe(false);
    expect(isWellFormedIdempotencyKey('espace interdite dans la clé')).toBe(false);
  });
});
