import { describe, expect, it } from 'vitest';
import { MAX_RETURN_ADDRESS_LENGTH, safeReturnTo } from './return-address.js';

describe('return addresses', () => {
  it('keeps local paths with their query', () => {
    expect(safeReturnTo('/prendre-rdv/confirmer?lieu=3&debut=2026-11-25T09:00:00Z')).toBe('/prendre-rdv/confirmer?lieu=3&debut=2026-11-25T09:00:00Z');
    expect(safeReturnTo('/')).toBe('/');
  });

  it('refuses other sites, schemes, backslashes and control characters', () => {
    for (const hostile of ['//evil.example', '/\\evil', 'https://evil.example', 'evil.example', '', '/\u0000', '/a\r\nSet-Cookie: x=y', '/\t/evil', '/\u0085']) {
      expect(safeReturnTo(hostile)).toBeUndefined();
    }
    expect(safeReturnTo(['/a', '/b'])).toBeUndefined();
    expect(safeReturnTo(undefined)).toBeUndefined();
  });

  it('percent-encodes characters outside printable ASCII, so the Location header stays valid', () => {
    expect(safeReturnTo('/recherche?q=✓ é')).toBe('/recherche?q=%E2%9C%93%20%C3%A9');
    expect(safeReturnTo('/😀')).toBe('/%F0%9F%98%80');
    expect(safeReturnTo('/\uD800')).toBe('/%EF%BF%BD');
  });

  it('drops return addresses longer than the bound', () => {
    expect(safeReturnTo(`/${'a'.repeat(MAX_RETURN_ADDRESS_LENGTH)}`)).toBeUndefined();
    expect(safeReturnTo(`/${'a'.repeat(10_000)}`)).toBeUndefined();
    expect(safeReturnTo(`/${'a'.repeat(MAX_RETURN_ADDRESS_LENGTH - 1)}`)).toHaveLength(MAX_RETURN_ADDRESS_LENGTH);
  });
});
